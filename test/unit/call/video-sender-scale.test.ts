// The sender fits frames into the peer's pane scaled by the congestion control's size decision.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VideoSender } from '../../../src/call/video-sender.js';
import type { VideoMsg } from '../../../src/protocol/messages.js';
import { makeTestSource } from '../../helpers/net-test-source.js';
import { sleep } from '../../helpers/net-pair.js';

/** A sender on a link that records what it sends and acks every frame at once. */
function ackingSender(): { sender: VideoSender; sent: VideoMsg[] } {
  const sent: VideoMsg[] = [];
  const sender: VideoSender = new VideoSender({
    send: (m) => {
      sent.push(m);
      setImmediate(() => sender.onAck({ type: 'ack', seq: m.seq, status: 'decoded', latencyMs: 1 }));
    },
    backlogBytes: () => 0,
    onSourceError: () => undefined,
  }, 60, 30);
  return { sender, sent };
}

/** Wait (bounded) until a frame after index `from` is sent; return it. */
async function nextFrame(sent: VideoMsg[], from: number): Promise<VideoMsg> {
  for (let i = 0; i < 200 && sent.length <= from; i++) await sleep(10);
  const m = sent[sent.length - 1];
  assert.ok(m && sent.length > from, 'no frame sent within 2 s');
  return m;
}

test('frames are sent at cc.scale of the pane, never below MIN_SEND_SIDE_PX for a small pane', async (t) => {
  const src = makeTestSource({ width: 640, height: 480, fps: 30 });
  const { sender, sent } = ackingSender();
  t.after(async () => { sender.stop(); await src.close(); });
  sender.setSource(src);
  sender.setBox(320, 240);
  sender.start();
  let m = await nextFrame(sent, 0);
  assert.deepEqual([m.width, m.height, m.quality], [320, 240, 60]);
  sender.cc.scale = 0.75;
  sender.cc.quality = 45;
  let n = sent.length + 1; // the frame being pulled may still be the old size
  m = await nextFrame(sent, n);
  assert.deepEqual([m.width, m.height, m.quality], [240, 180, 45]);
  sender.cc.scale = 0.5;
  n = sent.length + 1;
  m = await nextFrame(sent, n);
  assert.deepEqual([m.width, m.height], [160, 120]);
  // A pane of 128x96 cannot shrink (96 px is the minimum side): the scale goes back to 1.
  sender.setBox(128, 96);
  assert.equal(sender.cc.scale, 1);
  n = sent.length + 1;
  m = await nextFrame(sent, n);
  assert.deepEqual([m.width, m.height], [128, 96]);
});
