// An HTTP MJPEG stream states no frame rate; termcall must deliver it at the rate it arrives (up to the asked fps),
// not at FFmpeg's 25 fps guess. Real OpenCV, a real MJPEG server on 127.0.0.1; rates are compared as ratios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { media, shutdownMedia } from '../../src/media/media.js';
import { mjpegSource } from '../helpers/termcall-process.js';
import type { FrameSource } from '../../src/shared/frame-source.js';
import type { MjpegServer } from '../helpers/mjpeg-server.js';

const m = media();
test.after(() => shutdownMedia());

/** Frames the source delivered and frames the server sent over the same stretch (after a warm-up). */
async function measure(src: FrameSource, server: MjpegServer, ms: number): Promise<{ delivered: number; served: number }> {
  let seq = (await src.pull({ raw: false })).seq;
  const warm = Date.now() + 500;
  while (Date.now() < warm) seq = (await src.pull({ afterSeq: seq, raw: false })).seq;
  const seq0 = seq;
  const sent0 = server.framesSent();
  const end = Date.now() + ms;
  while (Date.now() < end) seq = (await src.pull({ afterSeq: seq, raw: false })).seq;
  return { delivered: seq - seq0, served: server.framesSent() - sent0 };
}

for (const servedFps of [30, 12]) {
  test(`MJPEG served at ${servedFps} fps, opened with --fps 30: delivered at the served rate, and reported so`, { timeout: 30_000 }, async (t) => {
    const server = await mjpegSource(t, servedFps);
    const src = await m.openSource(server.url, { fps: 30 });
    t.after(() => src.close());
    const { delivered, served } = await measure(src, server, 2_000);
    const ratio = delivered / served;
    t.diagnostic(`served ${served}, delivered ${delivered} (ratio ${ratio.toFixed(3)}), reported ${src.info.fps} fps`);
    // Before the fix a 30 fps stream came out at 25 fps (ratio 0.83).
    assert.ok(ratio > 0.9 && ratio < 1.1, `delivered ${delivered} of ${served} frames served (ratio ${ratio.toFixed(2)})`);
    // The rate the source reports is the measured one, not 25.
    const reported = src.info.fps / servedFps;
    assert.ok(reported > 0.85 && reported < 1.1, `source reports ${src.info.fps} fps for a ${servedFps} fps stream`);
  });
}

test('MJPEG served at 60 fps, opened with --fps 30: thinned to about 30', { timeout: 30_000 }, async (t) => {
  const server = await mjpegSource(t, 60);
  const src = await m.openSource(server.url, { fps: 30 });
  t.after(() => src.close());
  const { delivered, served } = await measure(src, server, 2_000);
  const ratio = delivered / served;
  t.diagnostic(`served ${served}, delivered ${delivered} (ratio ${ratio.toFixed(3)}), reported ${src.info.fps} fps`);
  // 30 of 60: about half the frames, never (nearly) all of them.
  assert.ok(ratio > 0.4 && ratio < 0.6, `delivered ${delivered} of ${served} frames served (ratio ${ratio.toFixed(2)})`);
  assert.equal(src.info.fps, 30);
});
