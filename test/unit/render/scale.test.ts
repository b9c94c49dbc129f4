// Letterboxing geometry and the area-average filter.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameScaler, fitContent } from '../../../src/render/scale.js';

test('fitContent keeps the aspect ratio with centred bars', () => {
  // 640x480 into 128x48 half-block cells (grid 128x96, square pixels): fills exactly
  assert.deepEqual(fitContent(640, 480, 128, 96, 1), { x: 0, y: 0, width: 128, height: 96 });
  // into 200x60 cells (grid 200x120): bars left and right
  assert.deepEqual(fitContent(640, 480, 200, 120, 1), { x: 20, y: 0, width: 160, height: 120 });
  // wide source into a square grid: bars top and bottom
  assert.deepEqual(fitContent(1280, 720, 100, 100, 1), { x: 0, y: 22, width: 100, height: 56 });
  // cells 9x20 px: a half-block pixel is 9x10, aspect 0.9 → more columns per row
  assert.deepEqual(fitContent(640, 480, 200, 120, 0.9), { x: 11, y: 0, width: 178, height: 120 });
  assert.deepEqual(fitContent(0, 480, 10, 10), { x: 0, y: 0, width: 0, height: 0 });
});

test('area average: boxes average exactly, bars are black, BGR becomes RGB', () => {
  // 4x2 BGR source → 2x1 content
  const src = new Uint8Array([
    10, 20, 30, 30, 40, 50, 0, 0, 200, 0, 0, 100,
    10, 20, 30, 30, 40, 50, 0, 0, 100, 0, 0, 0,
  ]);
  const s = new FrameScaler();
  const g = s.scale({ data: src, width: 4, height: 2, captureTs: 0, seq: 0 }, 2, 3, 2);
  // pixel aspect 2: s = min(2*2/4, 3/2) = 1 → 2x2 content of 2x1 boxes, one bar row below ((3-2)>>1 = 0 above)
  assert.deepEqual(g.content, { x: 0, y: 0, width: 2, height: 2 });
  assert.deepEqual([...g.data.subarray(0, 6)], [40, 30, 20, 150, 0, 0]);
  assert.deepEqual([...g.data.subarray(6, 12)], [40, 30, 20, 50, 0, 0]);
  assert.deepEqual([...g.data.subarray(12, 18)], [0, 0, 0, 0, 0, 0], 'bar row is black');
  // 4x4 → 2x2: each output pixel is the mean of a 2x2 box
  const sq = new Uint8Array(4 * 4 * 3);
  for (let i = 0; i < 16; i++) sq[3 * i + 2] = i * 10; // R = 0,10,…,150 row-major
  const g2 = new FrameScaler().scale({ data: sq, width: 4, height: 4, captureTs: 0, seq: 0 }, 2, 2, 1);
  assert.deepEqual([0, 1, 2, 3].map((i) => g2.data[3 * i]), [25, 45, 105, 125]);
  // upscaling repeats pixels
  const up = s.scale({ data: new Uint8Array([1, 2, 3]), width: 1, height: 1, captureTs: 0, seq: 0 }, 3, 3, 1);
  assert.deepEqual([...up.data], [3, 2, 1, 3, 2, 1, 3, 2, 1, 3, 2, 1, 3, 2, 1, 3, 2, 1, 3, 2, 1, 3, 2, 1, 3, 2, 1]);
});
