// Frame → per-cell sums of the symbol fitter, without an atom grid in between. The atoms of a cell (ATOM_COLS x
// ATOM_ROWS, letterboxed like FrameScaler: area average along an axis that shrinks, bilinear along one that grows)
// are linear in the source pixels, so their sums are taken straight from the source row buffer with per-cell
// weights: per atom row the left and right halves and Σ|x|² (a quadratic form over the cell's source columns), and
// (only when the fitter asks) per atom column. The atoms are FrameScaler's before its rounding to bytes. The
// arithmetic runs in a WebAssembly SIMD kernel (cell-sums.wat: summing source rows, narrowing a wide frame, the
// per-cell sums at 3.4x the JS loop's speed), whose memory holds the row buffers and the cell's sums.

import type { Frame } from '../shared/frame.js';
import { fitContent, spans, type ContentBox } from './scale.js';
import { ATOM_COLS, ATOM_ROWS } from './symbol-set.js';
import { CELL_SUMS_WASM } from './cell-sums-wasm.js';
import { ensureBytes, instantiate, kernelRuns, type WasmMemory } from './wasm-kernel.js';

/** Atom columns in the left half of a cell. */
const HALF = ATOM_COLS >> 1;

/** The sums of one cell's atoms (R G B per entry). */
export class CellSums {
  /** Per atom row: the left half's and the right half's channel sums (the sampler's: views of its kernel's memory). */
  readonly rowL: Float64Array;
  readonly rowR: Float64Array;
  /** Per atom column: channel sums (filled by CellSampler.columnSums, only when asked for). */
  readonly colS: Float64Array;
  /** Σ|x|² over the atoms, and the channel totals. */
  q = 0;
  tr = 0;
  tg = 0;
  tb = 0;

  constructor(rowL = new Float64Array(ATOM_ROWS * 3), rowR = new Float64Array(ATOM_ROWS * 3), colS = new Float64Array(ATOM_COLS * 3)) {
    this.rowL = rowL;
    this.rowR = rowR;
    this.colS = colS;
  }
}

/** The kernel's exports (cell-sums.wat). */
interface SumsKernel {
  memory: WasmMemory;
  layout(vOff: number, rowBytes: number, wOff: number, jOff: number, rkOff: number, outOff: number, j: number, tapOff: number, downOff: number): void;
  sums(cx: number): void;
  columns(cx: number): void;
  rowsum(dst: number, stage: number, n: number, len: number): void;
  narrow(dst: number, src: number, spans: number, w: number): void;
}

// The kernel hard-codes 8 atom rows (its loop and the offsets of rowR and q in its output).
if (ATOM_ROWS !== 8) throw new Error('cell-sums.wat assumes ATOM_ROWS = 8');
/** Byte offsets in the kernel's output of rowR, of q, tr, tg, tb and of colS (rowL at 0; each block one f64 longer). */
const OUT_R = 200;
const OUT_Q = 400;
const OUT_COLS = 432;
const OUT_BYTES = OUT_COLS + 200;

// Whether the sampler (and so the symbol renderers) can run here: its kernel needs WebAssembly SIMD.
export function samplerRuns(): boolean {
  return kernelRuns(CELL_SUMS_WASM);
}

/**
 * A geometry's weights, from which the kernel's are laid out. Per atom column: two taps into a row buffer (offsets
 * of B) and their weights (bilinear, or the area's 1/columns). Per cell column and source column j from its first (jmax
 * of them): the weights of its value in the left and right halves' sums, of its square and of its product with
 * column j + 1 in Σ|x|².
 */
interface GeometryWeights {
  tp0: Int32Array;
  tp1: Int32Array;
  a0: Float64Array;
  a1: Float64Array;
  wl: Float64Array;
  wr: Float64Array;
  qa: Float64Array;
  qb: Float64Array;
}

// n rounded up to a multiple of 16.
const align16 = (n: number): number => (n + 15) & ~15;

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
  /** The ATOM_ROWS atom rows of the current cell row, before the horizontal filter (BGR sums, row-major; f32 in
   *  the kernel's memory). */
  private vrows = new Float32Array(0);
  private readonly kernel = instantiate<SumsKernel>(CELL_SUMS_WASM);
  /** The kernel's memory as bytes, and where the source rows of one atom row are staged for its rowsum. */
  private mem8 = new Uint8Array(0);
  private stageOff = 0;
  /** The cell the kernel's last sums() call wrote (its arrays are views of the kernel's output). */
  cell = new CellSums();
  private out = new Float64Array(0);
  private narrow = new Float32Array(0);
  private narrowOff = 0;
  private spansOff = 0;
  /** Per atom row of the current cell row: the 1/n of the n source rows summed into it (a view of the kernel's memory). */
  private rk = new Float32Array(ATOM_ROWS);
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
      if (this.xs.length > 0) this.narrowInto(o);
      this.rk[ay] = 1 / n;
    }
  }

  // Atom row oy of the box along the vertical axis (source rows summed, or bilinear) into out at o (out: a view of
  // the kernel's memory, the row buffer or the row to narrow); returns the number of source rows summed (1 when
  // bilinear).
  private vertical(oy: number, out: Float32Array, o: number): number {
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
    // the kernel sums the rows (staged in its memory) into the row buffer or the row to narrow
    this.mem8.set(src.subarray(a, y1 * n3), this.stageOff);
    this.kernel.rowsum(out.byteOffset + o * 4, this.stageOff, y1 - y0, n3);
    return y1 - y0;
  }

  // Sum the source-width row in `narrow` over each box column's span (the weights divide), into the row buffer at o.
  private narrowInto(o: number): void {
    this.kernel.narrow(o * 4, this.narrowOff, this.spansOff, this.box.width);
  }

  // The sums of cell cx of the current cell row (all but the column sums) into `cell`.
  sums(cx: number): void {
    this.kernel.sums(cx);
    const c = this.cell, o = this.out;
    c.q = o[OUT_Q / 8] as number;
    c.tr = o[OUT_Q / 8 + 1] as number;
    c.tg = o[OUT_Q / 8 + 2] as number;
    c.tb = o[OUT_Q / 8 + 3] as number;
  }

  // The per-column sums of cell cx of the current cell row into `cell`.colS (the kernel: each source column summed
  // down the atom rows, then the atom columns' two taps).
  columnSums(cx: number): void {
    this.kernel.columns(cx);
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
    const tp0 = new Int32Array(gw);
    const tp1 = new Int32Array(gw);
    const a0 = new Float64Array(gw);
    const a1 = new Float64Array(gw);
    for (let x = 0; x < w; x++) {
      const ox = box.x + x;
      if (w > sw) {
        // bilinear between two source columns
        const fx = Math.max(0, Math.min(sw - 1, ((x + 0.5) * sw) / w - 0.5));
        const x0 = Math.floor(fx);
        tp0[ox] = x0 * 3;
        tp1[ox] = Math.min(sw - 1, x0 + 1) * 3;
        a1[ox] = fx - x0;
        a0[ox] = 1 - (fx - x0);
      } else {
        // one column of the row buffer (the source's, or the narrowed one), over the columns summed into it
        tp0[ox] = tp1[ox] = x * 3;
        a0[ox] = shrinkX ? 1 / ((this.xs[2 * x + 1] as number) - (this.xs[2 * x] as number)) : 1;
      }
    }
    // each cell's source columns (its first: start, as an offset of B), from its first atom's tap to its last one's
    const start = new Int32Array(cols);
    let jmax = 1;
    for (let cx = 0; cx < cols; cx++) {
      let lo = Infinity, hi = -Infinity;
      for (let ox = cx * ATOM_COLS; ox < (cx + 1) * ATOM_COLS; ox++) {
        if (a0[ox] === 0 && a1[ox] === 0) continue;
        lo = Math.min(lo, tp0[ox] as number);
        hi = Math.max(hi, tp1[ox] as number);
      }
      start[cx] = lo === Infinity ? 0 : lo;
      if (lo !== Infinity) jmax = Math.max(jmax, (hi - lo) / 3 + 1);
    }
    // (a letterbox atom reads its cell's first column, with no weight)
    for (let ox = 0; ox < gw; ox++) {
      if (a0[ox] === 0 && a1[ox] === 0) tp0[ox] = tp1[ox] = start[Math.floor(ox / ATOM_COLS)] as number;
    }
    const wl = new Float64Array(cols * jmax);
    const wr = new Float64Array(cols * jmax);
    const qa = new Float64Array(cols * jmax);
    const qb = new Float64Array(cols * jmax);
    for (let cx = 0; cx < cols; cx++) {
      const wb = cx * jmax;
      for (let x = 0; x < ATOM_COLS; x++) {
        const ox = cx * ATOM_COLS + x;
        const w0 = a0[ox] as number, w1 = a1[ox] as number;
        if (w0 === 0 && w1 === 0) continue;
        const j0 = wb + ((tp0[ox] as number) - (start[cx] as number)) / 3;
        const j1 = wb + ((tp1[ox] as number) - (start[cx] as number)) / 3;
        const half = x < HALF ? wl : wr;
        half[j0] = (half[j0] as number) + w0;
        half[j1] = (half[j1] as number) + w1;
        // (w0·x0 + w1·x1)²: the squares' weights, and the cross term's with the next column
        if (j0 === j1) {
          qa[j0] = (qa[j0] as number) + (w0 + w1) * (w0 + w1);
        } else {
          qa[j0] = (qa[j0] as number) + w0 * w0;
          qa[j1] = (qa[j1] as number) + w1 * w1;
          qb[j0] = (qb[j0] as number) + 2 * w0 * w1;
        }
      }
    }
    this.layKernel(cols, jmax, start, { tp0, tp1, a0, a1, wl, wr, qa, qb });
  }

  // Lay out the kernel's memory for a geometry: the atom rows (with room past the last one for the cells' padded
  // columns and the fourth lane read past them), the weights, each cell's first column, the rows' 1/n, the output.
  private layKernel(cols: number, jmax: number, start: Int32Array, g: GeometryWeights): void {
    // (rowsum writes up to 15 values past a row)
    const vLen = ATOM_ROWS * this.rowLen + Math.max(3 * jmax + 4, 16);
    const wOff = align16(vLen * 4);
    const jOff = wOff + cols * jmax * 16;
    const rkOff = jOff + cols * 4;
    const tapOff = align16(rkOff + ATOM_ROWS * 4);
    const downOff = tapOff + cols * ATOM_COLS * 16;
    const outOff = downOff + (jmax + 1) * 16;
    // the most source rows one atom row sums, each of the source's width (read 16 bytes at a time)
    let rowsMax = 1;
    for (let i = 0; i + 1 < this.ys.length; i += 2) rowsMax = Math.max(rowsMax, (this.ys[i + 1] as number) - (this.ys[i] as number));
    this.stageOff = outOff + OUT_BYTES;
    // when the box is narrower than the source: the source-width row to narrow (f32; rowsum writes up to 15 values
    // past it), and each box column's span of it
    const narrowLen = this.xs.length > 0 ? this.sw * 3 + 16 : 0;
    this.narrowOff = align16(this.stageOff + rowsMax * this.sw * 3 + 16);
    this.spansOff = align16(this.narrowOff + narrowLen * 4);
    const k = this.kernel;
    ensureBytes(k.memory, this.spansOff + this.xs.length * 4);
    const buf = k.memory.buffer;
    this.mem8 = new Uint8Array(buf);
    this.mem8.fill(0);
    this.narrow = new Float32Array(buf, this.narrowOff, narrowLen);
    const spans = new Int32Array(buf, this.spansOff, this.xs.length);
    for (let i = 0; i < this.xs.length; i++) spans[i] = (this.xs[i] as number) * 12;
    this.vrows = new Float32Array(buf, 0, vLen);
    const w = new Float32Array(buf, wOff, cols * jmax * 4);
    for (let j = 0; j < cols * jmax; j++) {
      w[4 * j] = g.wl[j] as number;
      w[4 * j + 1] = g.wr[j] as number;
      w[4 * j + 2] = g.qa[j] as number;
      w[4 * j + 3] = g.qb[j] as number;
    }
    const js = new Int32Array(buf, jOff, cols);
    for (let cx = 0; cx < cols; cx++) js[cx] = (start[cx] as number) * 4;
    this.rk = new Float32Array(buf, rkOff, ATOM_ROWS);
    // each atom column's taps: byte offsets of source columns in `down` (from its cell's first), and weights
    const ti = new Int32Array(buf, tapOff, cols * ATOM_COLS * 4);
    const tf = new Float32Array(buf, tapOff, cols * ATOM_COLS * 4);
    for (let ox = 0; ox < cols * ATOM_COLS; ox++) {
      const j0 = start[Math.floor(ox / ATOM_COLS)] as number;
      ti[4 * ox] = (((g.tp0[ox] as number) - j0) / 3) * 16;
      ti[4 * ox + 1] = (((g.tp1[ox] as number) - j0) / 3) * 16;
      tf[4 * ox + 2] = g.a0[ox] as number;
      tf[4 * ox + 3] = g.a1[ox] as number;
    }
    this.out = new Float64Array(buf, outOff, OUT_BYTES / 8);
    this.cell = new CellSums(new Float64Array(buf, outOff, ATOM_ROWS * 3), new Float64Array(buf, outOff + OUT_R, ATOM_ROWS * 3),
      new Float64Array(buf, outOff + OUT_COLS, ATOM_COLS * 3));
    k.layout(0, this.rowLen * 4, wOff, jOff, rkOff, outOff, jmax, tapOff, downOff);
  }
}
