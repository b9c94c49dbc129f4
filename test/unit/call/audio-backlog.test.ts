// While audio flows, video stops short of the socket backlog limit (AUDIO_BACKLOG_RESERVE_BYTES), so an audio packet
// never waits behind a full backlog of video; without audio video may fill the backlog up to its limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeMessage, encodePreamble } from '../../../src/protocol/codec.js';
import { FEATURE } from '../../../src/protocol/messages.js';
import { Session } from '../../../src/call/session.js';
import type { FrameSource, PulledFrame } from '../../../src/shared/frame-source.js';
import { AUDIO_BACKLOG_RESERVE_BYTES, MAX_SOCKET_BACKLOG_BYTES } from '../../../src/shared/limits.js';
import { sleep } from '../../helpers/net-pair.js';
import { scriptedPeer } from '../../helpers/net-scripted-peer.js';

/** JPEG-sized frames, a new one every 10 ms. */
const JPEG_BYTES = 20 * 1024;
function fakeSource(): FrameSource {
  let seq = 0;
  return {
    info: { kind: 'test', label: 'fake', width: 320, height: 240, fps: 100 },
    async pull(o): Promise<PulledFrame> {
      await sleep(10);
      seq = Math.max(seq + 1, (o?.afterSeq ?? -1) + 1);
      const captureTs = Date.now();
      return { seq, captureTs, skipped: 0, encoded: { jpeg: new Uint8Array(JPEG_BYTES).fill(1), width: 320, height: 240, quality: 60, seq, captureTs } };
    },
    async close() {},
  };
}

/** Video frames the session writes while the peer reads nothing (every write stays in the backlog). */
async function framesIntoAStalledLink(audio: boolean): Promise<{ frames: number; backlog: number }> {
  const peer = scriptedPeer({ holdWrites: () => true });
  const s = new Session(peer.stream, { role: 'dialer', name: 'me', pane: { width: 320, height: 240 }, audio, source: fakeSource() });
  peer.reply(Buffer.concat([encodePreamble(),
    encodeMessage({ type: 'hello', name: 'p', renderer: '', paneWidth: 320, paneHeight: 240, features: audio ? FEATURE.audio : 0 }),
    encodeMessage({ type: 'accept' })]));
  await s.established;
  // Acks free the window (so only the backlog limits video).
  const acked = new Set<number>();
  const iv = setInterval(() => {
    for (const v of peer.videos) if (!acked.has(v.seq)) { acked.add(v.seq); peer.reply(encodeMessage({ type: 'ack', seq: v.seq, status: 'decoded', latencyMs: 1 })); }
  }, 5);
  await sleep(600);
  clearInterval(iv);
  const frames = (s as unknown as { sender: { counters: { frames: number } } }).sender.counters.frames;
  const backlog = peer.stream.writableLength;
  s.hangup();
  return { frames, backlog };
}

test('video leaves AUDIO_BACKLOG_RESERVE_BYTES of the backlog free while audio flows', async () => {
  const withAudio = await framesIntoAStalledLink(true);
  const without = await framesIntoAStalledLink(false);
  // Video stops once the backlog passes its limit: the limit minus the reserve with audio, the whole limit without.
  assert.ok(withAudio.backlog <= MAX_SOCKET_BACKLOG_BYTES - AUDIO_BACKLOG_RESERVE_BYTES + JPEG_BYTES + 1024, `with audio: ${withAudio.backlog} bytes waiting`);
  assert.ok(without.backlog > MAX_SOCKET_BACKLOG_BYTES - AUDIO_BACKLOG_RESERVE_BYTES + JPEG_BYTES + 1024, `without audio: ${without.backlog} bytes waiting`);
  assert.ok(withAudio.frames < without.frames, `${withAudio.frames} frames with audio, ${without.frames} without`);
});
