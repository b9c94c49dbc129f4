// Sixel output decoded by an independent decoder (the `sixel` package) matches the source within palette error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createSixelRenderer } from '../../../src/render/sixel.js';
import { FrameScaler } from '../../../src/render/scale.js';
import { SIXEL_LEVELS } from '../../../src/render/sixel-encode.js';
import { testFrame } from '../../helpers/render-screen.js';

const require = createRequire(import.meta.url);
const sixel = require('sixel') as typeof import('sixel');

// Half a palette step per channel: the largest error of nearest-level quantisation.
const HALF_STEP = SIXEL_LEVELS.map((n) => 255 / (n - 1) / 2 + 1.5);

for (const dither of ['none', 'ordered'] as const) {
  test(`sixel (${dither} dither) decodes to the scaled source within palette error`, () => {
    const r = createSixelRenderer({ cellWidthPx: 8, cellHeightPx: 16, dither });
    const rect = { col: 4, row: 2, cols: 20, rows: 7 }; // 160 x 112 px, not a multiple of 6
    const frame = testFrame(200, 150, 3, 10);
    const out = r.render(frame, rect);
    const s = out.toString('latin1');
    assert.ok(s.startsWith('\x1b[?2026h\x1b[3;5H\x1bP0;0;0q"1;1;160;112'), JSON.stringify(s.slice(0, 40)));
    assert.ok(s.endsWith('\x1b\\\x1b[?2026l'));
    const start = s.indexOf('\x1bP');
    const body = out.subarray(s.indexOf('q', start) + 1, s.lastIndexOf('\x1b\\'));
    const img = sixel.decode(body);
    assert.equal(img.width, 160);
    assert.equal(img.height, 112);
    const want = new FrameScaler().scale(frame, 160, 112, 1).data;
    let worst = 0;
    let sum = 0;
    for (let i = 0, n = 160 * 112; i < n; i++) {
      const [r8, g8, b8] = sixel.fromRGBA8888(img.data32[i] as number);
      const d = [r8 - (want[3 * i] as number), g8 - (want[3 * i + 1] as number), b8 - (want[3 * i + 2] as number)];
      for (let c = 0; c < 3; c++) {
        const e = Math.abs(d[c] as number);
        sum += e;
        // ordered dither may pick the next level but one: allow a full step
        const limit = (HALF_STEP[c] as number) * (dither === 'none' ? 1 : 2);
        assert.ok(e <= limit, `pixel ${i} channel ${c}: error ${e} > ${limit}`);
        worst = Math.max(worst, e);
      }
    }
    assert.ok(sum / (160 * 112 * 3) < (dither === 'none' ? 14 : 24), `mean error ${sum / (160 * 112 * 3)}`);
    assert.ok(worst > 0, 'a fixed palette cannot be exact on a gradient (decoder really ran)');
  });
}

test('sixel image is letterboxed into the pane and capped at the maximum side', () => {
  const r = createSixelRenderer({ cellWidthPx: 10, cellHeightPx: 20, maxSidePx: 1000 });
  assert.deepEqual(r.imageSize({ col: 0, row: 0, cols: 64, rows: 24 }), { width: 640, height: 480 });
  assert.deepEqual(r.imageSize({ col: 0, row: 0, cols: 200, rows: 60 }), { width: 1000, height: 600 });
  // a wide pane: black bars left and right
  const out = r.render(testFrame(64, 48, 0, 0), { col: 0, row: 0, cols: 20, rows: 5 }); // 200x100 px, 4:3 → 133x100
  const s = out.toString('latin1');
  const img = sixel.decode(out.subarray(s.indexOf('q') + 1, s.lastIndexOf('\x1b\\')));
  assert.equal(img.width, 200);
  const px = (x: number, y: number): number[] => sixel.fromRGBA8888(img.data32[y * 200 + x] as number).slice(0, 3);
  assert.deepEqual(px(5, 50), [0, 0, 0]);
  assert.deepEqual(px(195, 50), [0, 0, 0]);
  assert.notDeepEqual(px(100, 10), [0, 0, 0]);
});

test('sixel renderer survives bad pixel data and empty panes', () => {
  const r = createSixelRenderer();
  assert.equal(r.render(testFrame(8, 8, 0), { col: 0, row: 0, cols: 0, rows: 3 }).length, 0);
  const out = r.render({ data: new Uint8Array(3), width: 100, height: 100, captureTs: 0, seq: 0 }, { col: 0, row: 0, cols: 2, rows: 1 });
  assert.ok(Buffer.isBuffer(out));
});
