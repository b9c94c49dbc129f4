// The symbol renderers' fused sampler: its per-cell sums are those of FrameScaler's atom grid before the grid's rounding
// to bytes (exactly so where no atom is rounded), glyph errors from the sums equal the per-atom ones, and the fitter's
// work is bounded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CellSampler } from '../../../src/render/cell-sampler.js';
import { FrameScaler } from '../../../src/render/scale.js';
import { SymbolFitter } from '../../../src/render/symbol-fit.js';
import { ATOMS, ATOM_COLS, ATOM_ROWS, symbolSet } from '../../../src/render/symbol-set.js';
import type { Frame } from '../../../src/shared/frame.js';
import { testFrame } from '../../helpers/render-screen.js';

/** Source size, grid in cells, atom aspect: enlarging, 1:1, shrinking, letterboxed on either axis, odd sizes. */
const GEOMETRIES: readonly [number, number, number, number, number][] = [
  [640, 480, 128, 48, 0.5], [512, 384, 128, 48, 0.5], [320, 240, 40, 15, 0.5], [200, 100, 40, 15, 1], [160, 240, 40, 15, 0.5],
  [1280, 720, 80, 24, 0.5], [1280, 720, 40, 15, 1], [641, 479, 33, 17, 0.7], [64, 48, 128, 48, 0.5], [320, 240, 40, 30, 1],
];

// The grid's atom of cell (cx, cy) at (x, y), channel c.
function atom(g: { data: Uint8Array }, cols: number, cx: number, cy: number, x: number, y: number, c: number): number {
  return g.data[((cy * ATOM_ROWS + y) * cols * ATOM_COLS + cx * ATOM_COLS + x) * 3 + c] as number;
}

test('the sampler\'s cell sums are those of the FrameScaler grid within its rounding, in every geometry, and exact at 1:1', () => {
  const s = new CellSampler();
  for (const [w, h, cols, rows, aspect] of GEOMETRIES) {
    const f = testFrame(w, h, 3, 6);
    const g = new FrameScaler().scale(f, cols * ATOM_COLS, rows * ATOM_ROWS, aspect);
    // each atom of the grid is rounded by at most half a level: sums of n atoms within n/2, and Σx² within Σ(|x| + ¼);
    // the kernel sums in f32 (a relative 1e-6 at most)
    const exact = w === cols * ATOM_COLS && h === rows * ATOM_ROWS && aspect === 1;
    const near = (got: number, want: number, slack: number): boolean => Math.abs(got - want) <= (exact ? 0 : slack) + 1e-6 * Math.max(1, Math.abs(want));
    s.begin(f, cols, rows, aspect);
    let differing = 0;
    for (let cy = 0; cy < rows; cy++) {
      s.row(cy);
      for (let cx = 0; cx < cols; cx++) {
        s.sums(cx);
        const cs = s.cell;
        s.columnSums(cx);
        let q = 0, qSlack = 0;
        let same = true;
        for (let y = 0; y < ATOM_ROWS; y++) {
          for (let c = 0; c < 3; c++) {
            let l = 0, r = 0;
            for (let x = 0; x < ATOM_COLS; x++) {
              const v = atom(g, cols, cx, cy, x, y, c);
              q += v * v;
              qSlack += v + 0.25;
              if (x < ATOM_COLS / 2) l += v;
              else r += v;
            }
            same &&= near(cs.rowL[y * 3 + c] as number, l, ATOM_COLS / 4) && near(cs.rowR[y * 3 + c] as number, r, ATOM_COLS / 4);
          }
        }
        for (let x = 0; x < ATOM_COLS; x++) {
          for (let c = 0; c < 3; c++) {
            let t = 0;
            for (let y = 0; y < ATOM_ROWS; y++) t += atom(g, cols, cx, cy, x, y, c);
            same &&= near(cs.colS[x * 3 + c] as number, t, ATOM_ROWS / 2);
          }
        }
        if (!same || !near(cs.q, q, qSlack)) differing++;
      }
    }
    assert.equal(differing, 0, `${w}x${h} into ${cols}x${rows} cells, aspect ${aspect}`);
  }
});

test('glyph errors from the row and column sums equal the per-atom sums, for every glyph of both sets', () => {
  // 1:1, so the grid's atoms are the sampler's
  const f = testFrame(320, 120, 1, 6);
  const cols = 40, rows = 15;
  const g = new FrameScaler().scale(f, cols * ATOM_COLS, rows * ATOM_ROWS, 1);
  const s = new CellSampler();
  s.begin(f, cols, rows, 1);
  const ft = new SymbolFitter();
  const fc = 0x3080c0, bc = 0xd02010;
  for (const name of ['quadrants', 'sextants'] as const) {
    const set = symbolSet(name);
    for (const [cx, cy] of [[3, 2], [20, 7], [37, 12]] as const) {
      s.row(cy);
      ft.load(s, cx);
      for (let gl = 0; gl < set.codePoints.length; gl++) {
        let e = 0;
        for (let a = 0; a < ATOMS; a++) {
          const cov = set.cov[gl * ATOMS + a] as number;
          for (let c = 0, sh = 16; c < 3; c++, sh -= 8) {
            const want = cov * ((fc >> sh) & 255) + (1 - cov) * ((bc >> sh) & 255);
            const d = atom(g, cols, cx, cy, a % ATOM_COLS, Math.floor(a / ATOM_COLS), c) - want;
            e += d * d;
          }
        }
        const got = ft.errOf(set, gl, fc, bc);
        assert.ok(Math.abs(got - e) <= 1e-6 * Math.max(1, e), `${name} glyph U+${(set.codePoints[gl] as number).toString(16)}: ${got} vs ${e}`);
      }
    }
  }
});

// A frame of one colour, or of vertical stripes 3 px wide.
function picture(w: number, h: number, striped: boolean): Frame {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(striped && Math.floor((i % w) / 3) % 2 ? [20, 200, 90] : [200, 40, 10], i * 3);
  return { data, width: w, height: h, seq: 0, captureTs: 0 };
}

test('the fit scores no partition of a flat cell, and each partition of a glyph family once in a textured one', () => {
  const set = symbolSet('sextants');
  const s = new CellSampler();
  const ft = new SymbolFitter();
  s.begin(picture(80, 60, false), 10, 4, 0.5);
  s.row(1);
  ft.load(s, 4);
  ft.fit(set);
  assert.equal(ft.fits, 1);
  assert.equal(ft.candidates, 0, 'a flat cell is drawn flat without a search');
  assert.equal(ft.glyph, set.space);
  s.begin(picture(80, 60, true), 10, 4, 0.5);
  s.row(1);
  ft.load(s, 4);
  ft.fit(set);
  // lower eighths 7, left eighths 7, quadrant partitions 7, sextant partitions 31 (Gray code): O(1) each from the sums
  assert.equal(ft.candidates, 7 + 7 + 7 + 31);
  assert.notEqual(ft.glyph, set.space);
});

test('the kernel stays within its memory and its sums stay finite and in range, over random geometries on one sampler', () => {
  let x = 12345;
  const rnd = (n: number): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) % n);
  const s = new CellSampler();
  // extremes first: one pixel, a big frame into one cell, slivers either way
  const edges: [number, number, number, number][] = [[1, 1, 1, 1], [1920, 1080, 1, 1], [3, 2000, 200, 5], [2000, 3, 5, 60], [1, 500, 300, 100]];
  for (let i = 0; i < 60 + edges.length; i++) {
    const [w, h, cols, rows] = edges[i] ?? [1 + rnd(900), 1 + rnd(700), 1 + rnd(160), 1 + rnd(60)];
    const aspect = [0.5, 0.7, 1, 1.3][rnd(4)] as number;
    const f = testFrame(w, h, i, 6);
    s.begin(f, cols, rows, aspect);
    for (let cy = 0; cy < rows; cy += 1 + rnd(3)) {
      s.row(cy);
      for (let cx = 0; cx < cols; cx++) {
        s.sums(cx);
        s.columnSums(cx);
        const c = s.cell;
        const vals = [...c.rowL, ...c.rowR, ...c.colS, c.tr, c.tg, c.tb];
        const ok = vals.every((v) => Number.isFinite(v) && v >= -1e-3 && v <= 255 * ATOMS + 1) && Number.isFinite(c.q) && c.q >= 0 && c.q <= 255 * 255 * 3 * ATOMS * 1.001;
        assert.ok(ok, `${w}x${h} into ${cols}x${rows} cells, aspect ${aspect}: cell ${cx},${cy}`);
      }
    }
  }
});
