// `termcall webrtc offer|answer --secret`: the passphrase is not ignored (it was): the PAKE runs over the opened
// connection bound to its DTLS fingerprints, so different passphrases end both processes with ERR_AUTH_FAILED, and
// the same one connects.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isolatedEnv, startTermcall } from '../helpers/termcall-process.js';

/** Run an offerer and an answerer that trade blobs through files in a temp dir. */
function pair(t: { after(fn: () => void): void }, secretA: string | null, secretB: string | null) {
  const env = isolatedEnv(t);
  const dir = fs.mkdtempSync(path.join(env.HOME ?? '/tmp', 'blobs-'));
  const common = ['--source', 'test', '--fps', '10'];
  const a = startTermcall(t, env, ['webrtc', 'offer', '--out', path.join(dir, 'offer'), '--in', path.join(dir, 'answer'), ...(secretA ? ['--secret', secretA] : []), ...common]);
  const b = startTermcall(t, env, ['webrtc', 'answer', '--auto-accept', '--in', path.join(dir, 'offer'), '--out', path.join(dir, 'answer'), ...(secretB ? ['--secret', secretB] : []), ...common]);
  return { a, b };
}

test('termcall webrtc with different passphrases: both sides fail with ERR_AUTH_FAILED', { timeout: 90_000 }, async (t) => {
  const { a, b } = pair(t, 'correct horse battery staple orbit', 'correct horse battery stable orbit');
  const [ea, eb] = await Promise.all([a.waitEnd(60_000), b.waitEnd(60_000)]);
  assert.equal(ea.code, 1, a.stderr());
  assert.equal(eb.code, 1, b.stderr());
  assert.match(a.stderr(), /passphrase does not match.*ERR_AUTH_FAILED/s);
  assert.match(b.stderr(), /passphrase does not match.*ERR_AUTH_FAILED/s);
});

// A passphrase on one side only: each side says which one lacks it (it was a PAKE timeout / bad magic / a close).
for (const withSecret of ['offerer', 'answerer'] as const) {
  test(`termcall webrtc with a passphrase on the ${withSecret} only: one side says the peer has none, the other that it needs one`, { timeout: 90_000 }, async (t) => {
    const secret = 'correct horse battery staple orbit';
    const { a, b } = pair(t, withSecret === 'offerer' ? secret : null, withSecret === 'answerer' ? secret : null);
    const [ea, eb] = await Promise.all([a.waitEnd(60_000), b.waitEnd(60_000)]);
    const [has, lacks] = withSecret === 'offerer' ? [a, b] : [b, a];
    assert.equal(ea.code, 1, a.stderr());
    assert.equal(eb.code, 1, b.stderr());
    assert.match(has.stderr(), /does not use a passphrase.*ERR_PEER_HAS_NO_SECRET/s);
    assert.match(lacks.stderr(), /uses a passphrase.*this side has none.*ERR_PEER_NEEDS_SECRET/s);
  });
}
