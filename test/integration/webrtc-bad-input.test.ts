// Bad input on the WebRTC path: malformed blobs, an answer where an offer belongs, a flood of offers and a TURN
// server that refuses: each is a clear typed error, no peer connection is left open, and a good call still works.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { answerCall, offerCall } from '../../src/transport/webrtc/call.js';
import { openPeerCount } from '../../src/transport/webrtc/peer.js';
import { needTools } from '../helpers/require-tool.js';
import { sleep } from '../helpers/net-pair.js';

const CALL = { name: 'x', pane: { width: 0, height: 0 } };

/** Wait until no peer connection is open (bounded). */
async function allClosed(ms = 5_000): Promise<number> {
  const end = Date.now() + ms;
  while (openPeerCount() > 0 && Date.now() < end) await sleep(50);
  return openPeerCount();
}

test('malformed offers are refused with ERR_SIGNAL_BLOB before any connection is made', async () => {
  const offer = await offerCall({ ice: {}, call: CALL });
  const cases: Uint8Array[] = [new Uint8Array(0), Uint8Array.from([1, 2, 3]), offer.blob.subarray(0, 40),
    Uint8Array.from([...offer.blob, 9]), new Uint8Array(4096)];
  for (const c of cases) await assert.rejects(answerCall(c, { ice: {}, call: CALL }), { code: 'ERR_SIGNAL_BLOB' });
  // an answer given where an offer belongs, and an offer given as the answer
  const answer = await answerCall(offer.blob, { ice: {}, call: CALL });
  await assert.rejects(answerCall(answer.blob, { ice: {}, call: CALL }), { code: 'ERR_SIGNAL_BLOB', message: /expected an offer/ });
  await assert.rejects(offer.complete(offer.blob), { code: 'ERR_SIGNAL_BLOB', message: /expected an answer/ });
  answer.cancel();
  assert.equal(await allClosed(), 0);
});

test('a flood of 24 offers answered at once leaves nothing open once given up, and a real call still connects', { timeout: 60_000 }, async () => {
  const offers = await Promise.all(Array.from({ length: 24 }, () => offerCall({ ice: {}, call: CALL })));
  const answers = await Promise.all(offers.map((o) => answerCall(o.blob, { ice: {}, call: CALL })));
  assert.equal(openPeerCount(), 48);
  for (const a of answers) a.cancel();
  for (const o of offers) o.cancel();
  assert.equal(await allClosed(), 0);
  const offer = await offerCall({ ice: {}, call: { ...CALL, name: 'alice' } });
  const answer = await answerCall(offer.blob, { ice: {}, call: { ...CALL, name: 'bob', autoAccept: true } });
  const [a, b] = await Promise.all([offer.complete(answer.blob), answer.session]);
  assert.equal((await a.established).name, 'bob');
  a.hangup();
  await b.closed;
  assert.equal(await allClosed(), 0);
});

test('a TURN server that refuses the credentials: a clear ERR_WEBRTC_FAILED naming TURN, nothing left open',
  { skip: needTools('turnserver'), timeout: 30_000 }, async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-turn-'));
    const port = 20_000 + (process.pid % 20_000);
    const turn = spawn('turnserver', ['-n', '--listening-ip', '127.0.0.1', '--listening-port', String(port), '--lt-cred-mech',
      '--user', 'right:password', '--realm', 'refuse.test', '--no-tls', '--no-dtls', '--no-cli', '--log-file', 'stdout',
      '--pidfile', path.join(dir, 'pid'), '--userdb', path.join(dir, 'db'), '--min-port', '50000', '--max-port', '50100'],
    { stdio: 'ignore' });
    t.after(() => { turn.kill('SIGKILL'); fs.rmSync(dir, { recursive: true, force: true }); });
    await sleep(800);
    const ice = { turn: [`turn:right:wrong@127.0.0.1:${port}`], relayOnly: true };
    await assert.rejects(offerCall({ ice, call: CALL }), { code: 'ERR_WEBRTC_FAILED', message: /TURN server did not give an allocation/ });
    assert.equal(await allClosed(), 0);
    // the right credentials work against the same server (the refusal was the credentials, not the setup)
    const ok = await offerCall({ ice: { turn: [`turn:right:password@127.0.0.1:${port}`], relayOnly: true }, call: CALL });
    assert.ok(ok.blob.length > 40);
    ok.cancel();
    assert.equal(await allClosed(), 0);
  });

test('a --turn URL without credentials or a bad --stun URL is refused before anything starts', async () => {
  await assert.rejects(offerCall({ ice: { turn: ['turn:127.0.0.1'] }, call: CALL }), { code: 'ERR_ICE_SERVER' });
  await assert.rejects(offerCall({ ice: { stun: ['stun:not a host'] }, call: CALL }), { code: 'ERR_ICE_SERVER' });
  assert.equal(openPeerCount(), 0);
});
