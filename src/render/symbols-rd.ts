// The rate-distortion choice of a symbol cell's repaint: the best fit of the cell, or a cheaper rendering that keeps
// one or both of the colours the SGR state already holds (then only the glyph, or one colour, is written), or a flat
// cell in its mean colour; the one whose error removed minus λ times its bytes is largest wins.

import { colourBytes, sgrBytes } from './rd-cost.js';
import type { SymbolFitter } from './symbol-fit.js';
import type { SymbolSet } from './symbol-set.js';

/** A planned repaint: glyph to write, colours to set first (-1: leave as is), the error it leaves, its bytes. */
export interface RepaintPlan {
  glyph: number;
  f: number;
  b: number;
  err: number;
  bytes: number;
}

/** The SGR state and position a repaint starts from, and its price. */
export interface RepaintState {
  /** Current fg / bg (0xRRGGBB, -1 unknown), whether the SGR still owes its reset, the colour mode. */
  fg: number;
  bg: number;
  reset: boolean;
  mode: number;
  /** Bytes of the cursor move to the cell. */
  cursor: number;
  /** Error worth one byte. */
  lambda: number;
}

/**
 * Plan the exact rendering of glyph g with colours fc over bc (as SymbolRenderer.emit does with exact colours: the
 * complement glyph when it lets a current colour stay); returns the plan's bytes (err is left to the caller).
 */
export function planExact(set: SymbolSet, s: RepaintState, g: number, fc: number, bc: number, out: RepaintPlan): number {
  const { fg, bg } = s;
  out.f = -1;
  out.b = -1;
  out.glyph = g;
  if (g === set.space || g === set.full) {
    const want = g === set.space ? bc : fc;
    out.glyph = set.space;
    if (bg !== want) out.b = want;
  } else {
    const comp = set.complement[g] as number;
    const swap = comp >= 0;
    if (fg === fc && bg === bc) { /* both already set */ } else if (swap && fg === bc && bg === fc) out.glyph = comp;
    else if (fg === fc) out.b = bc;
    else if (bg === bc) out.f = fc;
    else if (swap && fg === bc) {
      out.b = fc;
      out.glyph = comp;
    } else if (swap && bg === fc) {
      out.f = bc;
      out.glyph = comp;
    } else {
      out.f = fc;
      out.b = bc;
    }
  }
  out.bytes = s.cursor + sgrBytes(s.mode, out.f, out.b, s.reset) + glyphBytes(set, out.glyph);
  return out.bytes;
}

// UTF-8 bytes of a glyph.
function glyphBytes(set: SymbolSet, g: number): number {
  return g === set.space ? 1 : (set.utf8[g] as Buffer).length;
}

// The best candidate so far of one bestRepaint call (module state: no closure per call on the hot path).
let best = 0;
let bestOut: RepaintPlan = { glyph: 0, f: -1, b: -1, err: 0, bytes: 0 };
let eNow = 0;
let lamNow = 0;
let fitter: SymbolFitter;
let glyphSet: SymbolSet;

// Consider glyph h in colours f over b, setting nf / nb first at `bytes`; skip the error when it cannot win.
function consider(h: number, f: number, b: number, nf: number, nb: number, bytes: number): void {
  if (eNow - lamNow * bytes <= best) return;
  const err = fitter.errOf(glyphSet, h, f, b);
  const net = eNow - err - lamNow * bytes;
  if (net > best) {
    best = net;
    bestOut.glyph = h;
    bestOut.f = nf;
    bestOut.b = nb;
    bestOut.err = err;
    bestOut.bytes = bytes;
  }
}

/**
 * The best repaint of the loaded cell (fitted as glyph g, fc over bc, error e; shown now with error eShown): into
 * out, returning its net worth (error removed − λ·bytes; ≤ 0: not worth its bytes).
 */
export function bestRepaint(
  ft: SymbolFitter, set: SymbolSet, s: RepaintState, g: number, fc: number, bc: number, e: number, eShown: number, out: RepaintPlan,
): number {
  const lam = s.lambda;
  planExact(set, s, g, fc, bc, out);
  out.err = e;
  best = eShown - e - lam * out.bytes;
  bestOut = out;
  eNow = eShown;
  lamNow = lam;
  fitter = ft;
  glyphSet = set;
  const { fg, bg, mode } = s;
  // bytes of an SGR setting one colour of L parameter bytes (with the reset owed: "0;" more)
  const one = 3 + (s.reset ? 2 : 0) + s.cursor;
  const flat = g === set.space || g === set.full;
  if (bg >= 0) consider(set.space, bg, bg, -1, -1, s.cursor + 1);
  if (!flat) {
    const comp = set.complement[g] as number;
    const gb = glyphBytes(set, g);
    const cb = comp >= 0 ? glyphBytes(set, comp) : 0;
    if (fg >= 0 && bg >= 0) {
      consider(g, fg, bg, -1, -1, s.cursor + gb);
      if (comp >= 0) consider(comp, fg, bg, -1, -1, s.cursor + cb);
    }
    const lf = colourBytes(mode, fc, false), lb = colourBytes(mode, bc, true);
    if (fg >= 0) {
      consider(g, fg, bc, -1, bc, one + lb + gb);
      if (comp >= 0) consider(comp, fg, fc, -1, fc, one + colourBytes(mode, fc, true) + cb);
    }
    if (bg >= 0) {
      consider(g, fc, bg, fc, -1, one + lf + gb);
      if (comp >= 0) consider(comp, bc, bg, bc, -1, one + colourBytes(mode, bc, false) + cb);
    }
  }
  const m = ft.mean();
  if (m !== bg) consider(set.space, m, m, -1, m, one + colourBytes(mode, m, true) + 1);
  return best;
}

/** The slope at which repaints bought best-first (by slope) spend the allowance: the first n of slope / cost. */
export function slopeAt(slope: Float32Array, cost: Float32Array, n: number, allowance: number): number {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (slope[b] as number) - (slope[a] as number));
  let sum = 0;
  for (const i of order) {
    sum += cost[i] as number;
    if (sum > allowance) return slope[i] as number;
  }
  return 0;
}

/** A scratch plan. */
export function newPlan(): RepaintPlan {
  return { glyph: 0, f: -1, b: -1, err: 0, bytes: 0 };
}
