// The renderer benchmark: report shape, and its byte parser agrees with the renderers' own screen model.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BENCH_RENDERERS, BenchScreen, benchRender, benchSixel, shownPsnr } from '../../../src/bench/render-bench.js';
import { createBlockRenderer } from '../../../src/render/blocks.js';
import { testFrame } from '../../helpers/render-screen.js';

const frames = Array.from({ length: 6 }, (_, i) => testFrame(160, 120, i, 6));

test('render section: one entry per renderer and grid, in the bench-format shape; the symbol renderers are in it', () => {
  for (const k of ['sextants', 'symbols', 'symbols256', '16'] as const) assert.ok(BENCH_RENDERERS.includes(k), `${k} is benchmarked`);
  const out = benchRender(frames, BENCH_RENDERERS, [[40, 12], [20, 6]]);
  assert.equal(out.length, 2 * BENCH_RENDERERS.length);
  for (const e of out) {
    const keys = ['renderer', 'cols', 'rows', 'msPerFrame', 'firstFrameBytes', 'steadyBytesPerFrame'];
    if (e.renderer === 'truecolor' || e.renderer === '256') keys.push('psnrDb');
    assert.deepEqual(Object.keys(e).sort(), keys.sort());
    assert.ok(e.firstFrameBytes > e.steadyBytesPerFrame, `${e.renderer} ${e.cols}x${e.rows}`);
    if (e.psnrDb !== undefined) assert.ok(e.psnrDb > 20 && e.psnrDb <= 99, `${e.renderer} psnr ${e.psnrDb}`);
  }
});

test('sixel section shape', () => {
  const s = benchSixel(frames.slice(0, 2), 96, 60);
  assert.equal(s.width, 96);
  assert.equal(s.height, 60);
  assert.ok(s.bytesPerFrame > 96 * 60 / 6, 'at least one byte per sixel column per band');
  assert.ok(s.msPerFrame >= 0);
  // 256 registers first, then 16 and the fixed palette, each with CPU time and the largest frame
  assert.deepEqual([s, ...s.variants].map((v) => `${v.palette} ${v.registers} ${v.clip}`), ['adaptive 256 clip', 'adaptive 16 clip', 'fixed 256 clip']);
  for (const v of [s, ...s.variants]) assert.ok(v.cpuMsPerFrame > 0 && v.maxBytesPerFrame >= v.bytesPerFrame, JSON.stringify(v));
  const n = benchSixel(frames.slice(0, 2), 96, 60, frames.slice(0, 2));
  assert.deepEqual(n.variants.map((v) => v.clip), ['clip', 'clip', 'clip+noise6', 'clip+noise6']);
});

for (const kind of ['truecolor', '256', '16'] as const) {
  test(`BenchScreen parses ${kind} bytes to exactly the renderer's model`, () => {
    const r = createBlockRenderer(kind);
    const rect = { col: 0, row: 0, cols: 30, rows: 10 };
    const screen = new BenchScreen(30, 10);
    const px = new Int32Array(30 * 20);
    for (const f of frames) {
      screen.write(r.render(f, rect));
      screen.halfPixels(0, 0, 30, 10, px);
      assert.deepEqual([...px], [...r.model().shown]);
    }
  });
}

test('shownPsnr: identical is capped at 99, a known error gives the textbook value', () => {
  const exact = new Int32Array([0x102030, 0x405060]);
  assert.equal(shownPsnr({ width: 2, height: 1, shown: exact, exact }), 99);
  // every channel off by 255/10 → MSE = 25.5² → PSNR = 20 dB
  const off = new Int32Array([0x000000, 0x000000]);
  const ref = Int32Array.from([0x1a1a1a, 0x1a1a1a]); // 26 per channel
  const p = shownPsnr({ width: 2, height: 1, shown: off, exact: ref });
  assert.ok(Math.abs(p - 10 * Math.log10((255 * 255) / (26 * 26))) < 1e-9);
});
