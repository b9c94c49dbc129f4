// The passphrase over WebRTC: CPace on the reliable channel bound to both DTLS fingerprints, then the call. The right
// passphrase connects and frames flow; a wrong one fails on both sides with ERR_AUTH_FAILED before any termcall byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import type { Frame } from '../../src/shared/frame.js';
import { ProtocolError } from '../../src/shared/errors.js';
import { answerCall, offerCall } from '../../src/transport/webrtc/call.js';
import { openPeerCount } from '../../src/transport/webrtc/peer.js';
import { pakeAuthenticator } from '../../src/transport/secure/pake-link.js';
import { sleep } from '../helpers/net-pair.js';
import { makeTestSource } from '../helpers/net-test-source.js';

const SECRET = 'correct horse battery staple orbit';

/** Decode with sharp (tests only). */
async function decode(jpeg: Uint8Array): Promise<Frame> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, captureTs: 0, seq: 0 };
}

test('WebRTC with the same passphrase: the PAKE binds the DTLS fingerprints, the call is secure, frames flow both ways', { timeout: 60_000 }, async (t) => {
  const srcA = makeTestSource({ width: 320, height: 240, fps: 15 });
  const srcB = makeTestSource({ width: 320, height: 240, fps: 15 });
  const offer = await offerCall({ ice: {}, call: { name: 'alice', pane: { width: 320, height: 240 }, source: srcA, decode }, authenticate: pakeAuthenticator(SECRET) });
  const answer = await answerCall(offer.blob, { ice: {}, call: { name: 'bob', pane: { width: 320, height: 240 }, source: srcB, decode, autoAccept: true }, authenticate: pakeAuthenticator(SECRET) });
  const [a, b] = await Promise.all([offer.complete(answer.blob), answer.session]);
  t.after(async () => { a.hangup(); b.hangup(); await srcA.close(); await srcB.close(); });
  const peer = await a.established;
  assert.equal(peer.name, 'bob');
  assert.equal(a.secure, true);
  assert.equal(b.secure, true);
  const atA: Frame[] = [];
  const atB: Frame[] = [];
  a.on('frame', (f) => atA.push(f));
  b.on('frame', (f) => atB.push(f));
  await sleep(2000);
  assert.ok(atA.length >= 5 && atB.length >= 5, `frames: A ${atA.length}, B ${atB.length}`);
});

test('WebRTC with different passphrases: both sides fail with ERR_AUTH_FAILED and no session starts', { timeout: 60_000 }, async (_t) => {
  const offer = await offerCall({ ice: {}, call: { name: 'alice', pane: { width: 0, height: 0 } }, authenticate: pakeAuthenticator(SECRET) });
  const answer = await answerCall(offer.blob, { ice: {}, call: { name: 'bob', pane: { width: 0, height: 0 } }, authenticate: pakeAuthenticator('correct horse battery stable orbit') });
  const [ra, rb] = await Promise.allSettled([offer.complete(answer.blob), answer.session]);
  for (const r of [ra, rb]) {
    assert.equal(r.status, 'rejected');
    const e = (r as PromiseRejectedResult).reason as unknown;
    assert.ok(e instanceof ProtocolError, String(e));
    assert.equal(e.code, 'ERR_AUTH_FAILED');
  }
  for (let i = 0; i < 50 && openPeerCount() > 0; i++) await sleep(50);
  assert.equal(openPeerCount(), 0, 'both peer connections closed');
});
