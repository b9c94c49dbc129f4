// Flow-control limits against a scripted peer: the in-flight window, the socket backlog, the ring timeout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeMessage, encodePreamble } from '../../src/protocol/codec.js';
import { listenerOpening, scriptedPeer } from '../helpers/net-scripted-peer.js';
import { Session } from '../../src/call/session.js';
import { MAX_FRAMES_IN_FLIGHT, MAX_SOCKET_BACKLOG_BYTES } from '../../src/shared/limits.js';
import { makeTestSource } from '../helpers/net-test-source.js';
import { closed, sleep } from '../helpers/net-pair.js';

test(`MAX_FRAMES_IN_FLIGHT: a peer that never acks gets exactly ${MAX_FRAMES_IN_FLIGHT} frames; each ack lets one more through`, async (t) => {
  const src = makeTestSource({ width: 320, height: 240, fps: 30 });
  const peer = scriptedPeer({});
  const s = new Session(peer.stream, { role: 'dialer', name: 'd', pane: { width: 0, height: 0 }, source: src });
  t.after(async () => { s.hangup(); await src.close(); });
  peer.reply(listenerOpening());
  await s.established;
  await sleep(800);
  assert.equal(peer.videos.length, MAX_FRAMES_IN_FLIGHT);
  const firstSeq = peer.videos[0]?.seq ?? 0;
  peer.reply(encodeMessage({ type: 'ack', seq: firstSeq, status: 'decoded', latencyMs: 5 }));
  await sleep(500);
  assert.equal(peer.videos.length, MAX_FRAMES_IN_FLIGHT + 1);
  // Meanwhile the source kept capturing: those frames were skipped, not queued.
  assert.ok(src.pulls <= MAX_FRAMES_IN_FLIGHT + 2, `pulls ${src.pulls}`);
});

test('MAX_SOCKET_BACKLOG_BYTES: with acks flowing but the stream not draining, writing stops past the backlog limit', async (t) => {
  const src = makeTestSource({ width: 640, height: 480, fps: 30 });
  let hold = false;
  const acks: number[] = [];
  const peer = scriptedPeer({ holdWrites: () => hold, onVideo: (m) => acks.push(m.seq) });
  const s = new Session(peer.stream, { role: 'dialer', name: 'd', pane: { width: 0, height: 0 }, source: src, quality: 100 });
  t.after(async () => { s.hangup(); for (const cb of peer.held) cb(); await src.close(); });
  // The peer acks every frame at once, so the window never limits; only the backlog can.
  const ackTimer = setInterval(() => { for (const seq of acks.splice(0)) peer.reply(encodeMessage({ type: 'ack', seq, status: 'decoded', latencyMs: 1 })); }, 5);
  t.after(() => clearInterval(ackTimer));
  peer.reply(listenerOpening());
  await s.established;
  await sleep(300);
  hold = true;
  const before = peer.videos.length;
  await sleep(2000);
  const sent = peer.videos.slice(before);
  const bytes = sent.reduce((n, m) => n + m.jpeg.length + 22, 0);
  const biggest = Math.max(0, ...sent.map((m) => m.jpeg.length + 22));
  assert.ok(sent.length >= 1, 'frames are written until the backlog fills');
  assert.ok(bytes <= MAX_SOCKET_BACKLOG_BYTES + biggest, `${bytes} bytes written into a stalled stream`);
  assert.ok(peer.stream.writableLength > 0);
});

test('ring timeout: a dialer left ringing ends with ERR_RING_TIMEOUT and a bye', async () => {
  const peer = scriptedPeer({});
  const s = new Session(peer.stream, { role: 'dialer', name: 'd', pane: { width: 0, height: 0 }, ringTimeoutMs: 300 });
  peer.reply(Buffer.concat([encodePreamble(), encodeMessage({ type: 'hello', name: 'slow', renderer: '', paneWidth: 1, paneHeight: 1, features: 0 })]));
  const info = await closed(s);
  assert.equal(info.error?.code, 'ERR_RING_TIMEOUT');
  assert.equal(info.reason, 'timeout');
});
