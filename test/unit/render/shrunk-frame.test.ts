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

import { KittyModel, drawPlacement } from '../../../src/render/kitty-decode.js';
import { iterm2Placement, parseIterm2 } from '../../../src/render/iterm2-decode.js';
import { decodePng, type RgbPicture } from '../../../src/render/png.js';

/** What a pixel renderer's bytes show on a 320x240 screen (kitty and iTerm2 send a small frame small: the terminal stretches it). */
function shown(kind: string, bytes: Buffer, cell: { width: number; height: number }): RgbPicture {
  if (kind === 'kitty') {
    const m = new KittyModel();
    m.feed(bytes);
    return m.rasterize(320, 240, cell);
  }
  const out = new Uint8Array(320 * 240 * 3);
  for (const img of parseIterm2(bytes)) {
    const pic = decodePng(img.data);
    const pl = iterm2Placement(img, pic.width, pic.height, cell, { width: 320, height: 240 });
    drawPlacement(out, 320, 240, pic, pl.placement, cell, pl);
  }
  return { width: 320, height: 240, data: out };
}

/** The colour shown at the centre of each quadrant, and the bounding box of what is not black. */
function signature(p: RgbPicture): string {
  const at = (x: number, y: number): string => Array.from(p.data.subarray((y * p.width + x) * 3, (y * p.width + x) * 3 + 3)).map((v) => (v > 127 ? 1 : 0)).join('');
  let x0 = p.width;
  let y0 = p.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < p.height; y++) for (let x = 0; x < p.width; x++) {
    const i = (y * p.width + x) * 3;
    if ((p.data[i] as number) + (p.data[i + 1] as number) + (p.data[i + 2] as number) > 30) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  }
  return `${at(80, 60)} ${at(240, 60)} ${at(80, 180)} ${at(240, 180)} box ${x0},${y0}-${x1},${y1}`;
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
    const pixel = kind === 'kitty' || kind === 'iterm2';
    for (const [w, h] of [[240, 180], [160, 120]] as const) {
      const small = createRenderer(kind, cell).render(quadrants(w, h), rect);
      if (pixel) assert.equal(signature(shown(kind, small, cell)), signature(shown(kind, full, cell)), `${kind}: a ${w}x${h} frame covers the pane like the 320x240 one`);
      else {
        // enlarging is bilinear now: edges soften a little, the picture covers the same area
        const p = psnrRgb(seen(kind, small), seen(kind, full));
        assert.ok(p > 18, `${kind}: a ${w}x${h} frame is drawn like the 320x240 one (${p.toFixed(1)} dB)`);
      }
    }
    // The comparison can tell pictures apart (it is not blind).
    const other = createRenderer(kind, cell).render(quadrants(320, 240, true), rect);
    if (pixel) assert.ok(!other.equals(full), `${kind}: a different picture draws differently`);
    else assert.ok(psnrRgb(seen(kind, other), seen(kind, full)) < 10, `${kind}: a different picture draws differently`);
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
