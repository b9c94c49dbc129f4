// Sub-cell symbol renderers: glyph + two colours per cell, damage tracking, SGR reuse; the 16-colour renderer no
// longer flattens colour to grey.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSymbolRenderer } from '../../../src/render/symbols.js';
import { createBlockRenderer } from '../../../src/render/blocks.js';
import { ATOMS, symbolSet } from '../../../src/render/symbol-set.js';
import { cellViewer } from '../../../src/bench/fidelity-viewers.js';
import { psnrRgb } from '../../../src/bench/fidelity-metrics.js';
import { referencePicture } from '../../../src/bench/fidelity-reference.js';
import type { Frame } from '../../../src/shared/frame.js';
import type { FrameRenderer } from '../../../src/render/types.js';
import { testFrame } from '../../helpers/render-screen.js';

const G = { cols: 40, rows: 15, cellWidthPx: 8, cellHeightPx: 16 };
const RECT = { col: 0, row: 0, cols: 40, rows: 15 };

// PSNR of what a viewer sees after the writes, against the last frame.
function shownPsnr(r: FrameRenderer, frames: readonly Frame[]): number {
  const v = cellViewer(G);
  for (const f of frames) v.write(r.render(f, RECT));
  return psnrRgb(v.picture(), referencePicture(frames[frames.length - 1]!, 320, 240));
}

test('glyph sets: complements cover exactly what the glyph leaves; both sets draw eighths and quarters, sextants only in theirs', () => {
  for (const name of ['quadrants', 'sextants'] as const) {
    const s = symbolSet(name);
    for (let g = 0; g < s.codePoints.length; g++) {
      const c = s.complement[g] as number;
      if (c < 0) continue;
      for (let a = 0; a < ATOMS; a++) assert.ok(Math.abs((s.cov[g * ATOMS + a] as number) + (s.cov[c * ATOMS + a] as number) - 1) < 1e-4);
    }
    const cps = [...s.codePoints];
    for (const cp of [0x2581, 0x2584, 0x2587, 0x258e, 0x258c, 0x258a, 0x2598, 0x259a]) assert.ok(cps.includes(cp), `${name} has U+${cp.toString(16)}`);
    assert.equal(cps.some((cp) => cp >= 0x1fb00), name === 'sextants');
  }
});

// Sharp edges: discs of one colour on another (where sub-cell glyphs matter).
function discs(w: number, h: number): Frame {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = ((x % 37) - 18) ** 2 + ((y % 29) - 14) ** 2 < 120;
      data.set(inside ? [40, 200, 230] : [180, 60, 20], (y * w + x) * 3);
    }
  }
  return { data, width: w, height: h, seq: 0, captureTs: 0 };
}

test('symbols show a picture more sharply than half-blocks (a viewer with 8x16 cells)', () => {
  const frames = [discs(320, 240)];
  const half = shownPsnr(createBlockRenderer('truecolor', { tolerance: 0, reuseTolerance: 0 }), frames);
  const quad = shownPsnr(createSymbolRenderer('symbols', { set: 'quadrants', colours: 'truecolor', tolerance: 0, reuseTolerance: 0 }), frames);
  const sext = shownPsnr(createSymbolRenderer('sextants', { set: 'sextants', colours: 'truecolor', tolerance: 0, reuseTolerance: 0 }), frames);
  assert.ok(quad > half + 0.3, `quadrants ${quad.toFixed(2)} dB vs half-blocks ${half.toFixed(2)} dB`);
  assert.ok(sext > quad, `sextants ${sext.toFixed(2)} dB vs quadrants ${quad.toFixed(2)} dB`);
});

test('damage tracking: an unchanged frame writes nothing, a changed one only what changed; full repaints all', () => {
  const r = createSymbolRenderer('sextants', { set: 'sextants', colours: 'truecolor' });
  const f = testFrame(320, 240, 0, 0);
  const first = r.render(f, RECT);
  assert.ok(first.length > 40 * 15 * 4);
  assert.equal(r.render(f, RECT).length, 0, 'nothing changed');
  const g = testFrame(320, 240, 1, 0);
  const second = r.render(g, RECT);
  assert.ok(second.length > 0 && second.length < first.length, `${second.length} < ${first.length}`);
  assert.ok(r.render(g, RECT, { full: true }).length > second.length);
  r.invalidate();
  assert.ok(r.render(g, RECT).length > second.length, 'after invalidate');
});

test('the 16-colour renderer keeps colour (it once drew flat grey): ≥ 3 dB over the old half-blocks', () => {
  // a warm, low-saturation picture (skin-like tones) is where nearest-of-16 collapses to grey
  const f = testFrame(320, 240, 0, 0);
  const warm = { ...f, data: f.data.map((v, i) => (i % 3 === 2 ? 120 + (v >> 2) : i % 3 === 1 ? 80 + (v >> 2) : 60 + (v >> 3))) };
  const old = shownPsnr(createBlockRenderer('16'), [warm]);
  const now = shownPsnr(createSymbolRenderer('16', { set: 'quadrants', colours: '16' }), [warm]);
  assert.ok(now > old + 3, `16 colours: ${now.toFixed(2)} dB now vs ${old.toFixed(2)} dB with the old half-blocks`);
});

test('256 and 16 colours write only palette SGR; truecolor reuses SGR (fewer SGRs than painted cells)', () => {
  const f = testFrame(320, 240, 2, 6);
  const s256 = createSymbolRenderer('symbols256', { set: 'quadrants', colours: '256' }).render(f, RECT).toString('latin1');
  assert.ok(!/38;2;|48;2;/.test(s256) && /[34]8;5;/.test(s256));
  const s16 = createSymbolRenderer('16', { set: 'quadrants', colours: '16' }).render(f, RECT).toString('latin1');
  assert.ok(!/[34]8;[25];/.test(s16));
  const tc = createSymbolRenderer('symbols', { set: 'quadrants', colours: 'truecolor' }).render(f, RECT).toString('latin1');
  const sgrs = (tc.match(/\x1b\[[0-9;]*m/g) ?? []).length;
  assert.ok(sgrs < 40 * 15, `${sgrs} SGRs for 600 cells`);
});

test('never throws on short or odd-sized frames and tiny panes', () => {
  const r = createSymbolRenderer('sextants', { set: 'sextants', colours: 'truecolor' });
  const bad = { data: new Uint8Array(10), width: 64, height: 48, seq: 0, captureTs: 0 };
  assert.doesNotThrow(() => r.render(bad, RECT));
  assert.equal(r.render(testFrame(3, 1, 0), { col: 0, row: 0, cols: 0, rows: 5 }).length, 0);
  assert.ok(r.render(testFrame(3, 1, 0), { col: 2, row: 2, cols: 1, rows: 1 }).length > 0);
});

test('no renderer writes a full block (█): its font seam would show a stale background as 1-px lines', () => {
  const frames = [0, 1, 2, 3, 4, 5].map((i) => testFrame(320, 240, i));
  const renderers: FrameRenderer[] = [
    createBlockRenderer('truecolor'), createBlockRenderer('256'),
    createSymbolRenderer('symbols', { set: 'quadrants', colours: 'truecolor' }),
    createSymbolRenderer('sextants', { set: 'sextants', colours: 'truecolor' }),
    createSymbolRenderer('symbols256', { set: 'quadrants', colours: '256' }),
    createSymbolRenderer('16', { set: 'quadrants', colours: '16' }),
  ];
  for (const r of renderers) {
    const out = Buffer.concat(frames.map((f) => r.render(f, RECT))).toString('utf8');
    assert.ok(out.length > 1000);
    assert.ok(!out.includes('\u2588'), 'a full block was written');
  }
});
