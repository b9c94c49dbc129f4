// The painting half of the half-block renderers: one cell of two pixels written as ▀ / ▄ / space with the fewest SGR
// changes, reusing the current colours where they are near.

import { CellRenderer } from './cell-renderer.js';
import { dist2 } from './palette.js';
import { avg } from './blocks-rd.js';

// UTF-8 of the glyphs: ▀ upper half, ▄ lower half.
export const UPPER = Buffer.from('\u2580', 'utf8');
export const LOWER = Buffer.from('\u2584', 'utf8');

/** Writing half-block cells in the SGR state of one write. */
export abstract class HalfBlockCells extends CellRenderer {
  /** Glyph written by the last paintCell: UPPER, LOWER, or null for a space. */
  protected lastGlyph: Buffer | null = null;

  // Paint one cell showing codes q0 (top) / q1 (bottom) of colours t0 / t1; reuseSq < 0 means exact codes only.
  protected paintCell(reuseSq: number, t0: number, t1: number, q0: number, q1: number): void {
    const fg = this.fg;
    const bg = this.bg;
    // near(cur, q, t): may the current colour cur stand for the wanted code q (colour t)?
    const nearF0 = fg >= 0 && (reuseSq < 0 ? fg === q0 : dist2(fg, t0) <= reuseSq);
    const nearF1 = fg >= 0 && (reuseSq < 0 ? fg === q1 : dist2(fg, t1) <= reuseSq);
    const nearB0 = bg >= 0 && (reuseSq < 0 ? bg === q0 : dist2(bg, t0) <= reuseSq);
    const nearB1 = bg >= 0 && (reuseSq < 0 ? bg === q1 : dist2(bg, t1) <= reuseSq);
    const uniform = reuseSq < 0 ? q0 === q1 : dist2(t0, t1) <= reuseSq;
    if (uniform) {
      if (nearB0 && nearB1) return this.glyph(null);
      // never a full block over a stale background: fonts leave a seam at the cell's edge that shows it (1-px lines)
      this.sgr(-1, reuseSq > 0 ? avg(t0, t1) : q0);
      return this.glyph(null);
    }
    if (nearF0 && nearB1) return this.glyph(UPPER);
    if (nearB0 && nearF1) return this.glyph(LOWER);
    if (nearF0) {
      this.sgr(-1, q1);
      return this.glyph(UPPER);
    }
    if (nearF1) {
      this.sgr(-1, q0);
      return this.glyph(LOWER);
    }
    if (nearB1) {
      this.sgr(q0, -1);
      return this.glyph(UPPER);
    }
    if (nearB0) {
      this.sgr(q1, -1);
      return this.glyph(LOWER);
    }
    this.sgr(q0, q1);
    return this.glyph(UPPER);
  }

  // Write a glyph (null: a space).
  protected glyph(g: Buffer | null): void {
    this.lastGlyph = g;
    if (g === null) this.out.byte(0x20);
    else this.out.bytes(g);
  }
}

// The 0xRRGGBB of pixel p of an RGB grid.
export function px(data: Uint8Array, p: number): number {
  const d = p * 3;
  return ((data[d] as number) << 16) | ((data[d + 1] as number) << 8) | (data[d + 2] as number);
}
