// A frame the sender shrank under congestion still fills the pane: every renderer scales frames to the pane, up too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RENDERER_KINDS, createRenderer } from '../../../src/render/table.js';
import type { Frame } from '../../../src/shared/frame.js';

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
      assert.ok(small.equals(full), `${kind}: a ${w}x${h} frame is drawn like the 320x240 one`);
    }
    // The comparison can tell pictures apart (it is not blind).
    const other = createRenderer(kind, cell).render(quadrants(320, 240, true), rect);
    assert.ok(!other.equals(full), `${kind}: a different picture draws differently`);
  }
});
