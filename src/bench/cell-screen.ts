// The fidelity bench's model of a cell terminal: parses the bytes renderers (and chafa) emit into per-cell glyph +
// colours, and rasterizes the cells with each glyph's coverage mask at the cell pixel size (what a viewer sees).

import { glyphCoverage } from '../render/glyph-masks.js';
import { ASCII_RAMP } from '../render/ascii.js';
import { ANSI16_RGB, XTERM256_RGB } from '../render/palette.js';

/** An RGB picture, 3 bytes per pixel, row-major. */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Colours of the default foreground and background the viewer model assumes (a dark terminal). */
export const DEFAULT_FG = 0xe5e5e5;
export const DEFAULT_BG = 0x000000;

/** A cols x rows cell screen fed with terminal bytes (CUP, CUF, CR, LF, SGR colours and inverse, UTF-8 text). */
export class CellScreen {
  /** Per cell: code point, fg and bg (0xRRGGBB, -1 = default). */
  readonly ch: Int32Array;
  readonly fg: Int32Array;
  readonly bg: Int32Array;
  private row = 0;
  private col = 0;
  private readonly pen: SgrPen = { fg: -1, bg: -1, inverse: false };
  private pending: number[] = [];

  constructor(readonly cols: number, readonly rows: number) {
    this.ch = new Int32Array(cols * rows).fill(0x20);
    this.fg = new Int32Array(cols * rows).fill(-1);
    this.bg = new Int32Array(cols * rows).fill(-1);
  }

  // Feed bytes (any chunking of UTF-8 and escape sequences up to a complete write is fine).
  write(bytes: Uint8Array): void {
    const b = this.pending.length > 0 ? Buffer.concat([Buffer.from(this.pending), bytes]) : bytes;
    this.pending = [];
    let i = 0;
    while (i < b.length) {
      const c = b[i] as number;
      if (c === 0x1b) {
        const j = this.escape(b, i);
        if (j < 0) {
          this.pending = Array.from(b.subarray(i));
          return;
        }
        i = j;
      } else if (c >= 0x80) {
        const n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        if (i + n > b.length) {
          this.pending = Array.from(b.subarray(i));
          return;
        }
        this.put(n === 1 ? 0xfffd : Buffer.from(b.subarray(i, i + n)).toString('utf8').codePointAt(0) ?? 0xfffd);
        i += n;
      } else {
        if (c === 0x0a) {
          this.row = Math.min(this.rows - 1, this.row + 1);
          this.col = 0; // a tty's onlcr: LF arrives as CR LF
        } else if (c === 0x0d) this.col = 0;
        else if (c === 0x08) this.col = Math.max(0, this.col - 1);
        else if (c >= 0x20) this.put(c);
        i++;
      }
    }
  }

  // Parse one escape sequence at i; returns the index after it, or -1 if it is incomplete.
  private escape(b: Uint8Array, i: number): number {
    const k = b[i + 1];
    if (k === undefined) return -1;
    if (k === 0x5b) {
      let j = i + 2;
      while (j < b.length && ((b[j] as number) < 0x40 || (b[j] as number) > 0x7e)) j++;
      if (j >= b.length) return -1;
      this.csi(Buffer.from(b.subarray(i + 2, j)).toString('latin1'), b[j] as number);
      return j + 1;
    }
    if (k === 0x50 || k === 0x5d || k === 0x5f) {
      // DCS / OSC / APC: skip to ST (ESC \) or BEL
      for (let j = i + 2; j < b.length; j++) {
        if (b[j] === 0x07) return j + 1;
        if (b[j] === 0x1b && b[j + 1] === 0x5c) return j + 2;
      }
      return -1;
    }
    return i + 2;
  }

  // Apply one CSI sequence.
  private csi(p: string, final: number): void {
    if (p.startsWith('?') || p.startsWith('>')) return;
    const a = p === '' ? [] : p.split(/[;:]/).map((x) => (x === '' ? 0 : Number(x)));
    if (final === 0x48 || final === 0x66) {
      this.row = Math.min(this.rows - 1, Math.max(1, a[0] ?? 1) - 1);
      this.col = Math.max(1, a[1] ?? 1) - 1;
    } else if (final === 0x43) this.col += Math.max(1, a[0] ?? 1);
    else if (final === 0x44) this.col = Math.max(0, this.col - Math.max(1, a[0] ?? 1));
    else if (final === 0x41) this.row = Math.max(0, this.row - Math.max(1, a[0] ?? 1));
    else if (final === 0x42) this.row = Math.min(this.rows - 1, this.row + Math.max(1, a[0] ?? 1));
    else if (final === 0x47) this.col = Math.max(1, a[0] ?? 1) - 1;
    else if (final === 0x6d) this.sgr(a.length === 0 ? [0] : a);
  }

  // SGR: colours and inverse onto the pen.
  private sgr(a: number[]): void {
    applySgr(a, this.pen);
  }

  // Write one character at the cursor and advance (no wrap past the last column).
  private put(cp: number): void {
    if (this.row < this.rows && this.col < this.cols) {
      const i = this.row * this.cols + this.col;
      this.ch[i] = cp;
      const fg = this.pen.fg < 0 ? DEFAULT_FG : this.pen.fg;
      const bg = this.pen.bg < 0 ? DEFAULT_BG : this.pen.bg;
      this.fg[i] = this.pen.inverse ? bg : fg;
      this.bg[i] = this.pen.inverse ? fg : bg;
    }
    this.col++;
  }
}

/** Ink fraction of the ASCII renderer's ramp glyphs (its intended grey), for glyphs with no geometric mask. */
const ASCII_INK = new Map([...ASCII_RAMP].map((c, i) => [c.codePointAt(0) ?? 0, (i + 0.5) / ASCII_RAMP.length]));
/** Ink fraction assumed for any other glyph of unknown shape (a letter covers about a quarter of its cell). */
const UNKNOWN_INK = 0.25;

/** Counts from a rasterization: how many cells had a glyph of unknown shape (drawn as a uniform blend). */
export interface RasterStats {
  unknownGlyphCells: number;
}

// Rasterize a cell screen at cw x ch pixels per cell into an RGB image (cols*cw x rows*ch).
export function rasterizeCells(s: CellScreen, cw: number, ch: number, stats?: RasterStats): RgbImage {
  const W = s.cols * cw;
  const H = s.rows * ch;
  const out = new Uint8Array(W * H * 3);
  for (let r = 0; r < s.rows; r++) {
    for (let c = 0; c < s.cols; c++) {
      const i = r * s.cols + c;
      const cp = s.ch[i] as number;
      const fg = s.fg[i] as number;
      const bg = s.bg[i] as number;
      const f = fg < 0 ? DEFAULT_FG : fg;
      const g = bg < 0 ? DEFAULT_BG : bg;
      const mask = glyphCoverage(cp, cw, ch);
      const uniform = mask ? -1 : ASCII_INK.get(cp) ?? UNKNOWN_INK;
      if (!mask && stats && !ASCII_INK.has(cp)) stats.unknownGlyphCells++;
      const fr = f >> 16, fgc = (f >> 8) & 255, fb = f & 255;
      const br = g >> 16, bgc = (g >> 8) & 255, bb = g & 255;
      for (let y = 0; y < ch; y++) {
        let o = ((r * ch + y) * W + c * cw) * 3;
        for (let x = 0; x < cw; x++, o += 3) {
          const k = mask ? (mask[y * cw + x] as number) : uniform;
          out[o] = br + (fr - br) * k + 0.5;
          out[o + 1] = bgc + (fgc - bgc) * k + 0.5;
          out[o + 2] = bb + (fb - bb) * k + 0.5;
        }
      }
    }
  }
  return { data: out, width: W, height: H };
}

/** The SGR state that colours written text: RGB colours (-1: the terminal's default) and inverse video. */
export interface SgrPen {
  fg: number;
  bg: number;
  inverse: boolean;
}

/** Apply one SGR's parameters (0, 7/27, 30–37/90–97, 40–47/100–107, 38/48;5;n and 38/48;2;r;g;b, 39/49) to a pen. */
export function applySgr(a: readonly number[], pen: SgrPen): void {
  for (let k = 0; k < a.length; k++) {
    const v = a[k] as number;
    if (v === 0) {
      pen.fg = pen.bg = -1;
      pen.inverse = false;
    } else if (v === 7) pen.inverse = true;
    else if (v === 27) pen.inverse = false;
    else if (v === 38 || v === 48) {
      let colour = -1;
      if (a[k + 1] === 2) {
        colour = ((a[k + 2] ?? 0) << 16) | ((a[k + 3] ?? 0) << 8) | (a[k + 4] ?? 0);
        k += 4;
      } else if (a[k + 1] === 5) {
        colour = XTERM256_RGB[a[k + 2] ?? 0] ?? 0;
        k += 2;
      }
      if (v === 38) pen.fg = colour;
      else pen.bg = colour;
    } else if (v >= 30 && v <= 37) pen.fg = ANSI16_RGB[v - 30] ?? 0;
    else if (v >= 40 && v <= 47) pen.bg = ANSI16_RGB[v - 40] ?? 0;
    else if (v >= 90 && v <= 97) pen.fg = ANSI16_RGB[v - 82] ?? 0;
    else if (v >= 100 && v <= 107) pen.bg = ANSI16_RGB[v - 92] ?? 0;
    else if (v === 39) pen.fg = -1;
    else if (v === 49) pen.bg = -1;
  }
}
