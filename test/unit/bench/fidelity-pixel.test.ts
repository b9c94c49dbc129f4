// The fidelity section's pixel viewers: kitty bytes decoded by the pure decoder and iTerm2 PNGs decoded show the
// frame (lossless at the pane size), far above the half-block picture of the same frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchFidelityTarget, defaultTargets } from '../../../src/bench/fidelity.js';
import { testFrame } from '../../helpers/render-screen.js';

test('kitty and iTerm2 in the fidelity section: 640x480 panes, decoded payloads near-lossless, above half-blocks', () => {
  const frames = [0, 1, 2].map((i) => testFrame(640, 480, i));
  const targets = defaultTargets(['kitty', 'iterm2', 'truecolor']).filter((t) => !t.shrink); // not the shrunk-input entry
  assert.deepEqual(targets.map((t) => [t.cols, t.rows]), [[80, 30], [80, 30], [128, 48]]);
  const [kitty, iterm2, blocks] = targets.map((t) => benchFidelityTarget(frames, t, 1, 'test'));
  for (const e of [kitty, iterm2]) {
    assert.ok(e && e.psnrDb > 45, `${e?.renderer}: ${e?.psnrDb} dB`);
    assert.ok(e && blocks && e.psnrDb > blocks.psnrDb + 10, `${e?.renderer} above half-blocks (${blocks?.psnrDb} dB)`);
    assert.ok(e && e.bytesPerFrame > 0);
  }
});
