// Frame → per-cell sums of the symbol fitter, without an atom grid in between. The atoms of a cell (ATOM_COLS x
// ATOM_ROWS, letterboxed like FrameScaler: area average along an axis that shrinks, bilinear along one that grows)
// are computed one cell row at a time and summed in the same pass: per atom row the left and right halves, Σ|x|², and
// (only when the fitter asks) per atom column. Each atom is rounded to a byte with the same arithmetic as FrameScaler,
// so the sums are exactly those of its grid: one pass over the atoms instead of writing a grid and reading it back.

import type { Frame } from '../shared/frame.js';
import { fitContent, spans, type ContentBox } from './scale.js';
import { ATOM_COLS, ATOM_ROWS } from './symbol-set.js';

/** Atom columns in the left half of a cell. */
const HALF = ATOM_COLS >> 1;

/** The sums of one cell's atoms (R G B per entry). */
export class CellSums {
  /** Per atom row: the left half's and the right half's channel sums. */
  readonly rowL = new Float64Array(ATOM_ROWS * 3);
  readonly rowR = new Float64Array(ATOM_ROWS * 3);
  /** Per atom column: channel sums (filled by CellSampler.columns). */
  readonly colS = new Float64Array(ATOM_COLS * 3);
  /** The cell's atoms, R G B row-major (for the column sums). */
  readonly atoms = new Int32Array(ATOM_COLS * ATOM_ROWS * 3);
  /** Σ|x|² over the atoms, and the channel totals. */
  q = 0;
  tr = 0;
  tg = 0;
  tb = 0;
}

/** Samples frames into cell sums; buffers are reused while the geometry stays the same. */
export class CellSampler {
  private src: Uint8Array = new Uint8Array(0);
  private sw = 0;
  private sh = 0;
  private cols = 0;
  private rows = 0;
  private aspect = 0;
  private box: ContentBox = { x: 0, y: 0, width: 0, height: 0 };
  /** Values per row of the atom-row buffers (R G B … of the source width, or of the box width when it shrinks). */
  private rowLen = 0;
  /** The ATOM_ROWS atom rows of the current cell row, before the horizontal filter (BGR sums, row-major). */
  private vrows = new Float64Array(0);
  private narrow = new Float64Array(0);
  // per atom column: two taps into a row buffer (offsets of B); their weights for rows summed over n source rows (by
  // n, as FrameScaler folds 1/n into them), and per atom row of the current cell row the weights in use
  private tp0 = new Int32Array(0);
  private tp1 = new Int32Array(0);
  private fx = new Float64Array(0);
  private inv = new Float64Array(0);
  private weights = new Map<number, [Float64Array, Float64Array]>();
  private readonly rw0: Float64Array[] = [];
  private readonly rw1: Float64Array[] = [];
  // the box's rows (vertical) and, when the box is narrower than the source, its columns: source spans
  private ys: Int32Array = new Int32Array(0);
  private xs: Int32Array = new Int32Array(0);
  private hasPicture = false;

  // Take a frame (BGR) for a pane of cols x rows cells whose atoms are aspect (width/height) wide on screen.
  begin(frame: Frame, cols: number, rows: number, aspect: number): void {
    const sw = frame.width;
    const sh = frame.height;
    if (sw !== this.sw || sh !== this.sh || cols !== this.cols || rows !== this.rows || aspect !== this.aspect) this.prepare(sw, sh, cols, rows, aspect);
    this.src = frame.data;
    this.hasPicture = this.box.width > 0 && this.box.height > 0 && frame.data.length >= sw * sh * 3;
  }

  // Compute the atom rows of cell row cy (before the sums of its cells are asked for).
  row(cy: number): void {
    const v = this.vrows;
    const len = this.rowLen;
    const { y: by, height: h } = this.box;
    for (let ay = 0; ay < ATOM_ROWS; ay++) {
      const oy = cy * ATOM_ROWS + ay - by;
      const o = ay * len;
      if (!this.hasPicture || oy < 0 || oy >= h) {
        v.fill(0, o, o + len);
        this.useWeights(ay, 1);
        continue;
      }
      const n = this.xs.length > 0 ? this.vertical(oy, this.narrow, 0) : this.vertical(oy, v, o);
      if (this.xs.length > 0) this.narrowInto(v, o);
      this.useWeights(ay, n);
    }
  }

  // Atom row ay of the cell row uses the weights of rows summed over n source rows.
  private useWeights(ay: number, n: number): void {
    let w = this.weights.get(n);
    if (!w) {
      const gw = this.cols * ATOM_COLS;
      const w0 = new Float64Array(gw), w1 = new Float64Array(gw);
      const k = 1 / n;
      const { x: bx, width } = this.box;
      for (let ox = bx; ox < bx + width; ox++) {
        // FrameScaler's arithmetic: bilinear weights times 1/n, or the area's 1/columns over n
        if (width > this.sw) {
          w1[ox] = (this.fx[ox] as number) * k;
          w0[ox] = k - (w1[ox] as number);
        } else {
          w0[ox] = (this.inv[ox] as number) / n;
        }
      }
      this.weights.set(n, (w = [w0, w1]));
    }
    this.rw0[ay] = w[0];
    this.rw1[ay] = w[1];
  }

  // Atom row oy of the box along the vertical axis (source rows summed, or bilinear) into out at o; returns the
  // number of source rows summed (1 when bilinear).
  private vertical(oy: number, out: Float64Array, o: number): number {
    const src = this.src;
    const n3 = this.sw * 3;
    const sh = this.sh;
    const h = this.box.height;
    if (h > sh) {
      const fy = Math.max(0, Math.min(sh - 1, ((oy + 0.5) * sh) / h - 0.5));
      const y0 = Math.floor(fy);
      const wy = fy - y0;
      const a = y0 * n3;
      const b = Math.min(sh - 1, y0 + 1) * n3;
      for (let i = 0; i < n3; i++) out[o + i] = (src[a + i] as number) * (1 - wy) + (src[b + i] as number) * wy;
      return 1;
    }
    const y0 = this.ys[2 * oy] as number;
    const y1 = this.ys[2 * oy + 1] as number;
    const a = y0 * n3;
    if (y1 - y0 === 1) {
      out.set(src.subarray(a, a + n3), o); // native: several times faster than a loop
    } else if (y1 - y0 === 2) {
      for (let i = 0, b = a + n3; i < n3; i++) out[o + i] = (src[a + i] as number) + (src[b + i] as number);
    } else {
      for (let i = 0; i < n3; i++) out[o + i] = src[a + i] as number;
      for (let p = a + n3; p < y1 * n3; p += n3) for (let i = 0; i < n3; i++) out[o + i] = (out[o + i] as number) + (src[p + i] as number);
    }
    return y1 - y0;
  }

  // Sum the source-width row in `narrow` over each box column's span (the weights divide), into v at o.
  private narrowInto(v: Float64Array, o: number): void {
    const xs = this.xs;
    const n = this.narrow;
    for (let x = 0, d = o; x < this.box.width; x++, d += 3) {
      let b = 0, g = 0, r = 0;
      for (let p = (xs[2 * x] as number) * 3, e = (xs[2 * x + 1] as number) * 3; p < e; p += 3) {
        b += n[p] as number;
        g += n[p + 1] as number;
        r += n[p + 2] as number;
      }
      v[d] = b;
      v[d + 1] = g;
      v[d + 2] = r;
    }
  }

  // The sums of cell cx of the current cell row (all but the column sums) into s, its atoms into s.atoms.
  sums(cx: number, s: CellSums): void {
    const v = this.vrows;
    const len = this.rowLen;
    const tp0 = this.tp0, tp1 = this.tp1;
    const rowL = s.rowL, rowR = s.rowR, at = s.atoms;
    const ox0 = cx * ATOM_COLS;
    let q = 0, tr = 0, tg = 0, tb = 0;
    for (let ay = 0, base = 0, o = 0, d = 0; ay < ATOM_ROWS; ay++, base += len, o += 3) {
      const tw0 = this.rw0[ay] as Float64Array, tw1 = this.rw1[ay] as Float64Array;
      let lr = 0, lg = 0, lb = 0, rr = 0, rg = 0, rb = 0;
      for (let ox = ox0; ox < ox0 + HALF; ox++, d += 3) {
        const p0 = base + (tp0[ox] as number), p1 = base + (tp1[ox] as number), w0 = tw0[ox] as number, w1 = tw1[ox] as number;
        const r = ((v[p0 + 2] as number) * w0 + (v[p1 + 2] as number) * w1 + 0.5) | 0;
        const g = ((v[p0 + 1] as number) * w0 + (v[p1 + 1] as number) * w1 + 0.5) | 0;
        const b = ((v[p0] as number) * w0 + (v[p1] as number) * w1 + 0.5) | 0;
        at[d] = r; at[d + 1] = g; at[d + 2] = b;
        q += r * r + g * g + b * b;
        lr += r; lg += g; lb += b;
      }
      for (let ox = ox0 + HALF; ox < ox0 + ATOM_COLS; ox++, d += 3) {
        const p0 = base + (tp0[ox] as number), p1 = base + (tp1[ox] as number), w0 = tw0[ox] as number, w1 = tw1[ox] as number;
        const r = ((v[p0 + 2] as number) * w0 + (v[p1 + 2] as number) * w1 + 0.5) | 0;
        const g = ((v[p0 + 1] as number) * w0 + (v[p1 + 1] as number) * w1 + 0.5) | 0;
        const b = ((v[p0] as number) * w0 + (v[p1] as number) * w1 + 0.5) | 0;
        at[d] = r; at[d + 1] = g; at[d + 2] = b;
        q += r * r + g * g + b * b;
        rr += r; rg += g; rb += b;
      }
      rowL[o] = lr; rowL[o + 1] = lg; rowL[o + 2] = lb;
      rowR[o] = rr; rowR[o + 1] = rg; rowR[o + 2] = rb;
      tr += lr + rr; tg += lg + rg; tb += lb + rb;
    }
    s.q = q;
    s.tr = tr;
    s.tg = tg;
    s.tb = tb;
  }

  // (Re)compute the box, the buffers and the taps for a geometry.
  private prepare(sw: number, sh: number, cols: number, rows: number, aspect: number): void {
    const gw = cols * ATOM_COLS;
    const gh = rows * ATOM_ROWS;
    this.sw = sw;
    this.sh = sh;
    this.cols = cols;
    this.rows = rows;
    this.aspect = aspect;
    const box = (this.box = fitContent(sw, sh, gw, gh, aspect));
    const w = box.width;
    const shrinkX = w > 0 && w < sw;
    this.xs = shrinkX ? spans(sw, w) : new Int32Array(0);
    this.ys = box.height > 0 && box.height <= sh ? spans(sh, box.height) : new Int32Array(0);
    this.rowLen = (shrinkX ? w : sw) * 3;
    this.vrows = new Float64Array(ATOM_ROWS * this.rowLen);
    this.narrow = new Float64Array(shrinkX ? sw * 3 : 0);
    this.weights = new Map();
    this.tp0 = new Int32Array(gw);
    this.tp1 = new Int32Array(gw);
    this.fx = new Float64Array(gw);
    this.inv = new Float64Array(gw);
    for (let x = 0; x < w; x++) {
      const ox = box.x + x;
      if (w > sw) {
        // bilinear between two source columns
        const fx = Math.max(0, Math.min(sw - 1, ((x + 0.5) * sw) / w - 0.5));
        const x0 = Math.floor(fx);
        this.tp0[ox] = x0 * 3;
        this.tp1[ox] = Math.min(sw - 1, x0 + 1) * 3;
        this.fx[ox] = fx - x0;
      } else {
        // one column of the row buffer (the source's, or the narrowed one), over the columns summed into it
        this.tp0[ox] = this.tp1[ox] = x * 3;
        this.inv[ox] = shrinkX ? 1 / ((this.xs[2 * x + 1] as number) - (this.xs[2 * x] as number)) : 1;
      }
    }
  }
}

// The column sums of the cell whose sums were last taken into s (from its atoms).
export function columnSums(s: CellSums): void {
  const c = s.colS, at = s.atoms;
  for (let x = 0, o = 0; x < ATOM_COLS; x++, o += 3) {
    let r = 0, g = 0, b = 0;
    for (let d = o; d < at.length; d += ATOM_COLS * 3) {
      r += at[d] as number;
      g += at[d + 1] as number;
      b += at[d + 2] as number;
    }
    c[o] = r;
    c[o + 1] = g;
    c[o + 2] = b;
  }
}
