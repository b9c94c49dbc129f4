// `termcall webrtc offer|answer --secret`: the passphrase is not ignored (it was): the PAKE runs over the opened
// connection bound to its DTLS fingerprints, so different passphrases end both processes with ERR_AUTH_FAILED, and
// the same one connects.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isolatedEnv, startTermcall } from '../helpers/termcall-process.js';

/** Run an offerer and an answerer that trade blobs through files in a temp dir. */
function pair(t: { after(fn: () => void): void }, secretA: string, secretB: string) {
  const env = isolatedEnv(t);
  const dir = fs.mkdtempSync(path.join(env.HOME ?? '/tmp', 'blobs-'));
  const common = ['--source', 'test', '--fps', '10'];
  const a = startTermcall(t, env, ['webrtc', 'offer', '--out', path.join(dir, 'offer'), '--in', path.join(dir, 'answer'), '--secret', secretA, ...common]);
  const b = startTermcall(t, env, ['webrtc', 'answer', '--auto-accept', '--in', path.join(dir, 'offer'), '--out', path.join(dir, 'answer'), '--secret', secretB, ...common]);
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
