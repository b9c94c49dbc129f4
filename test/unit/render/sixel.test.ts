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
  test(`sixel, fixed palette (${dither} dither), decodes to the scaled source within palette error`, () => {
    const r = createSixelRenderer({ cellWidthPx: 8, cellHeightPx: 16, dither, palette: 'fixed' });
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

// Decode a sixel renderer write with the sixel package: [width, height, RGB per pixel].
function decodeWrite(out: Buffer): { width: number; height: number; rgb: number[][] } {
  const s = out.toString('latin1');
  const start = s.indexOf('\x1bP');
  const img = sixel.decode(out.subarray(s.indexOf('q', start) + 1, s.lastIndexOf('\x1b\\')));
  return { width: img.width, height: img.height, rgb: Array.from(img.data32, (v) => sixel.fromRGBA8888(v).slice(0, 3)) };
}

// PSNR of a decoded write against the frame scaled to its size.
function psnrOf(out: Buffer, frame: ReturnType<typeof testFrame>, w: number, h: number): number {
  const img = decodeWrite(out);
  const want = new FrameScaler().scale(frame, w, h, 1).data;
  let se = 0;
  img.rgb.forEach((p, i) => { for (let c = 0; c < 3; c++) se += ((p[c] as number) - (want[3 * i + c] as number)) ** 2; });
  return 10 * Math.log10((255 * 255 * w * h * 3) / se);
}

test('the adaptive palette beats the fixed one (once posterized) and stays put within a scene', () => {
  const rect = { col: 0, row: 0, cols: 20, rows: 8 }; // 160x128 px
  // a camera-like picture: few hues, smooth shading (where a fixed cube posterizes)
  const warm = (f: ReturnType<typeof testFrame>) => ({ ...f, data: f.data.map((v, i) => (i % 3 === 2 ? 120 + (v >> 2) : i % 3 === 1 ? 80 + (v >> 2) : 60 + (v >> 3))) });
  const frames = [0, 1, 2].map((i) => warm(testFrame(200, 160, i, 4)));
  const adaptive = createSixelRenderer({ cellWidthPx: 8, cellHeightPx: 16 });
  const fixed = createSixelRenderer({ cellWidthPx: 8, cellHeightPx: 16, palette: 'fixed' });
  const a = psnrOf(adaptive.render(frames[0]!, rect), frames[0]!, 160, 128);
  const f = psnrOf(fixed.render(frames[0]!, rect), frames[0]!, 160, 128);
  assert.ok(a > f + 2, `adaptive ${a.toFixed(2)} dB vs fixed ${f.toFixed(2)} dB`);
  // the register definitions do not change between frames of one scene (no colour flicker)
  const defs = (b: Buffer): string => (b.toString('latin1').match(/#\d+;2;\d+;\d+;\d+/g) ?? []).sort().join();
  const d1 = defs(adaptive.render(frames[1]!, rect));
  const d2 = defs(adaptive.render(frames[2]!, rect));
  assert.ok(d1.length > 0);
  for (const d of d2.split(',')) assert.ok(d1.split(',').includes(d) || !d, `register ${d} was redefined within a scene`);
  // a new scene (an inverted picture) gets a new palette
  const inv = { ...frames[2]!, data: frames[2]!.data.map((v) => 255 - v) };
  const d3 = defs(adaptive.render(inv, rect));
  assert.notEqual(d3, d2);
  assert.ok(psnrOf(adaptive.render(inv, rect), inv, 160, 128) > f, 'and fits it');
});
