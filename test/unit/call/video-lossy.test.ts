// On a lossy lane a lost frame (or ack) must not stall the window: it expires or is overtaken by a later ack; on a
// reliable stream nothing expires. A frame older than one already received is dropped and acked as such.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VideoSender } from '../../../src/call/video-sender.js';
import { VideoReceiver } from '../../../src/call/video-receiver.js';
import type { AckMsg, VideoMsg } from '../../../src/protocol/messages.js';
import { LOSSY_ACK_TIMEOUT_MS, MAX_FRAMES_IN_FLIGHT } from '../../../src/shared/limits.js';
import { makeTestSource } from '../../helpers/net-test-source.js';
import { sleep } from '../../helpers/net-pair.js';

/** A sender whose link never acks (every frame lost); counts what it sent. */
function blackHole(lossy: boolean): { sender: VideoSender; sent: VideoMsg[] } {
  const sent: VideoMsg[] = [];
  const sender = new VideoSender({ send: (m) => { sent.push(m); }, backlogBytes: () => 0, onSourceError: () => undefined }, 60, 30, lossy);
  return { sender, sent };
}

test('lossy lane: frames never acked expire after LOSSY_ACK_TIMEOUT_MS and sending goes on; a reliable stream stays at its window', { timeout: 20_000 }, async (t) => {
  const src = makeTestSource({ width: 160, height: 120, fps: 30 });
  const lossy = blackHole(true);
  const reliable = blackHole(false);
  t.after(async () => { lossy.sender.stop(); reliable.sender.stop(); await src.close(); });
  for (const s of [lossy.sender, reliable.sender]) { s.setSource(src); s.setBox(160, 120); s.start(); }
  await sleep(LOSSY_ACK_TIMEOUT_MS * 3 + 600);
  assert.equal(reliable.sent.length, MAX_FRAMES_IN_FLIGHT, 'a reliable stream waits for its acks');
  assert.ok(lossy.sent.length > MAX_FRAMES_IN_FLIGHT * 2, `lossy sender kept sending (${lossy.sent.length} frames)`);
  assert.ok(lossy.sender.lostCount >= lossy.sent.length - MAX_FRAMES_IN_FLIGHT - 1, `lost ${lossy.sender.lostCount}`);
});

test('lossy lane: an ack for a later frame frees the slots of earlier unacked ones', async (t) => {
  const src = makeTestSource({ width: 160, height: 120, fps: 30 });
  const { sender, sent } = blackHole(true);
  t.after(async () => { sender.stop(); await src.close(); });
  sender.setSource(src);
  sender.setBox(160, 120);
  sender.start();
  for (let i = 0; i < 100 && sent.length < MAX_FRAMES_IN_FLIGHT; i++) await sleep(10);
  const last = sent.at(-1);
  assert.ok(last && sent.length === MAX_FRAMES_IN_FLIGHT);
  assert.equal(sender.onAck({ type: 'ack', seq: last.seq, status: 'decoded', latencyMs: 5 }), true);
  assert.equal(sender.inFlightCount, 0);
  assert.equal(sender.lostCount, MAX_FRAMES_IN_FLIGHT - 1);
});

test('a frame older than one already received is not decoded, and is acked as dropped', async () => {
  const acks: AckMsg[] = [];
  const decoded: number[] = [];
  const r = new VideoReceiver({ sendAck: (a) => acks.push(a), clockOffsetMs: () => 0, onFrame: () => undefined, onDecodeError: () => undefined },
    async (jpeg) => { decoded.push(jpeg[0] ?? -1); return { data: Buffer.alloc(3), width: 1, height: 1, captureTs: 0, seq: 0 }; });
  const v = (seq: number): VideoMsg => ({ type: 'video', seq, captureTs: 0, width: 1, height: 1, quality: 50, jpeg: Uint8Array.of(seq) });
  r.onVideo(v(5));
  await sleep(20);
  r.onVideo(v(3));
  await sleep(20);
  assert.deepEqual(decoded, [5]);
  assert.deepEqual(acks.map((a) => [a.seq, a.status]), [[5, 'decoded'], [3, 'dropped']]);
});
