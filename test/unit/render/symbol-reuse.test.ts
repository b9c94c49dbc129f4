// The symbol renderers' glyph reuse: a cell refits the glyph its last search found, and is searched again when its
// search is REFIT_FRAMES frames old (staggered), when its picture changed under the glyph, or when it must be
// repainted; a refit gives the colours a search with that glyph would, in every colour mode.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CellSampler } from '../../../src/render/cell-sampler.js';
import { newPlan } from '../../../src/render/rd-cost.js';
import { SymbolFitter } from '../../../src/render/symbol-fit.js';
import { GlyphReuse, REFIT_FRAMES } from '../../../src/render/symbol-reuse.js';
import { symbolSet } from '../../../src/render/symbol-set.js';
import { fitCell } from '../../../src/render/symbols-indexed.js';
import type { Frame } from '../../../src/shared/frame.js';
import { testFrame } from '../../helpers/render-screen.js';

const COLS = 20;
const ROWS = 8;
const set = symbolSet('sextants');

// Load each cell of a frame into ft, in raster order, and call fn with its index.
function eachCell(f: Frame, s: CellSampler, fts: readonly SymbolFitter[], fn: (ci: number) => void): void {
  s.begin(f, COLS, ROWS, 0.5);
  for (let y = 0; y < ROWS; y++) {
    s.row(y);
    for (let x = 0; x < COLS; x++) {
      for (const ft of fts) ft.load(s, x);
      fn(y * COLS + x);
    }
  }
}

// Fit every cell of a frame through the reuse (shown exactly as fitted: nothing must be repainted); searches made.
function fitFrame(f: Frame, s: CellSampler, ft: SymbolFitter, reuse: GlyphReuse): number {
  const before = ft.fits;
  const out = newPlan();
  eachCell(f, s, [ft], (ci) => reuse.fit(ft, set, 0, ci, 0, Infinity, out));
  return ft.fits - before;
}

test('a still picture is searched once, then each cell again every REFIT_FRAMES frames, spread over the frames', () => {
  const s = new CellSampler(), ft = new SymbolFitter(), reuse = new GlyphReuse();
  reuse.resize(COLS * ROWS);
  const f = testFrame(160, 96, 0, 0);
  assert.equal(fitFrame(f, s, ft, reuse), COLS * ROWS);
  const per: number[] = [];
  for (let i = 0; i < 2 * REFIT_FRAMES; i++) per.push(fitFrame(f, s, ft, reuse));
  assert.equal(per.reduce((a, b) => a + b, 0), 2 * COLS * ROWS, 'each cell twice in 2·REFIT_FRAMES frames');
  assert.ok(Math.max(...per) <= Math.ceil((COLS * ROWS) / REFIT_FRAMES) + 1, `searches per frame ${per.join(' ')}`);
});

test('a cell whose picture changed under its glyph is searched, and the refit of an unchanged one is the search\'s result', () => {
  const s = new CellSampler(), ft = new SymbolFitter(), reuse = new GlyphReuse();
  reuse.resize(COLS * ROWS);
  fitFrame(testFrame(160, 96, 0, 0), s, ft, reuse);
  // the bright square moves 7 px a frame: the cells it enters or leaves change shape, the others do not
  const searched = fitFrame(testFrame(160, 96, 3, 0), s, ft, reuse);
  assert.ok(searched > 0 && searched < COLS * ROWS / 4, `${searched} of ${COLS * ROWS} searched`);
  // every cell's result is as good as a fresh search's, up to the reuse's slack
  const f = testFrame(160, 96, 3, 0);
  const fresh = new SymbolFitter(), out = newPlan();
  eachCell(f, s, [ft, fresh], (ci) => {
    reuse.fit(ft, set, 0, ci, 0, Infinity, out);
    fresh.fit(set);
    assert.ok(out.err <= 1.2 * fresh.err + 64 + 1e-6, `cell ${ci}: ${out.err} vs ${fresh.err}`);
  });
});

test('a cell that must be repainted (its shown error beyond the tolerance over the refit) is searched', () => {
  const s = new CellSampler(), ft = new SymbolFitter(), reuse = new GlyphReuse();
  reuse.resize(COLS * ROWS);
  const f = testFrame(160, 96, 0, 0);
  fitFrame(f, s, ft, reuse);
  s.begin(f, COLS, ROWS, 0.5);
  s.row(3);
  ft.load(s, 5);
  const before = ft.fits;
  reuse.fit(ft, set, 0, 3 * COLS + 5, 1e9, 100, newPlan());
  assert.equal(ft.fits - before, 1);
});

test('256 and 16 colours reuse the glyph likewise, with the palette colours a search would give it', () => {
  for (const mode of [1, 2]) {
    const s = new CellSampler(), ft = new SymbolFitter(), fresh = new SymbolFitter(), reuse = new GlyphReuse();
    reuse.resize(COLS * ROWS);
    const f = testFrame(160, 96, 0, 0);
    const out = newPlan(), want = newPlan();
    eachCell(f, s, [ft], (ci) => reuse.fit(ft, set, mode, ci, 0, Infinity, out));
    const before = ft.fits;
    eachCell(f, s, [ft, fresh], (ci) => {
      reuse.fit(ft, set, mode, ci, 0, Infinity, out);
      fitCell(fresh, set, mode, want);
      assert.deepEqual([out.glyph, out.f, out.b, out.err], [want.glyph, want.f, want.b, want.err], `mode ${mode}, cell ${ci}`);
    });
    assert.ok(ft.fits - before <= Math.ceil((COLS * ROWS) / REFIT_FRAMES) + 1, `mode ${mode}: ${ft.fits - before} searched`);
  }
});
