// Frame → pixel grid: letterboxed (aspect kept, black bars) into a reused RGB buffer; area average along an axis
// that shrinks, bilinear along one that grows (a frame smaller than the pane, e.g. shrunk by congestion control,
// was once enlarged nearest-neighbour, blocky and ~2 dB worse).

import type { Frame } from '../shared/frame.js';

/** Where the picture sits inside a grid, in grid pixels. */
export interface ContentBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An RGB pixel grid (3 bytes per pixel, row-major) owned and reused by a FrameScaler. */
export interface PixelGrid {
  /** width * height * 3 bytes, R G B. Valid until the next scale() call. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** The picture's area inside the grid; everything else is black. */
  readonly content: ContentBox;
}

// Fit a srcW x srcH picture into a gridW x gridH grid whose pixels are pixelAspect (width/height) wide on screen.
export function fitContent(srcW: number, srcH: number, gridW: number, gridH: number, pixelAspect = 1): ContentBox {
  if (srcW <= 0 || srcH <= 0 || gridW <= 0 || gridH <= 0) return { x: 0, y: 0, width: 0, height: 0 };
  const pa = pixelAspect > 0 && Number.isFinite(pixelAspect) ? pixelAspect : 1;
  // screen units: one grid pixel is pa wide and 1 high
  const s = Math.min((gridW * pa) / srcW, gridH / srcH);
  const width = Math.min(gridW, Math.max(1, Math.round((srcW * s) / pa)));
  const height = Math.min(gridH, Math.max(1, Math.round(srcH * s)));
  return { x: (gridW - width) >> 1, y: (gridH - height) >> 1, width, height };
}

/** Scales frames into one preallocated grid; buffers are reused while the sizes stay the same. */
export class FrameScaler {
  private grid = new Uint8Array(0);
  private gridW = 0;
  private gridH = 0;
  private box: ContentBox = { x: 0, y: 0, width: 0, height: 0 };
  private srcW = 0;
  private srcH = 0;
  private xs: Int32Array = new Int32Array(0); // source column [start, end) per output column
  private ys: Int32Array = new Int32Array(0); // source row [start, end) per output row
  private inv = new Float64Array(0); // 1 / box area per output column, for the current output row
  private acc = new Uint32Array(0); // per-output-column channel sums for one output row
  private rowBuf = new Float64Array(0); // one source-width row (BGR) for enlarging
  private ex0 = new Int32Array(0); // bilinear enlarging: source offsets and weight per output column
  private ex1 = new Int32Array(0);
  private ewx = new Float64Array(0);

  // Scale frame (BGR) into a gridW x gridH RGB grid whose pixels have the given on-screen aspect (w/h).
  scale(frame: Frame, gridW: number, gridH: number, pixelAspect = 1): PixelGrid {
    const gw = Math.max(0, Math.floor(gridW));
    const gh = Math.max(0, Math.floor(gridH));
    this.prepare(frame.width, frame.height, gw, gh, pixelAspect);
    const { x: bx, y: by, width: w, height: h } = this.box;
    const src = frame.data;
    const sw = frame.width;
    if (w === 0 || h === 0 || src.length < sw * frame.height * 3) {
      return { data: this.grid, width: gw, height: gh, content: this.box };
    }
    const grid = this.grid;
    const xs = this.xs;
    const ys = this.ys;
    const acc = this.acc;
    const inv = this.inv;
    if (w === sw && h === frame.height) {
      // 1:1 — swizzle BGR to RGB
      for (let y = 0; y < h; y++) {
        let s = y * sw * 3;
        let d = ((by + y) * gw + bx) * 3;
        for (let x = 0; x < w; x++, s += 3, d += 3) {
          grid[d] = src[s + 2] as number;
          grid[d + 1] = src[s + 1] as number;
          grid[d + 2] = src[s] as number;
        }
      }
      return { data: grid, width: gw, height: gh, content: this.box };
    }
    if (w > sw || h > frame.height) {
      this.enlarge(src, sw, frame.height, gw);
      return { data: grid, width: gw, height: gh, content: this.box };
    }
    for (let oy = 0; oy < h; oy++) {
      const y0 = ys[2 * oy] as number;
      const y1 = ys[2 * oy + 1] as number;
      acc.fill(0);
      for (let sy = y0; sy < y1; sy++) {
        const rowBase = sy * sw * 3;
        for (let ox = 0, a = 0; ox < w; ox++, a += 3) {
          let p = rowBase + (xs[2 * ox] as number) * 3;
          const pe = rowBase + (xs[2 * ox + 1] as number) * 3;
          let sb = 0;
          let sg = 0;
          let sr = 0;
          for (; p < pe; p += 3) {
            sb += src[p] as number;
            sg += src[p + 1] as number;
            sr += src[p + 2] as number;
          }
          acc[a] = (acc[a] as number) + sr;
          acc[a + 1] = (acc[a + 1] as number) + sg;
          acc[a + 2] = (acc[a + 2] as number) + sb;
        }
      }
      const rows = y1 - y0;
      let d = ((by + oy) * gw + bx) * 3;
      for (let ox = 0, a = 0; ox < w; ox++, a += 3, d += 3) {
        const k = (inv[ox] as number) / rows;
        grid[d] = (acc[a] as number) * k + 0.5;
        grid[d + 1] = (acc[a + 1] as number) * k + 0.5;
        grid[d + 2] = (acc[a + 2] as number) * k + 0.5;
      }
    }
    return { data: grid, width: gw, height: gh, content: this.box };
  }

  // Scale with bilinear interpolation along each growing axis (area average along a shrinking one).
  private enlarge(src: Uint8Array, sw: number, sh: number, gw: number): void {
    const { x: bx, y: by, width: w, height: h } = this.box;
    const grid = this.grid;
    const row = this.rowBuf.length === sw * 3 ? this.rowBuf : (this.rowBuf = new Float64Array(sw * 3));
    const xs = this.xs;
    const ys = this.ys;
    if (w > sw && this.ewx.length !== w) this.bilinearColumns(sw, w);
    const ex0 = this.ex0;
    const ex1 = this.ex1;
    const ewx = this.ewx;
    for (let oy = 0; oy < h; oy++) {
      // one source row for this output row: interpolated (growing) or averaged (shrinking)
      let k = 1; // the row holds k⁻¹ times the source values
      if (h > sh) {
        const fy = Math.max(0, Math.min(sh - 1, ((oy + 0.5) * sh) / h - 0.5));
        const y0 = Math.floor(fy);
        const y1 = Math.min(sh - 1, y0 + 1);
        const wy = fy - y0;
        const a = y0 * sw * 3;
        const b = y1 * sw * 3;
        for (let i = 0; i < sw * 3; i++) row[i] = (src[a + i] as number) * (1 - wy) + (src[b + i] as number) * wy;
      } else {
        const y0 = ys[2 * oy] as number;
        const y1 = ys[2 * oy + 1] as number;
        for (let i = 0, a = y0 * sw * 3; i < sw * 3; i++) row[i] = src[a + i] as number;
        for (let sy = y0 + 1; sy < y1; sy++) for (let i = 0, a = sy * sw * 3; i < sw * 3; i++) row[i] = (row[i] as number) + (src[a + i] as number);
        k = 1 / (y1 - y0);
      }
      let d = ((by + oy) * gw + bx) * 3;
      if (w > sw) {
        for (let ox = 0; ox < w; ox++, d += 3) {
          const p0 = ex0[ox] as number;
          const p1 = ex1[ox] as number;
          const w1 = (ewx[ox] as number) * k;
          const w0 = k - w1;
          grid[d] = ((row[p0 + 2] as number) * w0 + (row[p1 + 2] as number) * w1 + 0.5) | 0;
          grid[d + 1] = ((row[p0 + 1] as number) * w0 + (row[p1 + 1] as number) * w1 + 0.5) | 0;
          grid[d + 2] = ((row[p0] as number) * w0 + (row[p1] as number) * w1 + 0.5) | 0;
        }
        continue;
      }
      for (let ox = 0; ox < w; ox++, d += 3) {
        const x0 = xs[2 * ox] as number;
        const x1 = xs[2 * ox + 1] as number;
        let r = 0;
        let g = 0;
        let b = 0;
        for (let x = x0; x < x1; x++) {
          b += row[x * 3] as number;
          g += row[x * 3 + 1] as number;
          r += row[x * 3 + 2] as number;
        }
        const kx = k / (x1 - x0);
        grid[d] = (r * kx + 0.5) | 0;
        grid[d + 1] = (g * kx + 0.5) | 0;
        grid[d + 2] = (b * kx + 0.5) | 0;
      }
    }
  }

  // Per output column of a growing axis: the offsets of the two source pixels it lies between, and the weight.
  private bilinearColumns(sw: number, w: number): void {
    this.ex0 = new Int32Array(w);
    this.ex1 = new Int32Array(w);
    this.ewx = new Float64Array(w);
    for (let ox = 0; ox < w; ox++) {
      const fx = Math.max(0, Math.min(sw - 1, ((ox + 0.5) * sw) / w - 0.5));
      const x0 = Math.floor(fx);
      this.ex0[ox] = x0 * 3;
      this.ex1[ox] = Math.min(sw - 1, x0 + 1) * 3;
      this.ewx[ox] = fx - x0;
    }
  }

  // (Re)compute the box and the sampling tables when the source or grid geometry changes.
  private prepare(sw: number, sh: number, gw: number, gh: number, pixelAspect: number): void {
    const box = fitContent(sw, sh, gw, gh, pixelAspect);
    const same =
      gw === this.gridW && gh === this.gridH && sw === this.srcW && sh === this.srcH &&
      box.x === this.box.x && box.y === this.box.y && box.width === this.box.width && box.height === this.box.height;
    if (same) return;
    if (this.grid.length !== gw * gh * 3) this.grid = new Uint8Array(gw * gh * 3);
    else this.grid.fill(0);
    this.gridW = gw;
    this.gridH = gh;
    this.srcW = sw;
    this.srcH = sh;
    this.box = box;
    this.ewx = new Float64Array(0);
    this.xs = spans(sw, box.width);
    this.ys = spans(sh, box.height);
    this.acc = new Uint32Array(box.width * 3);
    this.inv = new Float64Array(box.width);
    for (let i = 0; i < box.width; i++) this.inv[i] = 1 / ((this.xs[2 * i + 1] as number) - (this.xs[2 * i] as number));
  }
}

// Source [start, end) pairs for n output samples over a source of length len (each span at least one sample).
export function spans(len: number, n: number): Int32Array {
  const out = new Int32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const a = Math.min(len - 1, Math.floor((i * len) / n));
    out[2 * i] = a;
    out[2 * i + 1] = Math.max(a + 1, Math.min(len, Math.floor(((i + 1) * len) / n)));
  }
  return out;
}
