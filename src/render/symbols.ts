// Sub-cell symbol renderers: per cell the glyph (halves, quadrants, sextants) and the two colours that best show its
// 2x6 atoms, in truecolor, 256 or 16 colours (16: with ░▒▓ blends), with damage tracking against what the terminal
// shows, SGR reuse (swapping fg/bg through the complement glyph) and cursor jumps, as the half-block renderer does.

import type { Frame } from '../shared/frame.js';
import {
  DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX, RENDER_DRIFT_ROWS_PER_FRAME, RENDER_DRIFT_TOLERANCE_RMS,
  RENDER_REUSE_TOLERANCE_RMS, RENDER_TOLERANCE_RMS,
} from '../shared/limits.js';
import { ByteWriter } from './byte-writer.js';
import { writeSgr } from './sgr.js';
import { CursorTracker } from './cursor.js';
import { ANSI16_RGB, XTERM256_RGB, dist2, nearest16, nearest256 } from './palette.js';
import { FrameScaler } from './scale.js';
import { ATOMS, ATOM_COLS, ATOM_ROWS, symbolSet, type SymbolSet, type SymbolSetName } from './symbol-set.js';
import { SHADE_ALPHA, SHADE_UTF8, mix16 } from './symbols-colour.js';
import { BSU, ESU, SGR0, type BlockRendererOptions, type CellRect, type FrameRenderer, type RenderOptions, type RendererKind } from './types.js';

/** Colour modes of the symbol renderers. */
export type SymbolColours = 'truecolor' | '256' | '16';

/** Options: the glyph set and colour mode, plus the block renderers' tolerances. */
export interface SymbolRendererOptions extends BlockRendererOptions {
  readonly set: SymbolSetName;
  readonly colours: SymbolColours;
}

const EMPTY = Buffer.alloc(0);
const MAX_CELL_BYTES = 64;
/** A cell whose atoms span less than this (per channel) is drawn flat. */
const FLAT_RANGE = 6;

// Create a symbol renderer of a table kind.
export function createSymbolRenderer(kind: RendererKind, opts: SymbolRendererOptions): FrameRenderer {
  return new SymbolRenderer(kind, opts);
}

class SymbolRenderer implements FrameRenderer {
  readonly kind: RendererKind;
  private readonly set: SymbolSet;
  private readonly mode: number; // 0 truecolor, 1 256, 2 16
  private readonly scaler = new FrameScaler();
  private readonly out = new ByteWriter();
  private readonly cursor = new CursorTracker();
  private readonly atomAspect: number;
  private readonly tolSq: number;
  private readonly reuseSq: number;
  private readonly driftSq: number;
  private readonly driftRows: number;
  /** Glyph coverage per atom: set glyphs (0/1), then the three shades (16 colours). */
  private readonly cov: Float32Array;
  private readonly nGlyphs: number;
  private rect: CellRect = { col: -1, row: -1, cols: 0, rows: 0 };
  // what the terminal shows per cell: glyph (-1 unknown), fg and bg as RGB
  private shownG = new Int16Array(0);
  private shownF = new Int32Array(0);
  private shownB = new Int32Array(0);
  private band = 0;
  // SGR state inside one write: codes (RGB or palette index), -1 unknown
  private fg = -1;
  private bg = -1;
  private resetOwed = true;
  private readonly at = new Int32Array(ATOMS * 3);

  constructor(kind: RendererKind, o: SymbolRendererOptions) {
    this.kind = kind;
    this.set = symbolSet(o.set);
    this.mode = o.colours === 'truecolor' ? 0 : o.colours === '256' ? 1 : 2;
    const cw = o.cellWidthPx && o.cellWidthPx > 0 ? o.cellWidthPx : DEFAULT_CELL_WIDTH_PX;
    const ch = o.cellHeightPx && o.cellHeightPx > 0 ? o.cellHeightPx : DEFAULT_CELL_HEIGHT_PX;
    this.atomAspect = (cw / ATOM_COLS) / (ch / ATOM_ROWS);
    const sq = (rms: number): number => 3 * rms * rms;
    this.tolSq = sq(o.tolerance ?? RENDER_TOLERANCE_RMS);
    this.reuseSq = sq(o.reuseTolerance ?? RENDER_REUSE_TOLERANCE_RMS);
    this.driftSq = sq(o.driftTolerance ?? RENDER_DRIFT_TOLERANCE_RMS);
    this.driftRows = Math.max(0, Math.floor(o.driftRowsPerFrame ?? RENDER_DRIFT_ROWS_PER_FRAME));
    const n = this.set.masks.length;
    this.nGlyphs = n;
    this.cov = new Float32Array((n + 3) * ATOMS);
    for (let g = 0; g < n; g++) for (let a = 0; a < ATOMS; a++) this.cov[g * ATOMS + a] = ((this.set.masks[g] as number) >> a) & 1;
    for (let s = 0; s < 3; s++) this.cov.fill(SHADE_ALPHA[s] as number, (n + s) * ATOMS, (n + s + 1) * ATOMS);
  }

  // Forget what the terminal shows.
  invalidate(): void {
    this.shownG.fill(-1);
  }

  // Render one frame into the pane; the bytes of one write (empty when nothing changed).
  render(frame: Frame, rect: CellRect, opts?: RenderOptions): Buffer {
    const cols = Math.max(0, Math.floor(rect.cols));
    const rows = Math.max(0, Math.floor(rect.rows));
    const col0 = Math.max(0, Math.floor(rect.col));
    const row0 = Math.max(0, Math.floor(rect.row));
    if (cols === 0 || rows === 0) return EMPTY;
    const r = this.rect;
    if (r.cols !== cols || r.rows !== rows || r.col !== col0 || r.row !== row0) {
      this.rect = { col: col0, row: row0, cols, rows };
      if (this.shownG.length !== cols * rows) {
        this.shownG = new Int16Array(cols * rows);
        this.shownF = new Int32Array(cols * rows);
        this.shownB = new Int32Array(cols * rows);
      }
      this.invalidate();
    } else if (opts?.full) {
      this.invalidate();
    }
    const grid = this.scaler.scale(frame, cols * ATOM_COLS, rows * ATOM_ROWS, this.atomAspect);
    const w = this.out;
    w.reset();
    w.ensure(cols * rows * MAX_CELL_BYTES + 64);
    w.bytes(BSU);
    const start = w.len;
    this.cursor.reset();
    this.fg = -1;
    this.bg = -1;
    this.resetOwed = true;
    const bandStart = this.band % rows;
    this.band = this.driftRows > 0 ? (bandStart + this.driftRows) % rows : 0;
    for (let y = 0; y < rows; y++) {
      const inBand = (y - bandStart + rows) % rows < this.driftRows;
      for (let x = 0; x < cols; x++) this.cell(grid.data, cols * ATOM_COLS, x, y, col0, row0, inBand);
    }
    if (w.len === start) return EMPTY;
    w.bytes(SGR0);
    w.bytes(ESU);
    return w.take();
  }

  // Error (sum of squared RGB differences over the atoms) of showing glyph g with colours f / b (RGB).
  private err(g: number, f: number, b: number): number {
    const at = this.at;
    const cov = this.cov;
    const fr = f >> 16, fgc = (f >> 8) & 255, fb = f & 255;
    const br = b >> 16, bgc = (b >> 8) & 255, bb = b & 255;
    let e = 0;
    for (let a = 0, k = g * ATOMS, p = 0; a < ATOMS; a++, k++, p += 3) {
      const c = cov[k] as number;
      const dr = (at[p] as number) - (br + (fr - br) * c);
      const dg = (at[p + 1] as number) - (bgc + (fgc - bgc) * c);
      const db = (at[p + 2] as number) - (bb + (fb - bb) * c);
      e += dr * dr + dg * dg + db * db;
    }
    return e;
  }

  // Means of the atoms in and out of a mask, as RGB: [fg, bg] into pick.
  private means(mask: number): void {
    const at = this.at;
    let n1 = 0, r1 = 0, g1 = 0, b1 = 0, r0 = 0, g0 = 0, b0 = 0;
    for (let a = 0, p = 0; a < ATOMS; a++, p += 3) {
      if ((mask >> a) & 1) {
        n1++;
        r1 += at[p] as number; g1 += at[p + 1] as number; b1 += at[p + 2] as number;
      } else {
        r0 += at[p] as number; g0 += at[p + 1] as number; b0 += at[p + 2] as number;
      }
    }
    const n0 = ATOMS - n1;
    this.pickF = n1 > 0 ? (Math.round(r1 / n1) << 16) | (Math.round(g1 / n1) << 8) | Math.round(b1 / n1) : -1;
    this.pickB = n0 > 0 ? (Math.round(r0 / n0) << 16) | (Math.round(g0 / n0) << 8) | Math.round(b0 / n0) : -1;
  }

  private pickF = 0;
  private pickB = 0;

  // Decide and (if damaged) paint one cell.
  private cell(data: Uint8Array, gw: number, x: number, y: number, col0: number, row0: number, inBand: boolean): void {
    const at = this.at;
    const set = this.set;
    let minR = 255, maxR = 0, minG = 255, maxG = 0, minB = 255, maxB = 0;
    for (let ay = 0, p = 0; ay < ATOM_ROWS; ay++) {
      let d = ((y * ATOM_ROWS + ay) * gw + x * ATOM_COLS) * 3;
      for (let ax = 0; ax < ATOM_COLS; ax++, p += 3, d += 3) {
        const r = data[d] as number, g = data[d + 1] as number, b = data[d + 2] as number;
        at[p] = r; at[p + 1] = g; at[p + 2] = b;
        if (r < minR) minR = r; if (r > maxR) maxR = r;
        if (g < minG) minG = g; if (g > maxG) maxG = g;
        if (b < minB) minB = b; if (b > maxB) maxB = b;
      }
    }
    // the glyph: threshold on the channel with the widest range, nearest glyph, then one refinement
    let glyph = set.space;
    const rr = maxR - minR, rg = maxG - minG, rb = maxB - minB;
    if (rr >= FLAT_RANGE || rg >= FLAT_RANGE || rb >= FLAT_RANGE) {
      const c = rr >= rg && rr >= rb ? 0 : rg >= rb ? 1 : 2;
      const thr = c === 0 ? (minR + maxR) / 2 : c === 1 ? (minG + maxG) / 2 : (minB + maxB) / 2;
      let p = 0;
      for (let a = 0; a < ATOMS; a++) if ((at[a * 3 + c] as number) > thr) p |= 1 << a;
      glyph = set.nearest[p] as number;
    }
    this.means(set.masks[glyph] as number);
    let f = this.pickF;
    let b = this.pickB;
    if (glyph !== set.space && glyph !== set.full) {
      let p = 0;
      for (let a = 0, q = 0; a < ATOMS; a++, q += 3) {
        const v = ((at[q] as number) << 16) | ((at[q + 1] as number) << 8) | (at[q + 2] as number);
        if (dist2(v, f) < dist2(v, b)) p |= 1 << a;
      }
      const g2 = set.nearest[p] as number;
      if (g2 !== glyph) {
        const e1 = this.err(glyph, f, b);
        this.means(set.masks[g2] as number);
        if (this.pickF >= 0 && this.pickB >= 0 && this.err(g2, this.pickF, this.pickB) < e1) {
          glyph = g2;
          f = this.pickF;
          b = this.pickB;
        } else {
          this.pickF = f;
          this.pickB = b;
        }
      }
    }
    if (glyph === set.space) f = b;
    if (f < 0) f = b;
    if (b < 0) b = f;
    // colours as the terminal will show them, and the codes that ask for them
    let fc = f, bc = b, fRgb = f, bRgb = b;
    if (this.mode === 1) {
      fc = nearest256(f >> 16, (f >> 8) & 255, f & 255);
      bc = nearest256(b >> 16, (b >> 8) & 255, b & 255);
      fRgb = XTERM256_RGB[fc] as number;
      bRgb = XTERM256_RGB[bc] as number;
    } else if (this.mode === 2) {
      fc = nearest16(f >> 16, (f >> 8) & 255, f & 255);
      bc = nearest16(b >> 16, (b >> 8) & 255, b & 255);
      fRgb = ANSI16_RGB[fc] as number;
      bRgb = ANSI16_RGB[bc] as number;
      let e = fc === bc ? Infinity : this.err(glyph, fRgb, bRgb);
      // or the cell's mean colour as a blend of two ANSI colours (░▒▓), often closer than either colour alone
      this.means(0);
      const m = this.pickB;
      const mix = mix16(m >> 16, (m >> 8) & 255, m & 255);
      const shade = mix >> 8;
      const mg = shade === 0 ? set.space : this.nGlyphs + shade - 1;
      const mf = mix & 15;
      const mb = (mix >> 4) & 15;
      const em = this.err(mg, ANSI16_RGB[mf] as number, ANSI16_RGB[mb] as number);
      if (em <= e || fc === bc) {
        glyph = mg;
        fc = shade === 0 ? mb : mf;
        bc = mb;
        fRgb = ANSI16_RGB[fc] as number;
        bRgb = ANSI16_RGB[bc] as number;
        e = em;
      }
    }
    const ci = y * this.rect.cols + x;
    const sg = this.shownG[ci] as number;
    if (sg >= 0) {
      const tol = inBand ? this.driftSq : this.tolSq;
      const eShown = this.err(sg, this.shownF[ci] as number, this.shownB[ci] as number);
      if (eShown <= this.err(glyph, fRgb, bRgb) + ATOMS * tol) return;
    }
    this.cursor.moveTo(this.out, row0 + y, col0 + x);
    this.emit(glyph, fc, bc, inBand ? 0 : this.mode === 0 ? this.reuseSq : -1, ci);
  }

  // Near enough to reuse? Truecolor: within reuseSq; indexed (reuseSq < 0): the same code.
  private near(cur: number, want: number, reuseSq: number): boolean {
    return cur >= 0 && (reuseSq < 0 ? cur === want : dist2(cur, want) <= reuseSq);
  }

  // Write glyph g with fg code fc over bg code bc, reusing the current SGR where it is near; note what is shown.
  private emit(g: number, fc: number, bc: number, reuseSq: number, ci: number): void {
    const set = this.set;
    const flat = g === set.space || g === set.full;
    let outG = g;
    if (flat) {
      const want = g === set.space ? bc : fc;
      // a space on the right background, never a full block over a stale one: fonts leave a seam at the cell's
      // edge that shows the background (rows of 1-px lines in xterm)
      if (this.near(this.bg, want, reuseSq)) outG = set.space;
      else {
        this.sgr(-1, want);
        outG = set.space;
      }
    } else if (g >= this.nGlyphs) {
      // a shade: fg and bg may not swap
      const nf = this.near(this.fg, fc, reuseSq);
      const nb = this.near(this.bg, bc, reuseSq);
      if (!nf || !nb) this.sgr(nf ? -1 : fc, nb ? -1 : bc);
    } else {
      const comp = set.complement[g] as number;
      const nfF = this.near(this.fg, fc, reuseSq), nbB = this.near(this.bg, bc, reuseSq);
      const nfB = this.near(this.fg, bc, reuseSq), nbF = this.near(this.bg, fc, reuseSq);
      if (nfF && nbB) outG = g;
      else if (nfB && nbF) outG = comp;
      else if (nfF) this.sgr(-1, bc);
      else if (nbB) this.sgr(fc, -1);
      else if (nfB) {
        this.sgr(-1, fc);
        outG = comp;
      } else if (nbF) {
        this.sgr(bc, -1);
        outG = comp;
      } else this.sgr(fc, bc);
    }
    const w = this.out;
    if (outG === set.space) w.byte(0x20);
    else w.bytes((outG >= this.nGlyphs ? SHADE_UTF8[outG - this.nGlyphs] : set.utf8[outG]) as Buffer);
    this.shownG[ci] = outG;
    this.shownF[ci] = this.rgb(this.fg);
    this.shownB[ci] = this.rgb(this.bg);
  }

  // RGB of a colour code in the current mode.
  private rgb(code: number): number {
    if (code < 0) return 0;
    return this.mode === 0 ? code : this.mode === 1 ? (XTERM256_RGB[code] as number) : (ANSI16_RGB[code] as number);
  }

  // One combined SGR setting fg and/or bg (-1: leave), with the reset owed at the start of a write.
  private sgr(fg: number, bg: number): void {
    writeSgr(this.out, this.mode, fg, bg, this.resetOwed);
    this.resetOwed = false;
    if (fg >= 0) this.fg = fg;
    if (bg >= 0) this.bg = bg;
  }
}
