// Two sessions over a real WebRTC connection on this machine (node-datachannel, host candidates): the blobs are
// exchanged in process, frames flow both ways on the lossy lane, chat on the reliable channel, stats name the path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionStats } from '../../src/call/stats.js';
import type { Frame } from '../../src/shared/frame.js';
import { answerCall, offerCall } from '../../src/transport/webrtc/call.js';
import { openPeerCount } from '../../src/transport/webrtc/peer.js';
import { closed, once, sleep } from '../helpers/net-pair.js';
import { makeTestSource } from '../helpers/net-test-source.js';
import sharp from 'sharp';

/** Decode with sharp (tests only): BGR is not needed, only the size. */
async function decode(jpeg: Uint8Array): Promise<Frame> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, captureTs: 0, seq: 0 };
}

test('a call over WebRTC: handshake, accept, video both ways over the lossy lane, chat, direct path in stats, hangup', { timeout: 60_000 }, async (t) => {
  const srcA = makeTestSource({ width: 320, height: 240, fps: 15 });
  const srcB = makeTestSource({ width: 320, height: 240, fps: 15 });
  const ice = {};
  const offer = await offerCall({ ice, call: { name: 'alice', pane: { width: 320, height: 240 }, source: srcA, decode } });
  assert.ok(offer.blob.length < 200, `offer blob is ${offer.blob.length} bytes`);
  const answer = await answerCall(offer.blob, { ice, call: { name: 'bob', pane: { width: 160, height: 120 }, source: srcB, decode } });
  const [a, b] = await Promise.all([offer.complete(answer.blob), answer.session]);
  t.after(async () => { a.hangup(); b.hangup(); await srcA.close(); await srcB.close(); });
  await once(b, 'incoming');
  const atA: Frame[] = [];
  const atB: Frame[] = [];
  a.on('frame', (f) => atA.push(f));
  b.on('frame', (f) => atB.push(f));
  b.accept();
  await a.established;
  const chat = once<[string]>(b, 'chat');
  a.sendChat('hello over webrtc');
  assert.deepEqual(await chat, ['hello over webrtc']);
  const stats: SessionStats[] = [];
  a.on('stats', (s) => stats.push(s));
  await sleep(2500);
  assert.ok(atA.length >= 5 && atB.length >= 5, `frames: A ${atA.length}, B ${atB.length}`);
  assert.deepEqual([atA.at(-1)?.width, atB.at(-1)?.width], [320, 160]);
  const last = stats.at(-1);
  assert.ok(last?.path, 'stats carry the path');
  assert.equal(last.path.kind, 'direct');
  assert.match(last.path.candidates, /^(host|prflx)→(host|prflx)$/);
  assert.equal(last.path.video, 'rtp', 'between termcall peers video rides the RTP track');
  assert.ok(last.lossy, 'stats carry lossy-lane counters');
  const bClosed = closed(b);
  a.hangup();
  const info = await bClosed;
  assert.equal(info.reason, 'hangup');
  assert.equal(info.byPeer, true);
  await sleep(200);
  assert.equal(openPeerCount(), 0, 'both peer connections closed');
});

test('with a passphrase the link is authenticated by the PAKE bound to both DTLS fingerprints; a wrong one is refused', { timeout: 60_000 }, async (_t) => {
  const { pakeAuthenticator: passphraseAuthenticator } = await import('../../src/transport/secure/pake-link.js');
  const pair = async (sa: string, sb: string) => {
    const offer = await offerCall({ ice: {}, call: { name: 'a', pane: { width: 0, height: 0 } }, authenticate: passphraseAuthenticator(sa) });
    const answer = await answerCall(offer.blob, { ice: {}, call: { name: 'b', pane: { width: 0, height: 0 }, autoAccept: true }, authenticate: passphraseAuthenticator(sb) });
    return Promise.allSettled([offer.complete(answer.blob), answer.session]);
  };
  const [a, b] = await pair('correct horse battery staple', 'correct horse battery staple');
  assert.equal(a.status, 'fulfilled');
  assert.equal(b.status, 'fulfilled');
  if (a.status === 'fulfilled' && b.status === 'fulfilled') {
    assert.equal(a.value.secure, true);
    assert.equal((await a.value.established).name, 'b');
    a.value.hangup();
    await b.value.closed;
  }
  const [x, y] = await pair('correct horse battery staple', 'wrong horse battery staple');
  assert.equal(x.status, 'rejected');
  assert.equal(y.status, 'rejected');
  assert.equal(x.status === 'rejected' ? (x.reason as { code: string }).code : '', 'ERR_AUTH_FAILED');
  await sleep(300);
  assert.equal(openPeerCount(), 0);
});

test('the session options may come later: the offer and answer are made before the source is open, the call then runs', { timeout: 60_000 }, async (t) => {
  let openA: (v: Parameters<typeof offerCall>[0]['call']) => void = () => undefined;
  const callA = new Promise<Parameters<typeof offerCall>[0]['call']>((r) => { openA = r; });
  const offer = await offerCall({ ice: {}, call: callA as Promise<{ name: string; pane: { width: number; height: number } }> });
  const answer = await answerCall(offer.blob, { ice: {}, call: Promise.resolve({ name: 'b', pane: { width: 160, height: 120 }, decode, autoAccept: true }) });
  const sessionA = offer.complete(answer.blob);
  await sleep(300); // connected by now, waiting for its options
  const srcA = makeTestSource({ width: 160, height: 120, fps: 15 });
  t.after(() => srcA.close());
  openA({ name: 'a', pane: { width: 0, height: 0 }, source: srcA, decode });
  const [a, b] = await Promise.all([sessionA, answer.session]);
  t.after(() => { a.hangup(); b.hangup(); });
  const frames: Frame[] = [];
  b.on('frame', (f) => frames.push(f));
  assert.equal((await a.established).name, 'b');
  for (let i = 0; i < 50 && frames.length < 3; i++) await sleep(100);
  assert.ok(frames.length >= 3, `frames at B: ${frames.length}`);
  const bClosed = closed(b);
  a.hangup();
  await bClosed;
  await sleep(200);
  assert.equal(openPeerCount(), 0);
});
