// Frame → per-cell sums of the symbol fitter, without an atom grid in between. The atoms of a cell (ATOM_COLS x
// ATOM_ROWS, letterboxed like FrameScaler: area average along an axis that shrinks, bilinear along one that grows)
// are linear in the source pixels, so their sums are taken straight from the source row buffer with per-cell
// weights: per atom row the left and right halves and Σ|x|² (a quadratic form over the cell's source columns), and
// (only when the fitter asks) per atom column. The atoms are FrameScaler's before its rounding to bytes.

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
  /** Per atom column: channel sums (filled by CellSampler.columnSums, only when asked for). */
  readonly colS = new Float64Array(ATOM_COLS * 3);
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
  /** columnSums: the cell's source columns summed down its atom rows. */
  private down = new Float64Array(0);
  private narrow = new Float64Array(0);
  // per atom column: two taps into a row buffer (offsets of B) and their weights (bilinear, or the area's
  // 1/columns); per atom row of the current cell row the 1/n of the n source rows summed into it
  private tp0 = new Int32Array(0);
  private tp1 = new Int32Array(0);
  private a0 = new Float64Array(0);
  private a1 = new Float64Array(0);
  private readonly rk = new Float64Array(ATOM_ROWS);
  // per cell column: the first source column its atoms read (offset of B), and per source column j from there
  // (JMAX of them) the weights of its value in the left and right halves' sums, of its square and of its product
  // with column j + 1 in Σ|x|²
  private jStart = new Int32Array(0);
  private jmax = 0;
  private wl = new Float64Array(0);
  private wr = new Float64Array(0);
  private qa = new Float64Array(0);
  private qb = new Float64Array(0);
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
        this.rk[ay] = 1;
        continue;
      }
      const n = this.xs.length > 0 ? this.vertical(oy, this.narrow, 0) : this.vertical(oy, v, o);
      if (this.xs.length > 0) this.narrowInto(v, o);
      this.rk[ay] = 1 / n;
    }
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

  // The sums of cell cx of the current cell row (all but the column sums) into s.
  sums(cx: number, s: CellSums): void {
    const v = this.vrows;
    const len = this.rowLen;
    const J = this.jmax;
    const wb = cx * J;
    const wl = this.wl, wr = this.wr, qa = this.qa, qb = this.qb, rk = this.rk;
    const rowL = s.rowL, rowR = s.rowR;
    let q = 0, tr = 0, tg = 0, tb = 0;
    for (let ay = 0, base = this.jStart[cx] as number, o = 0; ay < ATOM_ROWS; ay++, base += len, o += 3) {
      let lr = 0, lg = 0, lb = 0, rr = 0, rg = 0, rb = 0, qq = 0;
      // (the cross term of column j − 1 with j, from the last column's values)
      let pr = 0, pg = 0, pb = 0, cross = 0;
      for (let j = wb, p = base; j < wb + J; j++, p += 3) {
        const b = v[p] as number, g = v[p + 1] as number, r = v[p + 2] as number;
        const kl = wl[j] as number, kr = wr[j] as number;
        lr += kl * r; lg += kl * g; lb += kl * b;
        rr += kr * r; rg += kr * g; rb += kr * b;
        qq += (qa[j] as number) * (r * r + g * g + b * b) + cross * (r * pr + g * pg + b * pb);
        cross = qb[j] as number;
        pr = r; pg = g; pb = b;
      }
      const k = rk[ay] as number;
      rowL[o] = lr * k; rowL[o + 1] = lg * k; rowL[o + 2] = lb * k;
      rowR[o] = rr * k; rowR[o + 1] = rg * k; rowR[o + 2] = rb * k;
      q += qq * k * k;
      tr += (lr + rr) * k; tg += (lg + rg) * k; tb += (lb + rb) * k;
    }
    s.q = q;
    s.tr = tr;
    s.tg = tg;
    s.tb = tb;
  }

  // The per-column sums of cell cx of the current cell row into s.colS: each source column summed down the atom
  // rows, then the atom columns' two taps.
  columnSums(cx: number, s: CellSums): void {
    const v = this.vrows;
    const len = this.rowLen;
    const down = this.down;
    const j0 = this.jStart[cx] as number;
    const n3 = this.jmax * 3 + 3;
    down.fill(0);
    for (let ay = 0, base = j0; ay < ATOM_ROWS; ay++, base += len) {
      const k = this.rk[ay] as number;
      for (let i = 0; i < n3; i++) down[i] = (down[i] as number) + k * (v[base + i] as number);
    }
    const c = s.colS;
    for (let x = 0, o = 0, ox = cx * ATOM_COLS; x < ATOM_COLS; x++, o += 3, ox++) {
      const p0 = (this.tp0[ox] as number) - j0, p1 = (this.tp1[ox] as number) - j0, w0 = this.a0[ox] as number, w1 = this.a1[ox] as number;
      c[o] = (down[p0 + 2] as number) * w0 + (down[p1 + 2] as number) * w1;
      c[o + 1] = (down[p0 + 1] as number) * w0 + (down[p1 + 1] as number) * w1;
      c[o + 2] = (down[p0] as number) * w0 + (down[p1] as number) * w1;
    }
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
    this.narrow = new Float64Array(shrinkX ? sw * 3 : 0);
    this.tp0 = new Int32Array(gw);
    this.tp1 = new Int32Array(gw);
    this.a0 = new Float64Array(gw);
    this.a1 = new Float64Array(gw);
    for (let x = 0; x < w; x++) {
      const ox = box.x + x;
      if (w > sw) {
        // bilinear between two source columns
        const fx = Math.max(0, Math.min(sw - 1, ((x + 0.5) * sw) / w - 0.5));
        const x0 = Math.floor(fx);
        this.tp0[ox] = x0 * 3;
        this.tp1[ox] = Math.min(sw - 1, x0 + 1) * 3;
        this.a1[ox] = fx - x0;
        this.a0[ox] = 1 - (fx - x0);
      } else {
        // one column of the row buffer (the source's, or the narrowed one), over the columns summed into it
        this.tp0[ox] = this.tp1[ox] = x * 3;
        this.a0[ox] = shrinkX ? 1 / ((this.xs[2 * x + 1] as number) - (this.xs[2 * x] as number)) : 1;
      }
    }
    // each cell's source columns, from its first atom's tap to its last one's
    const start = new Int32Array(cols);
    let jmax = 1;
    for (let cx = 0; cx < cols; cx++) {
      let lo = Infinity, hi = -Infinity;
      for (let ox = cx * ATOM_COLS; ox < (cx + 1) * ATOM_COLS; ox++) {
        if (this.a0[ox] === 0 && this.a1[ox] === 0) continue;
        lo = Math.min(lo, this.tp0[ox] as number);
        hi = Math.max(hi, this.tp1[ox] as number);
      }
      start[cx] = lo === Infinity ? 0 : lo;
      if (lo !== Infinity) jmax = Math.max(jmax, (hi - lo) / 3 + 1);
    }
    this.jStart = start;
    this.jmax = jmax;
    // (a letterbox atom reads its cell's first column, with no weight)
    for (let ox = 0; ox < gw; ox++) {
      if (this.a0[ox] === 0 && this.a1[ox] === 0) this.tp0[ox] = this.tp1[ox] = start[Math.floor(ox / ATOM_COLS)] as number;
    }
    this.wl = new Float64Array(cols * jmax);
    this.wr = new Float64Array(cols * jmax);
    this.qa = new Float64Array(cols * jmax);
    this.qb = new Float64Array(cols * jmax);
    for (let cx = 0; cx < cols; cx++) {
      const wb = cx * jmax;
      for (let x = 0; x < ATOM_COLS; x++) {
        const ox = cx * ATOM_COLS + x;
        const a0 = this.a0[ox] as number, a1 = this.a1[ox] as number;
        if (a0 === 0 && a1 === 0) continue;
        const j0 = wb + ((this.tp0[ox] as number) - (start[cx] as number)) / 3;
        const j1 = wb + ((this.tp1[ox] as number) - (start[cx] as number)) / 3;
        const half = x < HALF ? this.wl : this.wr;
        half[j0] = (half[j0] as number) + a0;
        half[j1] = (half[j1] as number) + a1;
        // (a0·x0 + a1·x1)²: the squares' weights, and the cross term's with the next column
        if (j0 === j1) {
          this.qa[j0] = (this.qa[j0] as number) + (a0 + a1) * (a0 + a1);
        } else {
          this.qa[j0] = (this.qa[j0] as number) + a0 * a0;
          this.qa[j1] = (this.qa[j1] as number) + a1 * a1;
          this.qb[j0] = (this.qb[j0] as number) + 2 * a0 * a1;
        }
      }
    }
    // room past the last row for the cells' padded columns
    this.vrows = new Float64Array(ATOM_ROWS * this.rowLen + 3 * jmax + 3);
    this.down = new Float64Array(3 * jmax + 6);
  }
}
