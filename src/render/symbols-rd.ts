// The rate-distortion choice of a symbol cell's repaint: the best fit of the cell, or a cheaper rendering that keeps
// one or both of the colours the SGR state already holds (then only the glyph, or one colour, is written), or a flat
// cell in its mean colour; the one whose error removed minus λ times its bytes is largest wins. A repaint that sets a
// colour is priced with the run it starts: the next cells of its row repainted in the colours it leaves set.

import { RepaintChoice, colourBytes, sgrBytes, type RepaintPlan } from './rd-cost.js';
import { dist2 } from './palette.js';
import { ATOMS, type SymbolSet } from './symbol-set.js';

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

// The best candidate of one bestRepaint call (module state: no closure per call on the hot path), and the fitted
// glyph's normal equations and colours the candidates' errors are taken from.
const choice = new RepaintChoice();
let eFit = 0;
let gcc = 0, gcn = 0, gnn = 0, gfc = 0, gbc = 0;

// The error of the fitted glyph's shape in colours f over b: the fit's error plus the quadratic form of the colours'
// distance from the least-squares ones (exact up to the fit's rounding).
function shapeErr(f: number, b: number): number {
  const dfr = (f >> 16) - (gfc >> 16), dfg = ((f >> 8) & 255) - ((gfc >> 8) & 255), dfb = (f & 255) - (gfc & 255);
  const dbr = (b >> 16) - (gbc >> 16), dbg = ((b >> 8) & 255) - ((gbc >> 8) & 255), dbb = (b & 255) - (gbc & 255);
  return eFit + gcc * (dfr * dfr + dfg * dfg + dfb * dfb) + 2 * gcn * (dfr * dbr + dfg * dbg + dfb * dbb) + gnn * (dbr * dbr + dbg * dbg + dbb * dbb);
}

/** What a cell's candidates are priced from: its fit's error, its flat error and mean colour (0xRRGGBB). */
export interface CellFit {
  e: number;
  flatErr: number;
  mean: number;
}

/** What keptPaint found: the glyph to write in the colours the SGR state holds, the error it leaves, its bytes. */
export interface KeptPaint {
  glyph: number;
  err: number;
  bytes: number;
}

/**
 * The cheapest good rendering of a cell fitted as glyph g, fc over bc (its fit in fit) in colours pf over pb that the
 * SGR state already holds, with the cursor already there: glyph g, its complement (swapped colours) or a space.
 */
export function keptPaint(set: SymbolSet, g: number, fc: number, bc: number, fit: CellFit, pf: number, pb: number, out: KeptPaint): void {
  out.glyph = set.space;
  out.err = pb < 0 ? Infinity : fit.flatErr + ATOMS * dist2(pb, fit.mean);
  out.bytes = 1;
  if (g === set.space || g === set.full || pf < 0 || pb < 0) return;
  loadShape(set, g, fc, bc, fit.e);
  const e = shapeErr(pf, pb);
  if (e < out.err) {
    out.glyph = g;
    out.err = e;
    out.bytes = glyphBytes(set, g);
  }
  const comp = set.complement[g] as number;
  if (comp >= 0) {
    const ec = shapeErr(pb, pf);
    if (ec < out.err) {
      out.glyph = comp;
      out.err = ec;
      out.bytes = glyphBytes(set, comp);
    }
  }
}

// Load glyph g's normal equations and fitted colours (fit error e) for shapeErr.
function loadShape(set: SymbolSet, g: number, fc: number, bc: number, e: number): void {
  eFit = e;
  gcc = set.cc[g] as number;
  gcn = set.cn[g] as number;
  gnn = set.nn[g] as number;
  gfc = fc;
  gbc = bc;
}

/**
 * The best repaint of a cell fitted as glyph g, fc over bc (error e, flat error and mean colour in fit), shown now
 * with error eShown: into out, returning its net worth (error removed − λ·bytes; ≤ 0: not worth its bytes). The
 * candidates' errors come from the fit's normal equations, with no pass over the cell's atoms.
 */
export function bestRepaint(set: SymbolSet, s: RepaintState, g: number, fc: number, bc: number, fit: CellFit, eShown: number, out: RepaintPlan): number {
  const lam = s.lambda;
  planExact(set, s, g, fc, bc, out);
  out.err = fit.e;
  choice.start(out, eShown, lam, eShown - fit.e - lam * out.bytes);
  const { fg, bg, mode } = s;
  // bytes of an SGR setting one colour of L parameter bytes (with the reset owed: "0;" more)
  const one = 3 + (s.reset ? 2 : 0) + s.cursor;
  const flat = g === set.space || g === set.full;
  const m = fit.mean;
  const flatAt = (c: number): number => fit.flatErr + ATOMS * dist2(c, m);
  if (bg >= 0) choice.offer(set.space, -1, -1, s.cursor + 1, flatAt(bg));
  if (!flat) {
    loadShape(set, g, fc, bc, fit.e);
    const comp = set.complement[g] as number;
    const gb = glyphBytes(set, g);
    const cb = comp >= 0 ? glyphBytes(set, comp) : 0;
    // the complement glyph in F over B shows the shape of g in B over F
    if (fg >= 0 && bg >= 0) {
      choice.offer(g, -1, -1, s.cursor + gb, shapeErr(fg, bg));
      if (comp >= 0) choice.offer(comp, -1, -1, s.cursor + cb, shapeErr(bg, fg));
    }
    if (fg >= 0) {
      choice.offer(g, -1, bc, one + colourBytes(mode, bc, true) + gb, shapeErr(fg, bc));
      if (comp >= 0) choice.offer(comp, -1, fc, one + colourBytes(mode, fc, true) + cb, shapeErr(fc, fg));
    }
    if (bg >= 0) {
      choice.offer(g, fc, -1, one + colourBytes(mode, fc, false) + gb, shapeErr(fc, bg));
      if (comp >= 0) choice.offer(comp, bc, -1, one + colourBytes(mode, bc, false) + cb, shapeErr(bg, bc));
    }
  }
  if (m !== bg) choice.offer(set.space, -1, m, one + colourBytes(mode, m, true) + 1, flatAt(m));
  return choice.net;
}

/** Paint marks of a cell in one frame: leave it, repaint it reusing near SGR colours, repaint it exactly. */
export const KEEP = 0;
export const PAINT = 1;
export const EXACT = 2;
/** Cells after a repaint that sets a colour over which the repaints in that colour are counted to its worth. */
const RUN_LOOKAHEAD = 12;

/** This frame's decision per cell (glyph, fg/bg, gain over what is shown, mark) and its fit, that runs are priced from. */
export interface FrameCells {
  wantG: Int16Array;
  wantF: Int32Array;
  wantB: Int32Array;
  gain: Float32Array;
  shownErr: Float32Array;
  /** Per fitted cell its flat error and mean colour (what the cheaper repaints are priced from). */
  flatE: Float32Array;
  meanC: Int32Array;
  mark: Uint8Array;
}

/** Per-cell decisions for a pane of n cells. */
export function frameCells(n: number): FrameCells {
  return {
    wantG: new Int16Array(n), wantF: new Int32Array(n), wantB: new Int32Array(n), gain: new Float32Array(n),
    shownErr: new Float32Array(n), flatE: new Float32Array(n), meanC: new Int32Array(n), mark: new Uint8Array(n),
  };
}

/**
 * An upper bound of what the cells after ci in its row (`after` of them) could add to its repaint's worth as a run
 * (runWorth): their gains over what is shown, less a byte each, while they are left as shown and each is worth a byte.
 */
export function runCeiling(c: FrameCells, ci: number, after: number, lam: number): number {
  let sum = 0;
  const end = Math.min(after, RUN_LOOKAHEAD);
  for (let n = 1; n <= end; n++) {
    const g = c.gain[ci + n] as number;
    if (c.mark[ci + n] !== KEEP || g <= lam) break;
    sum += g - lam;
  }
  return sum;
}

/**
 * What the cells after ci in its row would add to a repaint of ci that leaves the SGR state at pf over pb: the net
 * worth of repainting each in those colours (its glyph's bytes only, the cursor being there), while each is worth it.
 * `after`: the cells that follow ci in its row; cf and kp are scratch.
 */
export function runWorth(set: SymbolSet, c: FrameCells, ci: number, after: number, pf: number, pb: number, lam: number, cf: CellFit, kp: KeptPaint): number {
  let sum = 0;
  const end = Math.min(after, RUN_LOOKAHEAD);
  for (let n = 1; n <= end; n++) {
    const j = ci + n;
    const g = c.gain[j] as number;
    if (c.mark[j] !== KEEP || g <= lam) break;
    const eShown = c.shownErr[j] as number;
    cf.e = eShown - g;
    cf.flatErr = c.flatE[j] as number;
    cf.mean = c.meanC[j] as number;
    keptPaint(set, c.wantG[j] as number, c.wantF[j] as number, c.wantB[j] as number, cf, pf, pb, kp);
    const net = eShown - kp.err - lam * kp.bytes;
    if (net <= 0) break;
    sum += net;
  }
  return sum;
}
