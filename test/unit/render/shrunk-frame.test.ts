// A frame the sender shrank under congestion still fills the pane: every renderer scales frames to the pane, up too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RENDERER_KINDS, createRenderer } from '../../../src/render/table.js';
import type { Frame } from '../../../src/shared/frame.js';
import { FrameScaler } from '../../../src/render/scale.js';
import { viewerFor } from '../../../src/bench/fidelity-viewers.js';
import { psnrRgb } from '../../../src/bench/fidelity-metrics.js';

// What a viewer sees of one render into a 40x15 pane of 8x16 cells.
function seen(kind: (typeof RENDERER_KINDS)[number], bytes: Buffer) {
  const v = viewerFor(kind)({ cols: 40, rows: 15, cellWidthPx: 8, cellHeightPx: 16 });
  v.write(bytes);
  return v.picture();
}

/** A BGR picture of four coloured quadrants (top-left red, top-right green, bottom-left blue, bottom-right white). */
function quadrants(width: number, height: number, mirrored = false): Frame {
  const data = new Uint8Array(width * height * 3);
  const colours = [[0, 0, 255], [0, 255, 0], [255, 0, 0], [255, 255, 255]];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const right = (x >= width / 2) !== mirrored;
      const c = colours[(y >= height / 2 ? 2 : 0) + (right ? 1 : 0)] as number[];
      data.set(c, (y * width + x) * 3);
    }
  }
  return { data, width, height, captureTs: 0, seq: 0 };
}

test('every renderer draws a 0.75 or 0.5 size frame over the same pane area as the full-size one', () => {
  const cell = { width: 8, height: 16 };
  const rect = { col: 0, row: 0, cols: 40, rows: 15 }; // 320x240 px (sixel), 40x30 half-block pixels
  for (const kind of RENDERER_KINDS) {
    const full = createRenderer(kind, cell).render(quadrants(320, 240), rect);
    for (const [w, h] of [[240, 180], [160, 120]] as const) {
      const small = createRenderer(kind, cell).render(quadrants(w, h), rect);
      // enlarging is bilinear now: edges soften a little, the picture covers the same area
      const p = psnrRgb(seen(kind, small), seen(kind, full));
      assert.ok(p > 18, `${kind}: a ${w}x${h} frame is drawn like the 320x240 one (${p.toFixed(1)} dB)`);
    }
    // The comparison can tell pictures apart (it is not blind).
    const other = createRenderer(kind, cell).render(quadrants(320, 240, true), rect);
    assert.ok(psnrRgb(seen(kind, other), seen(kind, full)) < 10, `${kind}: a different picture draws differently`);
  }
});

test('a shrunk frame is enlarged smoothly (bilinear), not in nearest-neighbour steps', () => {
  // a horizontal grey ramp of 32 steps of 8 levels, enlarged 4x: neighbours differ by ~2 levels, not by 8
  const w = 32;
  const data = new Uint8Array(w * 8 * 3);
  for (let y = 0; y < 8; y++) for (let x = 0; x < w; x++) data.fill(x * 8, (y * w + x) * 3, (y * w + x) * 3 + 3);
  const g = new FrameScaler().scale({ data, width: w, height: 8, seq: 0, captureTs: 0 }, 128, 32, 1);
  let worst = 0;
  for (let x = 8; x < 120; x++) worst = Math.max(worst, Math.abs((g.data[(16 * 128 + x + 1) * 3] as number) - (g.data[(16 * 128 + x) * 3] as number)));
  assert.ok(worst <= 3, `largest step between neighbours: ${worst} levels`);
});
