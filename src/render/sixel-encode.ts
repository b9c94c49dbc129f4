// Sixel encoder: an adaptive palette fitted to the picture (default, sixel-palette.ts) or the fixed 6x7x6 one
// (sixel-fixed.ts), within a byte budget; bands run-length coded at the cost of their pixels.

import { ByteWriter } from './byte-writer.js';
import { AdaptivePalette, type SixelPixels } from './sixel-palette.js';
import { FIXED_REGISTER_DEFS, quantizeFixed, type SixelDither } from './sixel-fixed.js';
import {
  SIXEL_ADAPTIVE_REGISTERS, SIXEL_FIT_BUDGET_SHARE, SIXEL_MAX_BYTES_PER_KPX, SIXEL_MIN_BUDGET_BYTES, SIXEL_MAX_REGISTERS, SIXEL_MAX_TOLERANCE,
  SIXEL_MIN_TOLERANCE, SIXEL_RETRY_OVER_BUDGET, SIXEL_SCENE_CHANGE_LEVELS, SIXEL_STICKY_TOLERANCE,
} from '../shared/limits.js';

export { SIXEL_LEVELS, SIXEL_PALETTE_RGB, SIXEL_PALETTE_SIZE, type SixelDither } from './sixel-fixed.js';

/** Palette of the sixel encoder: fitted to the picture (recomputed on scene changes) or the fixed 6x7x6 cube. */
export type SixelPaletteMode = 'adaptive' | 'fixed';
/** Most colour registers the encoder uses (register numbers fit one byte of the index). */
const MAX_REGISTERS = SIXEL_MAX_REGISTERS;

const REGISTER_SELECT: Buffer[] = Array.from({ length: MAX_REGISTERS }, (_, i) => Buffer.from(`#${i}`, 'latin1'));

// The register definitions ("#i;2;r;g;b" in percent) of a palette.
function registerDefs(colours: Int32Array): Buffer[] {
  const pct = (v: number): number => Math.round((v * 100) / 255);
  return Array.from(colours, (rgb, i) => Buffer.from(`#${i};2;${pct(rgb >> 16)};${pct((rgb >> 8) & 255)};${pct(rgb & 255)}`, 'latin1'));
}

/** Encodes RGB pixel grids to sixel with buffers reused between frames. */
export class SixelEncoder {
  private idx = new Uint8Array(0);
  private bits = new Uint8Array(0); // per colour x column: sixel bits of the current band
  private cols = new Uint16Array(0); // per colour: the columns where it has bits in the current band, in order
  private count = new Int32Array(MAX_REGISTERS); // per colour: how many columns it has in the current band
  private used = new Uint8Array(MAX_REGISTERS);
  private bandColour = new Int16Array(0); // per band x column: its one colour, or -1 (then idx holds its pixels)
  private readonly body = new ByteWriter(128 * 1024); // the bands of the image being encoded
  private list = new Int32Array(MAX_REGISTERS);
  private width = 0;

  private readonly dither: SixelDither;
  /** Weighted squared colour distance within which a pixel keeps its neighbour's register (adaptive palette). */
  private tolerance: number;
  private readonly baseTolerance: number;
  /** Largest image body in bytes (0: SIXEL_MAX_BYTES_PER_KPX of the image's pixels). */
  private readonly budgetBytes: number;
  /** Scenes fitted so far. */
  sceneFits = 0;
  /** The adaptive palette (null: the fixed one). */
  readonly palette: AdaptivePalette | null;
  private defs: Buffer[] = FIXED_REGISTER_DEFS;

  constructor(
    dither: SixelDither = 'none', mode: SixelPaletteMode = 'adaptive', registers: number = SIXEL_ADAPTIVE_REGISTERS,
    opts: { tolerance?: number; budgetBytes?: number } = {},
  ) {
    this.dither = dither;
    this.baseTolerance = this.tolerance = Math.max(0, opts.tolerance ?? SIXEL_STICKY_TOLERANCE);
    this.budgetBytes = Math.max(0, opts.budgetBytes ?? 0);
    const size = Math.max(2, Math.min(MAX_REGISTERS, Math.floor(registers) || SIXEL_ADAPTIVE_REGISTERS));
    this.palette = mode === 'adaptive' ? new AdaptivePalette(size, SIXEL_SCENE_CHANGE_LEVELS) : null;
  }

  // Append a complete sixel image (DCS … ST) of a width x height RGB grid to w.
  encode(rgb: Uint8Array, width: number, height: number, w: ByteWriter): void {
    this.encodePicture({ data: rgb, width, height, bgr: false }, width, height, 0, 0, w);
  }

  // Append a sixel image of a gridW x gridH grid holding the picture px at (x0, y0) and black around it.
  encodePicture(px: SixelPixels, gridW: number, gridH: number, x0: number, y0: number, w: ByteWriter): void {
    const n = gridW * gridH;
    if (this.idx.length < n) this.idx = new Uint8Array(n);
    if (this.width !== gridW) {
      this.bits = new Uint8Array(MAX_REGISTERS * gridW);
      this.cols = new Uint16Array(MAX_REGISTERS * gridW);
      this.width = gridW;
    }
    const boxed = px.width !== gridW || px.height !== gridH;
    if (this.palette) {
      this.adaptive(this.palette, px, gridW, gridH, x0, y0, boxed);
    } else {
      if (boxed) this.idx.fill(0, 0, n); // register 0 of the fixed cube is black
      quantizeFixed(px, this.idx, gridW, x0, y0, this.dither);
      const bands = Math.ceil(gridH / 6) * gridW;
      if (this.bandColour.length < bands) this.bandColour = new Int16Array(bands);
      this.bandColour.fill(-1, 0, bands);
      this.bands(gridW, gridH);
    }
    const body = this.body;
    const defs = this.defs;
    const used = this.used;
    w.ensure(64 + MAX_REGISTERS * 20 + body.len);
    // DCS P1=0, P2=0 (opaque), P3=0; then raster attributes: pixel aspect 1:1, width, height
    w.bytes(DCS_START);
    w.byte(0x22);
    w.byte(0x31);
    w.byte(0x3b);
    w.byte(0x31);
    w.byte(0x3b);
    w.dec(gridW);
    w.byte(0x3b);
    w.dec(gridH);
    for (let c = 0; c < defs.length; c++) if (used[c]) w.bytes(defs[c] as Buffer);
    w.buf.set(body.buf.subarray(0, body.len), w.len);
    w.len += body.len;
    w.bytes(ST);
  }

  // Map and band-encode with the adaptive palette. On a new scene the palette is fitted with the most registers
  // (of the terminal's) whose image fits the byte budget; within a scene the palette stays (no flicker) and only the
  // tolerance of the mapping follows the budget.
  private adaptive(pal: AdaptivePalette, px: SixelPixels, gridW: number, gridH: number, x0: number, y0: number, boxed: boolean): void {
    const budget = this.budgetBytes > 0 ? this.budgetBytes : sixelBudgetBytes(gridW, gridH);
    const black = gridW * gridH - px.width * px.height;
    if (pal.sceneChanged(px)) {
      pal.count(px, black);
      this.tolerance = this.baseTolerance;
      const sizes = paletteSizes(pal.size);
      // the trials encode every 3rd band of a tall image (an estimate, a third of the work)
      const step = gridH >= 180 ? 3 : 1;
      for (let i = 0; i < sizes.length; i++) {
        pal.fit(sizes[i] as number);
        this.mapAdaptive(pal, px, gridW, gridH, x0, y0, boxed, step);
        const estimate = this.body.len * step;
        // leave room for motion: the scene's later frames may cost more than its first
        if (estimate <= budget * SIXEL_FIT_BUDGET_SHARE || i === sizes.length - 1) break;
        // far over: skip a size
        if (estimate > 2 * budget && i < sizes.length - 2) i++;
      }
      if (step > 1) this.mapAdaptive(pal, px, gridW, gridH, x0, y0, boxed);
      this.defs = registerDefs(pal.colours);
      this.sceneFits++;
      return;
    }
    this.mapAdaptive(pal, px, gridW, gridH, x0, y0, boxed);
    // far over the budget (a burst of noise, a keyframe of the sender's codec): this frame again, more tolerant
    for (let retry = 0; retry < 2 && this.body.len > SIXEL_RETRY_OVER_BUDGET * budget && this.tolerance < SIXEL_MAX_TOLERANCE; retry++) {
      this.tolerance = Math.min(SIXEL_MAX_TOLERANCE, Math.max(this.tolerance, this.baseTolerance) * 3);
      this.mapAdaptive(pal, px, gridW, gridH, x0, y0, boxed);
    }
    // the next frame's tolerance: up while over the budget, back down when well under it
    const len = this.body.len;
    if (len > budget) this.tolerance = Math.min(SIXEL_MAX_TOLERANCE, Math.round(this.tolerance * 1.5 + 50));
    else if (len < budget * 0.6 && this.tolerance > SIXEL_MIN_TOLERANCE) this.tolerance = Math.max(SIXEL_MIN_TOLERANCE, Math.round(this.tolerance / 1.3));
  }

  // Map the picture through the adaptive palette (black bars around it) and encode the bands into the body.
  // step > 1: only every step-th band (an estimate of the bytes).
  private mapAdaptive(pal: AdaptivePalette, px: SixelPixels, gridW: number, gridH: number, x0: number, y0: number, boxed: boolean, step = 1): void {
    if (boxed) this.idx.fill(pal.index(0, 0, 0), 0, gridW * gridH);
    const bands = Math.ceil(gridH / 6) * gridW;
    if (this.bandColour.length < bands) this.bandColour = new Int16Array(bands);
    this.bandColour.fill(-1, 0, bands);
    if (this.tolerance <= 0) {
      pal.map(px, this.idx, gridW, x0, y0, 0);
      this.bands(gridW, gridH, step);
      return;
    }
    // band by band, each mapped and encoded while its pixels are in the cache
    this.bands(gridW, gridH, step, (y) => pal.map(px, this.idx, gridW, x0, y0, this.tolerance, this.bandColour, gridH, 1, y, y + 6));
  }

  // Encode all bands (or every step-th) of the mapped grid into the body, noting the registers used.
  // before(y), when given, maps band y first.
  private bands(gridW: number, gridH: number, step = 1, before?: (y: number) => void): void {
    const body = this.body;
    body.reset();
    body.ensure(16 + gridW * gridH * 2 + Math.ceil(gridH / 6) * MAX_REGISTERS * 8);
    this.used.fill(0);
    for (let y = 0; y < gridH; y += 6 * step) {
      if (before) before(y);
      this.band(y, Math.min(6, gridH - y), gridW, y + 6 >= gridH, body);
    }
  }

  // Encode one band of up to 6 rows starting at y0. Column by column, each colour collects its sixel bits and the
  // list of columns where it has any; then each colour is written from that list (gaps as runs of "?"), so the cost
  // is the band's pixels, not colours x width.
  private band(y0: number, rows: number, width: number, last: boolean, w: ByteWriter): void {
    const idx = this.idx;
    const bits = this.bits;
    const cols = this.cols;
    const count = this.count;
    const list = this.list;
    let colours = 0;
    const base0 = y0 * width;
    const w5 = 5 * width;
    const bandColour = this.bandColour;
    const bc = (y0 / 6) * width;
    const full = (1 << rows) - 1;
    for (let x = 0; x < width; x++) {
      let p = base0 + x;
      const one = bandColour[bc + x] as number;
      if (one >= 0) {
        // the mapping found the column in one colour
        const k = count[one] as number;
        if (k === 0) list[colours++] = one;
        cols[one * width + k] = x;
        count[one] = k + 1;
        bits[one * width + x] = full;
        continue;
      }
      if (rows === 6) {
        // fast path: the whole column of the band in one colour (most of a picture)
        const c = idx[p] as number;
        if (idx[p + width] === c && idx[p + 2 * width] === c && idx[p + 3 * width] === c && idx[p + 4 * width] === c && idx[p + w5] === c) {
          const k = count[c] as number;
          if (k === 0) list[colours++] = c;
          cols[c * width + k] = x;
          count[c] = k + 1;
          bits[c * width + x] = 63;
          continue;
        }
      }
      for (let r = 0; r < rows; r++, p += width) {
        const c = idx[p] as number;
        const o = c * width + x;
        const prev = bits[o] as number;
        if (prev === 0) {
          // first pixel of this colour in this column of the band
          const k = count[c] as number;
          if (k === 0) list[colours++] = c;
          cols[c * width + k] = x;
          count[c] = k + 1;
        }
        bits[o] = prev | (1 << r);
      }
    }
    const buf = w.buf;
    const used = this.used;
    for (let j = 0; j < colours; j++) {
      const c = list[j] as number;
      used[c] = 1;
      const k = count[c] as number;
      const sel = REGISTER_SELECT[c] as Buffer;
      buf.set(sel, w.len);
      w.len += sel.length;
      const base = c * width;
      let ch = -1;
      let len = 0;
      let next = 0; // the column after the last one written
      for (let i = 0; i < k; i++) {
        const x = cols[base + i] as number;
        if (x > next) {
          if (len > 0) run(w, ch, len);
          ch = 0x3f; // "?": no pixels of this colour in the gap
          len = x - next;
        }
        const o = base + x;
        const v = (bits[o] as number) + 63;
        bits[o] = 0;
        if (v === ch) {
          len++;
        } else {
          if (len > 0) run(w, ch, len);
          ch = v;
          len = 1;
        }
        next = x + 1;
      }
      run(w, ch, len);
      count[c] = 0;
      // '$' returns to the band start for the next colour; '-' ends the band (not after the last one)
      if (j < colours - 1) w.byte(0x24);
      else if (!last) w.byte(0x2d);
    }
  }
}

// The byte budget of a width x height sixel image: SIXEL_MAX_BYTES_PER_KPX of its pixels, at least
// SIXEL_MIN_BUDGET_BYTES (a small pane would otherwise starve: its register definitions alone take hundreds of bytes).
export function sixelBudgetBytes(width: number, height: number): number {
  return Math.max(SIXEL_MIN_BUDGET_BYTES, Math.round((width * height * SIXEL_MAX_BYTES_PER_KPX) / 1000));
}

// The palette sizes tried on a new scene, largest first: the terminal's registers (≤ 256) down to 16 (or fewer when
// the terminal has fewer).
export function paletteSizes(registers: number): number[] {
  const cap = Math.max(2, Math.min(MAX_REGISTERS, Math.floor(registers)));
  const steps = [256, 192, 128, 96, 64, 48, 32, 24, 16].filter((k) => k < cap);
  return [cap, ...steps];
}

// Append len copies of sixel character ch, run-length coded ("!n" + ch) when shorter.
function run(w: ByteWriter, ch: number, len: number): void {
  if (len > 3) {
    w.byte(0x21);
    w.dec(len);
    w.byte(ch);
  } else {
    for (let i = 0; i < len; i++) w.byte(ch);
  }
}

/** ESC P 0;0;0 q — DCS sixel introducer with P2=0 (opaque, no transparency). */
const DCS_START = Buffer.from('\x1bP0;0;0q', 'latin1');
/** ESC \ — string terminator. */
const ST = Buffer.from('\x1b\\', 'latin1');
