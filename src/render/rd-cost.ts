// Byte costs for the rate-distortion choices of the cell renderers: what a cursor move and an SGR would cost before
// they are written (the same forms CursorTracker.moveTo and writeSgr emit), so a repaint can be priced in bytes; the
// best candidate of a cell, and the ledger of what one painting wished for and bought.

import { decLength } from './byte-writer.js';
import type { CursorTracker } from './cursor.js';
import { MODE_256, MODE_TC } from './sgr.js';

/** Bytes CursorTracker.moveTo would write to reach (row, col) from where the cursor is. */
export function cursorBytes(c: CursorTracker, row: number, col: number): number {
  const cup = 4 + decLength(row + 1) + decLength(col + 1);
  if (row !== c.row) return cup;
  if (col === c.col) return 0;
  if (col > c.col) {
    const gap = col - c.col;
    const cuf = gap === 1 ? 3 : 3 + decLength(gap);
    return cuf <= cup ? cuf : cup;
  }
  return cup;
}

/** Bytes of the parameters of one colour code in a mode (writeSgr's writeColour). */
export function colourBytes(mode: number, code: number, isBg: boolean): number {
  // 38;2;r;g;b · 38;5;n · 30–37, 90–97, 40–47, 100–107
  if (mode === MODE_TC) return 7 + decLength(code >> 16) + decLength((code >> 8) & 255) + decLength(code & 255);
  if (mode === MODE_256) return 5 + decLength(code);
  return isBg && code >= 8 ? 3 : 2;
}

/** Bytes of writeSgr(mode, fg, bg, reset): CSI, the parameters (a code < 0 is left out), 'm'. */
export function sgrBytes(mode: number, fg: number, bg: number, reset: boolean): number {
  if (fg < 0 && bg < 0) return 0;
  let n = 3 + (reset ? 1 : 0);
  let parts = reset ? 1 : 0;
  if (fg >= 0) {
    n += colourBytes(mode, fg, false);
    parts++;
  }
  if (bg >= 0) {
    n += colourBytes(mode, bg, true);
    parts++;
  }
  return n + parts - 1;
}

/** A planned repaint: glyph to write, colours to set first (-1: leave as is), the error it leaves, its bytes. */
export interface RepaintPlan {
  glyph: number;
  f: number;
  b: number;
  err: number;
  bytes: number;
}

/** A scratch plan. */
export function newPlan(): RepaintPlan {
  return { glyph: 0, f: -1, b: -1, err: 0, bytes: 0 };
}

/** The best of one cell's repaint candidates (the largest error removed minus λ per byte), kept in a plan. */
export class RepaintChoice {
  /** Net worth of the best candidate so far. */
  net = 0;
  private out: RepaintPlan = newPlan();
  private eShown = 0;
  private lambda = 0;

  /** Start a cell shown now with error eShown, at slope lambda, choosing into out; net: the best so far. */
  start(out: RepaintPlan, eShown: number, lambda: number, net: number): void {
    this.out = out;
    this.eShown = eShown;
    this.lambda = lambda;
    this.net = net;
  }

  /** A candidate: glyph, colours to set first (-1: leave), its bytes and the error it leaves. */
  offer(glyph: number, f: number, b: number, bytes: number, err: number): void {
    const net = this.eShown - err - this.lambda * bytes;
    if (!(net > this.net)) return; // (written so, not as <=: a NaN worth never wins, as before)
    this.net = net;
    const o = this.out;
    o.glyph = glyph;
    o.f = f;
    o.b = b;
    o.err = err;
    o.bytes = bytes;
  }
}

/** The repaints one painting wished for (each one's slope, error removed per byte, and its bytes), and what its
 *  allowance let it buy, in raster order. */
export class RepaintLedger {
  /** Bytes wished for and bought, and the number of wishes. */
  wanted = 0;
  spent = 0;
  wishes = 0;
  private allowance = 0;
  private slope = new Float32Array(0);
  private cost = new Float32Array(0);

  // Start a painting of at most n cells that buys within allowance bytes.
  start(n: number, allowance: number): void {
    if (this.slope.length < n) {
      this.slope = new Float32Array(n);
      this.cost = new Float32Array(n);
    }
    this.allowance = allowance;
    this.wanted = this.spent = this.wishes = 0;
  }

  // A repaint removing `removed` error for `bytes` bytes is wished for: true when the allowance still buys it.
  wish(removed: number, bytes: number): boolean {
    this.wanted += bytes;
    this.slope[this.wishes] = removed / bytes;
    this.cost[this.wishes++] = bytes;
    if (this.spent + bytes > this.allowance) return false;
    this.spent += bytes;
    return true;
  }

  // The slope at which this painting's wishes, bought best-first, spend `allowance` (0: they all fit).
  slopeAt(allowance: number): number {
    return slopeAt(this.slope, this.cost, this.wishes, allowance);
  }
}

/** The slope at which repaints bought best-first (by slope) spend the allowance: the first n of slope / cost. */
export function slopeAt(slope: Float32Array, cost: Float32Array, n: number, allowance: number): number {
  // one native numeric sort of keys that carry both: the slope to 1/SLOPE_STEPS, and the bytes (< COST_SPAN) below
  if (keys.length < n) keys = new Float64Array(Math.max(n, 2 * keys.length));
  const k = keys.subarray(0, n);
  for (let i = 0; i < n; i++) k[i] = Math.floor(Math.min(SLOPE_CAP, slope[i] as number) * SLOPE_STEPS) * COST_SPAN + Math.min(COST_SPAN - 1, cost[i] as number);
  k.sort();
  let sum = 0;
  for (let i = n - 1; i >= 0; i--) {
    const key = k[i] as number;
    const c = key % COST_SPAN;
    sum += c;
    if (sum > allowance) return (key - c) / COST_SPAN / SLOPE_STEPS;
  }
  return 0;
}

/** slopeAt's keys: slopes to 1/1024 (capped far above any λ), bytes below 128 (a repaint writes at most 64). */
const SLOPE_STEPS = 1024;
const COST_SPAN = 128;
const SLOPE_CAP = 1e9;
let keys = new Float64Array(0);
