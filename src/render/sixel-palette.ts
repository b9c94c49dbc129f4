// The sixel renderer's adaptive palette: fitted to the picture (median cut over a 5-bit histogram, then k-means
// passes), kept while the scene stays the same (so colours do not flicker between frames), refitted on a scene
// change; pixels map to registers through a lazily filled 15-bit lookup table (the fixed palette's speed).

/** Side of the thumbnail that detects scene changes. */
const THUMB = 16;

/** Pixels the palette reads: width x height, 3 bytes each, R G B, or B G R (frames as they travel, used unscaled). */
export interface SixelPixels {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly bgr: boolean;
}

/** A palette of up to 256 colours fitted to pictures, with a cached nearest-colour table. */
export class AdaptivePalette {
  /** 0xRRGGBB per register. */
  colours = new Int32Array(0);
  /** Register per 15-bit colour (5 bits per channel, R high), -1 until first looked up. */
  readonly lut = new Int16Array(1 << 15).fill(-1);
  private thumb: Float32Array<ArrayBufferLike> = new Float32Array(THUMB * THUMB * 3);
  private fitted = false;
  /** Channels of each register, for the tolerance test of map(). */
  private pr = new Int32Array(256);
  private pg = new Int32Array(256);
  private pb = new Int32Array(256);
  private readonly hist = new Uint32Array(32768);
  private bins: number[] = [];
  /** How many times the palette was (re)fitted. */
  fits = 0;

  constructor(readonly size = 256, private readonly sceneChangeLevels = 10) {}

  // Is the picture a new scene (or nothing fitted yet)? A new scene's thumbnail becomes the reference.
  sceneChanged(px: SixelPixels): boolean {
    const t = thumbnail(px);
    if (this.fitted) {
      let d = 0;
      for (let i = 0; i < t.length; i++) d += Math.abs((t[i] as number) - (this.thumb[i] as number));
      if (d / t.length < this.sceneChangeLevels) return false;
    }
    this.thumb = t;
    return true;
  }

  // Refit when the picture is a new scene (or nothing was fitted yet); returns true when the palette changed.
  // blackPixels: letterbox pixels outside the picture that are drawn black (they weigh in the fit).
  update(px: SixelPixels, blackPixels = 0): boolean {
    if (!this.sceneChanged(px)) return false;
    this.count(px, blackPixels);
    this.fit();
    return true;
  }

  // Fit the palette with up to `colours` registers to the picture last counted: median cut, then two k-means passes
  // over its 5-bit histogram.
  fit(colours = this.size): void {
    const cols = medianCut(this.bins, this.hist, Math.max(1, Math.min(this.size, colours)));
    kmeans(cols, this.bins, this.hist, 2);
    this.colours = Int32Array.from(cols);
    this.colours.forEach((v, i) => {
      this.pr[i] = v >> 16;
      this.pg[i] = (v >> 8) & 255;
      this.pb[i] = v & 255;
    });
    this.lut.fill(-1);
    this.fitted = true;
    this.fits++;
  }

  // Count the 5-bit histogram of a picture (every pixel, or every other one of a large picture) for fit().
  count(px: SixelPixels, blackPixels = 0): void {
    const hist = this.hist;
    hist.fill(0);
    const n = px.width * px.height;
    const step = n > 200_000 ? 2 : 1;
    const src = px.data;
    const ro = px.bgr ? 2 : 0;
    const bo = 2 - ro;
    for (let i = 0, p = 0; i < n; i += step, p += 3 * step) {
      const k = (((src[p + ro] as number) >> 3) << 10) | (((src[p + 1] as number) >> 3) << 5) | ((src[p + bo] as number) >> 3);
      hist[k] = (hist[k] as number) + 1;
    }
    if (blackPixels > 0) hist[0] = (hist[0] as number) + Math.ceil(blackPixels / step);
    const bins: number[] = [];
    for (let i = 0; i < 32768; i++) if (hist[i]) bins.push(i);
    this.bins = bins;
  }

  // Map a picture's pixels to registers into idx (a gridW-wide grid, the picture's top-left at x0, y0), through
  // the lookup table; misses are searched once and remembered. With a tolerance (weighted squared distance), a pixel
  // keeps the register of the pixel above or to its left while that colour is within it: noise then stops breaking
  // the sixel runs (the bytes), at a bounded error.
  // Columns of a band found in one colour go to bandColour (per band, per grid column; -1: see idx) instead of idx,
  // when the band lies inside the picture.
  // step > 1 (with a tolerance): only every step-th band, for an estimate; fromRow/toRow (multiples of 6): those bands only.
  map(
    px: SixelPixels, idx: Uint8Array, gridW = px.width, x0 = 0, y0 = 0, tolerance = 0, bandColour: Int16Array | null = null,
    gridH = y0 + px.height, step = 1, fromRow = 0, toRow = gridH,
  ): void {
    const lut = this.lut;
    const src = px.data;
    const w = px.width;
    const ro = px.bgr ? 2 : 0;
    const bo = 2 - ro;
    if (tolerance <= 0) {
      for (let y = 0, p = 0; y < px.height; y++) {
        for (let i = (y0 + y) * gridW + x0, end = i + w; i < end; i++, p += 3) {
          const k = (((src[p + ro] as number) >> 3) << 10) | (((src[p + 1] as number) >> 3) << 5) | ((src[p + bo] as number) >> 3);
          const hit = lut[k] as number;
          idx[i] = hit >= 0 ? hit : this.nearest(k);
        }
      }
      return;
    }
    const h = px.height;
    const stride = w * 3;
    // sixel bands are 6 rows (counted from the grid's top): a column of a band in one colour costs one sixel
    for (let gy = Math.max(fromRow, y0 - (y0 % 6)); gy < Math.min(toRow, y0 + h); gy += 6) {
      if (step > 1 && (gy / 6) % step !== 0) continue;
      const top = Math.max(0, gy - y0);
      const rows = Math.min(gy + 6, y0 + h) - y0 - top;
      // the band's own rows all in the picture: a one-colour column is noted once, not per pixel
      const whole = bandColour !== null && gy >= y0 && Math.min(gy + 6, gridH) <= y0 + h;
      const bc = whole ? (gy / 6) * gridW + x0 : -1;
      let left = -1;
      for (let x = 0; x < w; x++) {
        const p0 = top * stride + x * 3;
        const i0 = (y0 + top) * gridW + x0 + x;
        // 1. the whole column in the colour of the column to its left
        let c = left;
        if (c >= 0 && !this.columnFits(src, p0, rows, stride, ro, c, tolerance)) c = -1;
        if (c < 0) {
          // 2. the whole column in the colour nearest to its mean (unless that is the left colour, which failed)
          let sr = 0, sg = 0, sb = 0;
          for (let r = 0, p = p0; r < rows; r++, p += stride) {
            sr += src[p + ro] as number;
            sg += src[p + 1] as number;
            sb += src[p + bo] as number;
          }
          const k = (((sr / rows) >> 3) << 10) | (((sg / rows) >> 3) << 5) | ((sb / rows) >> 3);
          const hit = lut[k] as number;
          c = hit >= 0 ? hit : this.nearest(k);
          if (c === left || !this.columnFits(src, p0, rows, stride, ro, c, tolerance)) c = -1;
        }
        if (c >= 0) {
          if (whole) (bandColour as Int16Array)[bc + x] = c;
          else for (let r = 0, i = i0; r < rows; r++, i += gridW) idx[i] = c;
          left = c;
          continue;
        }
        // 3. an edge or texture: every pixel its nearest colour
        for (let r = 0, p = p0, i = i0; r < rows; r++, p += stride, i += gridW) {
          const k = (((src[p + ro] as number) >> 3) << 10) | (((src[p + 1] as number) >> 3) << 5) | ((src[p + bo] as number) >> 3);
          const hit = lut[k] as number;
          idx[i] = hit >= 0 ? hit : this.nearest(k);
        }
        left = -1;
      }
    }
  }

  // Does every pixel of a column (rows pixels from p0, stride bytes apart; red at offset ro, blue at 2 - ro) lie
  // within the tolerance (weighted squared distance) of register c?
  private columnFits(src: Uint8Array, p0: number, rows: number, stride: number, ro: number, c: number, tolerance: number): boolean {
    const bo = 2 - ro;
    const cr = this.pr[c] as number, cg = this.pg[c] as number, cb = this.pb[c] as number;
    for (let r = 0, p = p0; r < rows; r++, p += stride) {
      const dr = (src[p + ro] as number) - cr, dg = (src[p + 1] as number) - cg, db = (src[p + bo] as number) - cb;
      if (2 * dr * dr + 4 * dg * dg + db * db > tolerance) return false;
    }
    return true;
  }

  // Register of the colour nearest to (r, g, b), through the lookup table (5 bits per channel).
  index(r: number, g: number, b: number): number {
    const k = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    const hit = this.lut[k] as number;
    return hit >= 0 ? hit : this.nearest(k);
  }

  // Search the register nearest to the centre of 15-bit colour k and remember it in the lookup table.
  private nearest(k: number): number {
    const cr = chan(k, 0), cg = chan(k, 1), cb = chan(k, 2);
    const c = this.colours;
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < c.length; i++) {
      const v = c[i] as number;
      const dr = (v >> 16) - cr, dg = ((v >> 8) & 255) - cg, db = (v & 255) - cb;
      const d = 2 * dr * dr + 4 * dg * dg + db * db;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    this.lut[k] = best;
    return best;
  }
}

// A THUMB x THUMB mean-colour (R G B) thumbnail of a picture, from every 8th pixel of every 8th row.
function thumbnail(px: SixelPixels): Float32Array {
  const { data: src, width: w, height: h } = px;
  const ro = px.bgr ? 2 : 0;
  const bo = 2 - ro;
  const t = new Float32Array(THUMB * THUMB * 3);
  const n = new Float32Array(THUMB * THUMB);
  const binX = new Int32Array(Math.ceil(w / 8));
  for (let i = 0; i < binX.length; i++) binX[i] = Math.min(THUMB - 1, Math.floor((i * 8 * THUMB) / w));
  for (let y = Math.min(3, h - 1); y < h; y += 8) {
    const row = Math.min(THUMB - 1, Math.floor((y * THUMB) / h)) * THUMB;
    for (let i = 0, x = 0, p = y * w * 3; x < w; i++, x += 8, p += 24) {
      const k = row + (binX[i] as number);
      const q = k * 3;
      t[q] = (t[q] as number) + (src[p + ro] as number);
      t[q + 1] = (t[q + 1] as number) + (src[p + 1] as number);
      t[q + 2] = (t[q + 2] as number) + (src[p + bo] as number);
      n[k] = (n[k] as number) + 1;
    }
  }
  for (let k = 0; k < n.length; k++) for (let c = 0; c < 3; c++) t[k * 3 + c] = (t[k * 3 + c] as number) / Math.max(1, n[k] as number);
  return t;
}

// Channel value (0..255) of a 5-bit histogram bin: its centre, but 0 and 255 at the ends (black bars stay black).
function chan(bin: number, c: number): number {
  const v = (bin >> (10 - 5 * c)) & 31;
  return v === 0 ? 0 : v === 31 ? 255 : (v << 3) | 4;
}

// Median cut of the histogram bins into up to k boxes; the weighted mean colour of each box.
function medianCut(bins: number[], hist: Uint32Array, k: number): number[] {
  const boxes: number[][] = [bins];
  while (boxes.length < k) {
    // split the box with the largest weighted spread
    let bi = -1;
    let bestScore = 0;
    let bestC = 0;
    for (let i = 0; i < boxes.length; i++) {
      const b = boxes[i] as number[];
      if (b.length < 2) continue;
      let w = 0;
      const lo = [255, 255, 255];
      const hi = [0, 0, 0];
      for (const v of b) {
        w += hist[v] as number;
        for (let c = 0; c < 3; c++) {
          const x = chan(v, c);
          if (x < (lo[c] as number)) lo[c] = x;
          if (x > (hi[c] as number)) hi[c] = x;
        }
      }
      const spans = [0, 1, 2].map((c) => ((hi[c] as number) - (lo[c] as number)) * (c === 1 ? 1.2 : 1));
      const c = spans.indexOf(Math.max(...spans));
      const score = (spans[c] as number) * Math.sqrt(w);
      if (score > bestScore) {
        bestScore = score;
        bi = i;
        bestC = c;
      }
    }
    if (bi < 0) break;
    const b = (boxes[bi] as number[]).sort((x, y) => chan(x, bestC) - chan(y, bestC));
    let total = 0;
    for (const v of b) total += hist[v] as number;
    let acc = 0;
    let cut = 1;
    for (let i = 0; i < b.length - 1; i++) {
      acc += hist[b[i] as number] as number;
      if (acc >= total / 2) {
        cut = i + 1;
        break;
      }
    }
    boxes.splice(bi, 1, b.slice(0, cut), b.slice(cut));
  }
  return boxes.map((b) => {
    let w = 0, r = 0, g = 0, bl = 0;
    for (const v of b) {
      const h = hist[v] as number;
      w += h;
      r += h * chan(v, 0);
      g += h * chan(v, 1);
      bl += h * chan(v, 2);
    }
    w = Math.max(1, w);
    return (Math.round(r / w) << 16) | (Math.round(g / w) << 8) | Math.round(bl / w);
  });
}

// Lloyd iterations of the palette over the weighted histogram bins.
function kmeans(cols: number[], bins: number[], hist: Uint32Array, passes: number): void {
  const k = cols.length;
  for (let pass = 0; pass < passes; pass++) {
    const sum = new Float64Array(k * 4);
    for (const v of bins) {
      const r = chan(v, 0), g = chan(v, 1), b = chan(v, 2);
      let best = 0;
      let bestD = Infinity;
      for (let i = 0; i < k; i++) {
        const c = cols[i] as number;
        const dr = (c >> 16) - r, dg = ((c >> 8) & 255) - g, db = (c & 255) - b;
        const d = 2 * dr * dr + 4 * dg * dg + db * db;
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      const h = hist[v] as number;
      sum[best * 4] = (sum[best * 4] as number) + h * r;
      sum[best * 4 + 1] = (sum[best * 4 + 1] as number) + h * g;
      sum[best * 4 + 2] = (sum[best * 4 + 2] as number) + h * b;
      sum[best * 4 + 3] = (sum[best * 4 + 3] as number) + h;
    }
    for (let i = 0; i < k; i++) {
      const w = sum[i * 4 + 3] as number;
      if (w > 0) cols[i] = (Math.round((sum[i * 4] as number) / w) << 16) | (Math.round((sum[i * 4 + 1] as number) / w) << 8) | Math.round((sum[i * 4 + 2] as number) / w);
    }
  }
}
