// Byte costs for the rate-distortion choices of the cell renderers: what a cursor move and an SGR would cost before
// they are written (the same forms CursorTracker.moveTo and writeSgr emit), so a repaint can be priced in bytes.

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
