// Test helper: an independent terminal (@xterm/headless) that renderer bytes are fed into, read back per cell.

import xtermHeadless from '@xterm/headless';
import type { Frame } from '../../src/shared/frame.js';
import { ANSI16_RGB, XTERM256_RGB } from '../../src/render/palette.js';

const { Terminal } = xtermHeadless;
type Term = InstanceType<typeof Terminal>;

/** A headless xterm of a given size. */
export class Screen {
  readonly term: Term;
  readonly cols: number;
  readonly rows: number;

  constructor(cols: number, rows: number) {
    this.cols = cols;
    this.rows = rows;
    this.term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 100 });
  }

  // Feed bytes and wait until the terminal has parsed them.
  write(data: Uint8Array | string): Promise<void> {
    return new Promise((resolve) => this.term.write(data, resolve));
  }

  // Fill every cell with a marker character in default colours (to catch writes outside a pane).
  async fill(ch = 'x'): Promise<void> {
    let s = '\x1b[0m';
    for (let r = 0; r < this.rows; r++) s += `\x1b[${r + 1};1H` + ch.repeat(this.cols);
    await this.write(s + '\x1b[1;1H');
  }

  // Characters and colours of one cell (colours as 0xRRGGBB, -1 = default, palette indexes resolved to xterm RGB).
  cell(col: number, row: number): { ch: string; fg: number; bg: number } {
    const line = this.term.buffer.active.getLine(this.term.buffer.active.baseY + row);
    const c = line?.getCell(col);
    if (!c) return { ch: '', fg: -1, bg: -1 };
    const fg = c.isFgRGB() ? c.getFgColor() : c.isFgPalette() ? paletteRgb(c.getFgColor()) : -1;
    const bg = c.isBgRGB() ? c.getBgColor() : c.isBgPalette() ? paletteRgb(c.getBgColor()) : -1;
    return { ch: c.getChars(), fg, bg };
  }

  // The two half-block pixels a cell shows (top, bottom), or null when the glyph is not a half-block glyph.
  halfPixels(col: number, row: number): [number, number] | null {
    const { ch, fg, bg } = this.cell(col, row);
    switch (ch) {
      case '\u2580':
        return [fg, bg];
      case '\u2584':
        return [bg, fg];
      case '\u2588':
        return [fg, fg];
      case ' ':
      case '':
        return [bg, bg];
      default:
        return null;
    }
  }

  /** Scrolled-off lines (must stay 0: the renderers never scroll). */
  get baseY(): number {
    return this.term.buffer.active.baseY;
  }

  dispose(): void {
    this.term.dispose();
  }
}

// xterm's RGB of a palette index (the same table the renderers use).
function paletteRgb(i: number): number {
  return i < 16 ? (ANSI16_RGB[i] as number) : (XTERM256_RGB[i] as number);
}

// A deterministic BGR test frame: gradients, a moving square, and per-pixel noise (seeded).
export function testFrame(width: number, height: number, seq: number, noise = 6, seed = 1): Frame {
  const data = new Uint8Array(width * height * 3);
  let s = (seed * 2654435761 + seq * 97) >>> 0;
  const rnd = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const sq = Math.floor(width / 4);
  const sx = (seq * 7) % Math.max(1, width - sq);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inSq = x >= sx && x < sx + sq && y >= height / 3 && y < height / 3 + sq;
      let r = inSq ? 230 : Math.floor((x * 255) / width);
      let g = inSq ? 40 : Math.floor((y * 255) / height);
      let b = inSq ? 60 : 128;
      const n = (rnd() - 0.5) * 2 * noise;
      r = Math.max(0, Math.min(255, Math.round(r + n)));
      g = Math.max(0, Math.min(255, Math.round(g + n)));
      b = Math.max(0, Math.min(255, Math.round(b + n)));
      const p = (y * width + x) * 3;
      data[p] = b;
      data[p + 1] = g;
      data[p + 2] = r;
    }
  }
  return { data, width, height, captureTs: seq * 33, seq };
}

// Squared RGB distance of two 0xRRGGBB colours.
export function rgbDist2(a: number, b: number): number {
  const dr = ((a >> 16) & 255) - ((b >> 16) & 255);
  const dg = ((a >> 8) & 255) - ((b >> 8) & 255);
  const db = (a & 255) - (b & 255);
  return dr * dr + dg * dg + db * db;
}
