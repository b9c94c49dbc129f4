// The glyph and two colours that best show one cell's 8x8 atoms (least squared RGB error): every partition of the
// cell that a glyph of the set draws is tried from region sums (lower eighths, left quarters, quadrants, sextants),
// then the winner's colours are the least-squares fit of its coverage. Errors of any glyph and colour pair come from
// the same sums, so the damage tracker can ask "how wrong is what the terminal shows" at the cost of one dot product.

import { CellSums, type CellSampler } from './cell-sampler.js';
import { ATOMS, ATOM_COLS, ATOM_ROWS, DOT_COLUMNS, DOT_UNIFORM, type SymbolSet } from './symbol-set.js';

/** A cell whose flat rendering is off by less than this (squared error over the cell: 1 level RMS) is drawn flat. */
const FLAT_ERR = ATOMS * 3;
/** Sextant rows cut atom rows 2 and 5: the share of those rows that lies in the upper of the two sixths. */
const THIRD = 2 / 3;

/** Fits glyphs to one cell at a time; holds the cell's sums and the last fit. */
export class SymbolFitter {
  // the loaded cell: its sums (the sampler's, until the next load), and whether its column sums are taken yet
  private s = new CellSums();
  private hasColumns = false;
  private src: CellSampler | undefined;
  private cx = 0;
  // region sums of the quadrants or sextants being scored
  private readonly reg = new Float64Array(6 * 3);
  /** The last fit: glyph index, colours (0xRRGGBB) and its squared error. */
  glyph = 0;
  f = 0;
  b = 0;
  err = 0;
  /** Work done so far (for tests and profiling): fit() calls, partitions scored in them. */
  fits = 0;
  candidates = 0;
  // Σc·x of the last glyph asked about (errOf / colours)
  private ur = 0;
  private ug = 0;
  private ub = 0;

  // Take the sums of cell cx of the sampler's current cell row (kept until the next load).
  load(src: CellSampler, cx: number): void {
    src.sums(cx);
    this.s = src.cell;
    this.src = src;
    this.cx = cx;
    this.hasColumns = false;
  }

  // The loaded cell's per-column sums (from the sampler, on first use).
  private columns(): Float64Array {
    if (!this.hasColumns) {
      this.src?.columnSums(this.cx);
      this.hasColumns = true;
    }
    return this.s.colS;
  }

  // Squared error of drawing the loaded cell flat in its mean colour.
  flatErr(): number {
    const s = this.s;
    const e = s.q - (s.tr * s.tr + s.tg * s.tg + s.tb * s.tb) / ATOMS;
    return e > 0 ? e : 0;
  }

  // The cell's mean colour (0xRRGGBB).
  mean(): number {
    const s = this.s;
    return rgb(s.tr / ATOMS, s.tg / ATOMS, s.tb / ATOMS);
  }

  // Fit glyph g's least-squares colours to the loaded cell, or draw it flat when that is as good (as fit() does).
  refit(set: SymbolSet, g: number): void {
    if (this.flatErr() < FLAT_ERR || g === set.space || g === set.full) {
      this.glyph = set.space;
      this.f = this.b = this.mean();
      this.err = this.errOf(set, set.space, this.b, this.b);
      return;
    }
    this.colours(set, g);
  }

  // Fit the best glyph of the set and its colours to the loaded cell (result in glyph, f, b, err).
  fit(set: SymbolSet): void {
    this.fits++;
    if (this.flatErr() < FLAT_ERR) {
      this.glyph = set.space;
      this.f = this.b = this.mean();
      this.err = this.errOf(set, set.space, this.b, this.b);
      return;
    }
    // J(S, n): the part of the error a two-group partition removes, |S|²/n + |T−S|²/(N−n); the best partition maximises it
    this.bestJ = -1;
    this.best = set.space;
    const rowL = this.s.rowL, rowR = this.s.rowR;
    // lower eighths: the lowest k rows
    let sr = 0, sg = 0, sb = 0;
    for (let k = 1; k < ATOM_ROWS; k++) {
      const y = (ATOM_ROWS - k) * 3;
      sr += (rowL[y] as number) + (rowR[y] as number);
      sg += (rowL[y + 1] as number) + (rowR[y + 1] as number);
      sb += (rowL[y + 2] as number) + (rowR[y + 2] as number);
      this.consider(sr, sg, sb, INV[k * ATOM_COLS] as number, INV[ATOMS - k * ATOM_COLS] as number, set.lower[k] as number);
    }
    const colS = this.columns();
    // left eighths: the leftmost k eighths (an odd one ends in the middle of an atom column, counted half)
    sr = sg = sb = 0;
    for (let k = 1; k < 8; k++) {
      const x = LEFT_X[k] as number;
      const hr = LEFT_SHARE * (colS[x] as number), hg = LEFT_SHARE * (colS[x + 1] as number), hb = LEFT_SHARE * (colS[x + 2] as number);
      sr += hr; sg += hg; sb += hb;
      this.consider(sr, sg, sb, INV[k * ATOMS / 8] as number, INV[ATOMS - k * ATOMS / 8] as number, set.left[k] as number);
    }
    // quadrants (1 UL, 2 UR, 4 LL, 8 LR): sums of 4 rows x 2 columns
    const reg = this.reg;
    reg.fill(0);
    for (let y = 0; y < ATOM_ROWS; y++) {
      const o = y < ATOM_ROWS / 2 ? 0 : 6;
      for (let c = 0; c < 3; c++) {
        reg[o + c] = (reg[o + c] as number) + (rowL[y * 3 + c] as number);
        reg[o + 3 + c] = (reg[o + 3 + c] as number) + (rowR[y * 3 + c] as number);
      }
    }
    for (let p = 0; p < QUAD_PARTITIONS.length; p++) {
      const m = QUAD_PARTITIONS[p] as number;
      sr = sg = sb = 0;
      for (let i = 0; i < 4; i++) {
        if (!(m & (1 << i))) continue;
        sr += reg[i * 3] as number; sg += reg[i * 3 + 1] as number; sb += reg[i * 3 + 2] as number;
      }
      const n = (ATOMS / 4) * (QUAD_POP[p] as number);
      this.consider(sr, sg, sb, INV[n] as number, INV[ATOMS - n] as number, set.quadrant[m] as number);
    }
    if (set.sextant[1] !== -1) this.sextants(set);
    this.colours(set, this.best);
  }

  private bestJ = -1;
  private best = 0;

  // Keep the partition (foreground sums S over n atoms, 1/n and 1/(N−n) given; drawn by glyph g) if it removes more error than the best so far.
  private consider(sr: number, sg: number, sb: number, invIn: number, invOut: number, g: number): void {
    this.candidates++;
    const ar = this.s.tr - sr, ag = this.s.tg - sg, ab = this.s.tb - sb;
    const j = (sr * sr + sg * sg + sb * sb) * invIn + (ar * ar + ag * ag + ab * ab) * invOut;
    if (j > this.bestJ) {
      this.bestJ = j;
      this.best = g;
    }
  }

  // Try every sextant partition (bit 2y+x; the sixth at bit 5 in the background): region sums from the rows, the
  // rows that sextant edges cut (2 and 5) shared between the two sixths by area.
  private sextants(set: SymbolSet): void {
    const reg = this.reg;
    const rowL = this.s.rowL, rowR = this.s.rowR;
    for (let c = 0; c < 3; c++) {
      const l0 = rowL[c] as number, l1 = rowL[3 + c] as number, l2 = rowL[6 + c] as number, l3 = rowL[9 + c] as number;
      const l4 = rowL[12 + c] as number, l5 = rowL[15 + c] as number, l6 = rowL[18 + c] as number, l7 = rowL[21 + c] as number;
      const r0 = rowR[c] as number, r1 = rowR[3 + c] as number, r2 = rowR[6 + c] as number, r3 = rowR[9 + c] as number;
      const r4 = rowR[12 + c] as number, r5 = rowR[15 + c] as number, r6 = rowR[18 + c] as number, r7 = rowR[21 + c] as number;
      reg[c] = l0 + l1 + THIRD * l2;
      reg[3 + c] = r0 + r1 + THIRD * r2;
      reg[6 + c] = (1 - THIRD) * l2 + l3 + l4 + (1 - THIRD) * l5;
      reg[9 + c] = (1 - THIRD) * r2 + r3 + r4 + (1 - THIRD) * r5;
      reg[12 + c] = THIRD * l5 + l6 + l7;
      reg[15 + c] = THIRD * r5 + r6 + r7;
    }
    // Gray code over bits 0..4: one sixth enters or leaves per step
    let sr = 0, sg = 0, sb = 0, mask = 0, pop = 0;
    for (let i = 1; i < 32; i++) {
      const bit = 31 - Math.clz32(i & -i);
      const o = bit * 3;
      const sign = mask & (1 << bit) ? -1 : 1;
      pop += sign;
      mask ^= 1 << bit;
      sr += sign * (reg[o] as number); sg += sign * (reg[o + 1] as number); sb += sign * (reg[o + 2] as number);
      this.consider(sr, sg, sb, INV6[pop] as number, INV6[6 - pop] as number, set.sextant[mask] as number);
    }
  }

  // The least-squares colours of glyph g for the loaded cell (into glyph, f, b, err).
  colours(set: SymbolSet, g: number): void {
    this.dot(set, g);
    const cc = set.cc[g] as number, cn = set.cn[g] as number, nn = set.nn[g] as number;
    const det = cc * nn - cn * cn;
    this.glyph = g;
    if (cc < 1e-6 || nn < 1e-6 || det < 1e-6) {
      this.f = this.b = this.mean();
    } else {
      const s = this.s;
      const vr = s.tr - this.ur, vg = s.tg - this.ug, vb = s.tb - this.ub;
      this.f = rgb((nn * this.ur - cn * vr) / det, (nn * this.ug - cn * vg) / det, (nn * this.ub - cn * vb) / det);
      this.b = rgb((cc * vr - cn * this.ur) / det, (cc * vg - cn * this.ug) / det, (cc * vb - cn * this.ub) / det);
    }
    this.err = this.sumErr(set, g, this.f, this.b);
  }

  // Squared error of showing glyph g with colours f over b (0xRRGGBB) for the loaded cell.
  errOf(set: SymbolSet, g: number, f: number, b: number): number {
    this.dot(set, g);
    return this.sumErr(set, g, f, b);
  }

  // Σc·x of glyph g over the loaded atoms, from the row-half or column sums its coverage is constant over.
  private dot(set: SymbolSet, g: number): void {
    const s = this.s;
    const kind = set.dotKind[g] as number;
    if (kind === DOT_UNIFORM) {
      const c = set.cov[g * ATOMS] as number;
      this.ur = c * s.tr;
      this.ug = c * s.tg;
      this.ub = c * s.tb;
      return;
    }
    let ur = 0, ug = 0, ub = 0;
    if (kind === DOT_COLUMNS) {
      const colS = this.columns();
      const cov = set.colCov;
      for (let x = 0, k = g * ATOM_COLS, o = 0; x < ATOM_COLS; x++, k++, o += 3) {
        const c = cov[k] as number;
        ur += c * (colS[o] as number); ug += c * (colS[o + 1] as number); ub += c * (colS[o + 2] as number);
      }
    } else {
      const rowL = s.rowL, rowR = s.rowR, cov = set.rowCov;
      for (let y = 0, k = g * 2 * ATOM_ROWS, o = 0; y < ATOM_ROWS; y++, k += 2, o += 3) {
        const cl = cov[k] as number, cr = cov[k + 1] as number;
        ur += cl * (rowL[o] as number) + cr * (rowR[o] as number);
        ug += cl * (rowL[o + 1] as number) + cr * (rowR[o + 1] as number);
        ub += cl * (rowL[o + 2] as number) + cr * (rowR[o + 2] as number);
      }
    }
    this.ur = ur;
    this.ug = ug;
    this.ub = ub;
  }

  // Σ|x − (c·f + (1−c)·b)|² from the sums, with Σc·x of glyph g already taken.
  private sumErr(set: SymbolSet, g: number, f: number, b: number): number {
    const fr = f >> 16, fg = (f >> 8) & 255, fb = f & 255;
    const br = b >> 16, bg = (b >> 8) & 255, bb = b & 255;
    const s = this.s;
    const vr = s.tr - this.ur, vg = s.tg - this.ug, vb = s.tb - this.ub;
    const e = s.q - 2 * (fr * this.ur + fg * this.ug + fb * this.ub + br * vr + bg * vg + bb * vb) +
      (fr * fr + fg * fg + fb * fb) * (set.cc[g] as number) + 2 * (fr * br + fg * bg + fb * bb) * (set.cn[g] as number) +
      (br * br + bg * bg + bb * bb) * (set.nn[g] as number);
    return e > 0 ? e : 0;
  }
}

/** 1/n for n atoms (0 for none), and for n sixths of a cell. */
const INV = Float64Array.from({ length: ATOMS + 1 }, (_, n) => (n > 0 ? 1 / n : 0));
const INV6 = Float64Array.from({ length: 7 }, (_, k) => (k > 0 ? 6 / (k * ATOMS) : 0));

/** Quadrant partitions up to swapping fg and bg: one quadrant, the top half, the left half, a diagonal; their sizes in quadrants. */
const QUAD_PARTITIONS = Int32Array.from([1, 2, 4, 8, 3, 5, 9]);
const QUAD_POP = Int32Array.from([1, 1, 1, 1, 2, 2, 2]);
/** Left eighth k adds the eighth of the cell that starts at this atom column (offset x 3), which holds this share of it. */
const LEFT_X = Int32Array.from({ length: 8 }, (_, k) => Math.floor(((k - 1) * ATOM_COLS) / 8) * 3);
const LEFT_SHARE = ATOM_COLS / 8;

// Pack channels (clamped, rounded) into 0xRRGGBB.
function rgb(r: number, g: number, b: number): number {
  const c = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));
  return (c(r) << 16) | (c(g) << 8) | c(b);
}
