// Sixel output decoded by an independent decoder (the `sixel` package) matches the source within palette error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createSixelRenderer, sixelRegisters } from '../../../src/render/sixel.js';
import { createRenderer } from '../../../src/render/table.js';
import { detectCaps } from '../../../src/render/caps.js';
import { SIXEL_MAX_BYTES_PER_KPX } from '../../../src/shared/limits.js';
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

// A camera-like 640x480 BGR frame: a wall in a smooth vertical gradient (where 16 colours band), a face, a door,
// and a little deterministic sensor noise.
function cameraFrame(seed: number, sigma = 2): ReturnType<typeof testFrame> {
  const W = 640, H = 480;
  const data = new Uint8Array(W * H * 3);
  let s = seed >>> 0 || 1;
  const noise = (): number => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return ((s % 1000) / 1000 - 0.5) * 2 * sigma;
  };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = y / H + 0.15 * Math.cos((x / W) * Math.PI);
      let rgb = [205 - 70 * t, 188 - 70 * t, 160 - 62 * t];
      if (((x - 380) / 70) ** 2 + ((y - 230) / 85) ** 2 < 1) rgb = [228, 160, 128];
      else if (x > 430 && x < 580 && y > 90) rgb = [92, 68, 52];
      const o = (y * W + x) * 3;
      for (let c = 0; c < 3; c++) data[o + 2 - c] = Math.max(0, Math.min(255, Math.round((rgb[c] as number) + noise())));
    }
  }
  return { data, width: W, height: H, captureTs: 0, seq: seed };
}

// Blurred-luma PSNR (3x3 box) of a decoded write against the frame over the wall (left of the face, above the door).
function wallBlurPsnr(out: Buffer, frame: ReturnType<typeof testFrame>): number {
  const img = decodeWrite(out);
  const want = new FrameScaler().scale(frame, 640, 480, 1).data;
  const luma = (get: (i: number, c: number) => number) => (i: number): number => 0.299 * get(i, 0) + 0.587 * get(i, 1) + 0.114 * get(i, 2);
  const a = luma((i, c) => img.rgb[i]![c]!);
  const b = luma((i, c) => want[3 * i + c] as number);
  let se = 0, n = 0;
  for (let y = 1; y < 479; y++) {
    for (let x = 1; x < 300; x++) {
      let d = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) d += a((y + dy) * 640 + x + dx) - b((y + dy) * 640 + x + dx);
      se += (d / 9) ** 2;
      n++;
    }
  }
  return 10 * Math.log10((255 * 255 * n) / se);
}

// The registers an image defines ("#i;2;…").
function registersDefined(out: Buffer): number {
  return (out.toString('latin1').match(/#\d+;2;\d+;\d+;\d+/g) ?? []).length;
}

test('the sixel palette uses the colour registers the terminal reports (XTSMGRAPHICS), 16 when it does not say', () => {
  const da1 = '\x1b[?63;1;2;4;6;9;15;16;22;28c';
  const regs = (data: string): number => sixelRegisters(detectCaps({ TERM: 'xterm' }, { data })).registers;
  assert.equal(regs('\x1b[?1;0;256S' + da1), 256, 'xterm -xrm numColorRegisters:256');
  assert.equal(regs('\x1b[?1;0;1024S' + da1), 256, "xterm's default 1024: capped at 256");
  assert.equal(regs('\x1b[?1;0;16S' + da1), 16);
  // no XTSMGRAPHICS reply (a VT340, or a terminal that does not know it): 16
  assert.equal(regs(da1), 16);
  assert.equal(regs(''), 16, 'no reply at all');
  // garbage: a count of 0, an error status, no value, a reply cut off
  for (const bad of ['\x1b[?1;0;0S', '\x1b[?1;3;0S', '\x1b[?1;0S', '\x1b[?1;0;25', '\x1b[?1;0;99999999S']) {
    const caps = detectCaps({ TERM: 'xterm' }, { data: bad + da1 });
    assert.equal(caps.sixelColorRegisters, null, JSON.stringify(bad));
    assert.equal(sixelRegisters(caps).registers, 16, JSON.stringify(bad));
  }
  assert.ok(detectCaps({ TERM: 'xterm' }, { data: '\x1b[?1;0;256S' + da1 }).reasons.some((r) => /sixel palette: 256 colour registers reported/.test(r)));
});

test('with 256 registers the sixel wall is measurably better than with 16, within the byte budget, and stays put', () => {
  const rect = { col: 0, row: 0, cols: 80, rows: 30 }; // 640x480 at 8x16 cells
  const cell = { width: 8, height: 16 };
  const frames = [1, 2, 3, 4].map((i) => cameraFrame(i));
  const r16 = createRenderer('sixel', cell, { sixelRegisters: 16 });
  const r256 = createRenderer('sixel', cell, { sixelRegisters: 256 });
  const budget = (640 * 480 * SIXEL_MAX_BYTES_PER_KPX) / 1000;
  const outs16 = frames.map((f) => r16.render(f, rect));
  const outs256 = frames.map((f) => r256.render(f, rect));
  assert.ok(registersDefined(outs16[0]!) <= 16, `16: ${registersDefined(outs16[0]!)} registers`);
  assert.ok(registersDefined(outs256[0]!) > 24, `256: ${registersDefined(outs256[0]!)} registers`);
  for (const out of outs256) assert.ok(out.length <= budget, `${out.length} B > ${budget} B`);
  const w16 = wallBlurPsnr(outs16[3]!, frames[3]!);
  const w256 = wallBlurPsnr(outs256[3]!, frames[3]!);
  assert.ok(w256 > w16 + 1, `wall: 256 registers ${w256.toFixed(2)} dB vs 16 ${w16.toFixed(2)} dB`);
  // no colour flicker within the scene: every frame defines registers from the same palette
  const defs = (b: Buffer): Set<string> => new Set(b.toString('latin1').match(/#\d+;2;\d+;\d+;\d+/g) ?? []);
  const seen = new Map<string, string>(); // register number → definition
  for (const out of outs256) {
    for (const d of defs(out)) {
      const reg = d.slice(0, d.indexOf(';'));
      assert.equal(seen.get(reg) ?? d, d, `register ${reg} redefined within the scene`);
      seen.set(reg, d);
    }
  }
});

test('sixel bytes stay within the budget on noisy input (the mapping tolerance follows it, the palette stays)', () => {
  const rect = { col: 0, row: 0, cols: 80, rows: 30 };
  const r = createRenderer('sixel', { width: 8, height: 16 }, { sixelRegisters: 256 });
  const budget = (640 * 480 * SIXEL_MAX_BYTES_PER_KPX) / 1000;
  const noisy = [5, 6, 7, 8, 9, 10].map((i) => cameraFrame(i, 14));
  const outs = noisy.map((f) => r.render(f, rect));
  const first = new Set(outs[0]!.toString('latin1').match(/#\d+;2;\d+;\d+;\d+/g) ?? []);
  for (const out of outs.slice(2)) {
    assert.ok(out.length <= budget * 1.1, `${out.length} B vs budget ${budget} B`);
    for (const d of out.toString('latin1').match(/#\d+;2;\d+;\d+;\d+/g) ?? []) assert.ok(first.has(d), `register ${d} redefined within the scene`);
  }
  // the same frames without any tolerance cost far more: the budget did the work
  const exact = createSixelRenderer({ cellWidthPx: 8, cellHeightPx: 16, registers: 256, tolerance: 0, budgetBytes: 1e9 });
  assert.ok(exact.render(noisy[3]!, rect).length > 1.5 * outs[3]!.length);
});

test('a small sixel pane is not starved by the byte budget, and a picture between bars lands where it belongs', () => {
  // a 64x48 gradient in a 64x58 image: bars of 5 rows above and below (not on a band boundary)
  const data = new Uint8Array(64 * 48 * 3);
  for (let y = 0; y < 48; y++) for (let x = 0; x < 64; x++) data.set([200 - x * 2, y * 5, x * 4], (y * 64 + x) * 3); // BGR
  const frame = { data, width: 64, height: 48, captureTs: 0, seq: 0 };
  const r = createSixelRenderer({ cellWidthPx: 8, cellHeightPx: 29, registers: 256 });
  const img = decodeWrite(r.render(frame, { col: 0, row: 0, cols: 8, rows: 2 }));
  assert.deepEqual([img.width, img.height], [64, 58]);
  const want = new FrameScaler().scale(frame, 64, 58, 1).data;
  let sum = 0;
  img.rgb.forEach((p, i) => { for (let c = 0; c < 3; c++) sum += Math.abs((p[c] as number) - (want[3 * i + c] as number)); });
  assert.ok(sum / (64 * 58 * 3) < 6, `mean error ${(sum / (64 * 58 * 3)).toFixed(2)} levels`);
  assert.deepEqual(img.rgb[2 * 64 + 10], [0, 0, 0], 'the top bar is black');
});
