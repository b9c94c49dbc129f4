// Sixel encoder: an adaptive palette fitted to the picture (default) or the fixed 6x7x6 one, both through cached
// lookup tables, optional ordered dither (fixed palette), RLE bands.

import { ByteWriter } from './byte-writer.js';
import { AdaptivePalette } from './sixel-palette.js';
import { SIXEL_ADAPTIVE_REGISTERS, SIXEL_SCENE_CHANGE_LEVELS } from '../shared/limits.js';

/** Palette of the sixel encoder: fitted to the picture (recomputed on scene changes) or the fixed 6x7x6 cube. */
export type SixelPaletteMode = 'adaptive' | 'fixed';
/** Most colour registers the encoder uses (xterm -ti vt340 has 256). */
const MAX_REGISTERS = 256;

/** Levels per channel of the fixed palette (R, G, B): 6 x 7 x 6 = 252 colour registers. */
export const SIXEL_LEVELS = [6, 7, 6] as const;
export const SIXEL_PALETTE_SIZE = SIXEL_LEVELS[0] * SIXEL_LEVELS[1] * SIXEL_LEVELS[2];

/** Dithering of the sixel encoder: none, or a 4x4 ordered (Bayer) one, stable over time. */
export type SixelDither = 'none' | 'ordered';

// Nearest-level table for one channel with n levels: value → level index.
function levelTable(n: number): Uint8Array {
  const t = new Uint8Array(256);
  for (let v = 0; v < 256; v++) t[v] = Math.round((v * (n - 1)) / 255);
  return t;
}

const LEVEL_R = levelTable(SIXEL_LEVELS[0]);
const LEVEL_G = levelTable(SIXEL_LEVELS[1]);
const LEVEL_B = levelTable(SIXEL_LEVELS[2]);
const MUL_R = SIXEL_LEVELS[1] * SIXEL_LEVELS[2];
const MUL_G = SIXEL_LEVELS[2];
/** 4x4 Bayer matrix, scaled to ±half a palette step at encode time. */
const BAYER4 = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

/** RGB (0..255) of each palette register, for tests and the screen model. */
export const SIXEL_PALETTE_RGB: Int32Array = (() => {
  const t = new Int32Array(SIXEL_PALETTE_SIZE);
  const [nr, ng, nb] = SIXEL_LEVELS;
  for (let i = 0; i < SIXEL_PALETTE_SIZE; i++) {
    const r = Math.round((Math.floor(i / MUL_R) * 255) / (nr - 1));
    const g = Math.round(((Math.floor(i / MUL_G) % ng) * 255) / (ng - 1));
    const b = Math.round(((i % nb) * 255) / (nb - 1));
    t[i] = (r << 16) | (g << 8) | b;
  }
  return t;
})();

/** The colour register definitions ("#i;2;r;g;b" in percent), precomputed once. */
const REGISTER_DEFS: Buffer[] = Array.from(SIXEL_PALETTE_RGB, (rgb, i) => {
  const pct = (v: number): number => Math.round((v * 100) / 255);
  return Buffer.from(`#${i};2;${pct(rgb >> 16)};${pct((rgb >> 8) & 255)};${pct(rgb & 255)}`, 'latin1');
});
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
  private minX = new Int32Array(MAX_REGISTERS);
  private maxX = new Int32Array(MAX_REGISTERS);
  private used = new Uint8Array(MAX_REGISTERS);
  private list = new Int32Array(MAX_REGISTERS);
  private width = 0;

  private readonly dither: SixelDither;
  /** The adaptive palette (null: the fixed one). */
  readonly palette: AdaptivePalette | null;
  private defs: Buffer[] = REGISTER_DEFS;

  constructor(dither: SixelDither = 'none', mode: SixelPaletteMode = 'adaptive', registers = SIXEL_ADAPTIVE_REGISTERS) {
    this.dither = dither;
    this.palette = mode === 'adaptive' ? new AdaptivePalette(Math.min(MAX_REGISTERS, registers), SIXEL_SCENE_CHANGE_LEVELS) : null;
    this.maxX.fill(-2);
  }

  // Append a complete sixel image (DCS … ST) of a width x height RGB grid to w.
  encode(rgb: Uint8Array, width: number, height: number, w: ByteWriter): void {
    const n = width * height;
    if (this.idx.length < n) this.idx = new Uint8Array(n);
    if (this.width !== width) {
      this.bits = new Uint8Array(MAX_REGISTERS * width);
      this.width = width;
    }
    const idx = this.idx;
    const used = this.used;
    used.fill(0);
    if (this.palette) {
      if (this.palette.update(rgb, width, height)) this.defs = registerDefs(this.palette.colours);
      const pal = this.palette;
      const lut = pal.lut;
      for (let i = 0, p = 0; i < n; i++, p += 3) {
        const r = rgb[p] as number, g = rgb[p + 1] as number, b = rgb[p + 2] as number;
        const hit = lut[((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)] as number;
        idx[i] = hit >= 0 ? hit : pal.index(r, g, b);
      }
    } else {
      this.quantize(rgb, width, height);
    }
    for (let i = 0; i < n; i++) used[idx[i] as number] = 1;
    // worst case: every pixel its own run + per band per colour selects
    w.ensure(64 + MAX_REGISTERS * 20 + n * 2 + Math.ceil(height / 6) * MAX_REGISTERS * 8);
    // DCS P1=0, P2=0 (opaque), P3=0; then raster attributes
    w.bytes(DCS_START);
    // raster attributes: pixel aspect 1:1, width, height
    w.byte(0x22);
    w.byte(0x31);
    w.byte(0x3b);
    w.byte(0x31);
    w.byte(0x3b);
    w.dec(width);
    w.byte(0x3b);
    w.dec(height);
    const defs = this.defs;
    for (let c = 0; c < defs.length; c++) if (used[c]) w.bytes(defs[c] as Buffer);
    for (let y = 0; y < height; y += 6) this.band(y, Math.min(6, height - y), width, y + 6 >= height, w);
    w.bytes(ST);
  }

  // Map every pixel to its palette register (optionally with ordered dither).
  private quantize(rgb: Uint8Array, width: number, height: number): void {
    const idx = this.idx;
    if (this.dither === 'none') {
      for (let i = 0, p = 0, n = width * height; i < n; i++, p += 3) {
        idx[i] = (LEVEL_R[rgb[p] as number] as number) * MUL_R + (LEVEL_G[rgb[p + 1] as number] as number) * MUL_G +
          (LEVEL_B[rgb[p + 2] as number] as number);
      }
      return;
    }
    const stepR = 255 / (SIXEL_LEVELS[0] - 1);
    const stepG = 255 / (SIXEL_LEVELS[1] - 1);
    const stepB = 255 / (SIXEL_LEVELS[2] - 1);
    for (let y = 0, i = 0, p = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++, p += 3) {
        const d = ((BAYER4[((y & 3) << 2) | (x & 3)] as number) + 0.5) / 16 - 0.5;
        const r = clamp((rgb[p] as number) + d * stepR);
        const g = clamp((rgb[p + 1] as number) + d * stepG);
        const b = clamp((rgb[p + 2] as number) + d * stepB);
        idx[i] = (LEVEL_R[r] as number) * MUL_R + (LEVEL_G[g] as number) * MUL_G + (LEVEL_B[b] as number);
      }
    }
  }

  // Encode one band of up to 6 rows starting at y0: per colour, its sixels from its first to its last column.
  private band(y0: number, rows: number, width: number, last: boolean, w: ByteWriter): void {
    const idx = this.idx;
    const bits = this.bits;
    const minX = this.minX;
    const maxX = this.maxX;
    const list = this.list;
    let count = 0;
    for (let r = 0; r < rows; r++) {
      const bit = 1 << r;
      const rowBase = (y0 + r) * width;
      for (let x = 0; x < width; x++) {
        const c = idx[rowBase + x] as number;
        const o = c * width + x;
        const prev = bits[o] as number;
        if (prev === 0) {
          // first pixel of this colour in this column of the band
          if (maxX[c] === -2) {
            list[count++] = c;
            minX[c] = x;
            maxX[c] = x;
          } else {
            if (x < (minX[c] as number)) minX[c] = x;
            if (x > (maxX[c] as number)) maxX[c] = x;
          }
        }
        bits[o] = prev | bit;
      }
    }
    for (let k = 0; k < count; k++) {
      const c = list[k] as number;
      const x0 = minX[c] as number;
      const x1 = maxX[c] as number;
      w.bytes(REGISTER_SELECT[c] as Buffer);
      if (x0 > 0) run(w, 0x3f, x0);
      const base = c * width;
      let ch = (bits[base + x0] as number) + 63;
      let len = 1;
      bits[base + x0] = 0;
      for (let x = x0 + 1; x <= x1; x++) {
        const v = (bits[base + x] as number) + 63;
        bits[base + x] = 0;
        if (v === ch) {
          len++;
        } else {
          run(w, ch, len);
          ch = v;
          len = 1;
        }
      }
      run(w, ch, len);
      maxX[c] = -2;
      // '$' returns to the band start for the next colour; '-' ends the band (not after the last one)
      if (k < count - 1) w.byte(0x24);
      else if (!last) w.byte(0x2d);
    }
  }
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

// Clamp and truncate to 0..255.
function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v | 0;
}

/** ESC P 0;0;0 q — DCS sixel introducer with P2=0 (opaque, no transparency). */
const DCS_START = Buffer.from('\x1bP0;0;0q', 'latin1');
/** ESC \ — string terminator. */
const ST = Buffer.from('\x1b\\', 'latin1');
