// The painting half of the symbol renderers: what the terminal shows per cell, and writing a glyph with its colours
// (reusing the current SGR where it is near, swapping fg and bg through the complement glyph).

import { CellRenderer } from './cell-renderer.js';
import { ANSI16_RGB, XTERM256_RGB, dist2 } from './palette.js';
import type { SymbolSet } from './symbol-set.js';

/** What a symbol renderer knows of the screen and how it writes a cell. */
export abstract class SymbolCells extends CellRenderer {
  // what the terminal shows per cell: glyph (-1 unknown), fg and bg as RGB
  protected shownG = new Int16Array(0);
  protected shownF = new Int32Array(0);
  protected shownB = new Int32Array(0);

  /** @param set the glyphs it draws with. */
  constructor(mode: number, driftRows: number, protected readonly set: SymbolSet) {
    super(mode, driftRows);
  }

  // Write glyph g (the space, or a glyph) in the current SGR state; note what is shown.
  protected put(g: number, ci: number): void {
    const w = this.out;
    if (g === this.set.space) w.byte(0x20);
    else w.bytes(this.set.utf8[g] as Buffer);
    this.shownG[ci] = g;
    this.shownF[ci] = this.rgb(this.fg);
    this.shownB[ci] = this.rgb(this.bg);
  }

  // Near enough to reuse? Truecolor: within reuseSq; indexed (reuseSq < 0): the same code.
  private near(cur: number, want: number, reuseSq: number): boolean {
    return cur >= 0 && (reuseSq < 0 ? cur === want : dist2(cur, want) <= reuseSq);
  }

  // Write glyph g with fg code fc over bg code bc, reusing the current SGR where it is near; note what is shown.
  protected emit(g: number, fc: number, bc: number, reuseSq: number, ci: number): void {
    const set = this.set;
    let outG = g;
    if (g === set.space || g === set.full) {
      const want = g === set.space ? bc : fc;
      // a space on the right background, never a full block over a stale one: fonts leave a seam at the cell's
      // edge that shows the background (rows of 1-px lines in xterm)
      if (!this.near(this.bg, want, reuseSq)) this.sgr(-1, want);
      outG = set.space;
    } else {
      const comp = set.complement[g] as number;
      const nfF = this.near(this.fg, fc, reuseSq), nbB = this.near(this.bg, bc, reuseSq);
      const swap = comp >= 0;
      const nfB = swap && this.near(this.fg, bc, reuseSq), nbF = swap && this.near(this.bg, fc, reuseSq);
      if (nfF && nbB) outG = g;
      else if (nfB && nbF) outG = comp;
      else if (nfF) this.sgr(-1, bc);
      else if (nbB) this.sgr(fc, -1);
      else if (nfB) {
        this.sgr(-1, fc);
        outG = comp;
      } else if (nbF) {
        this.sgr(bc, -1);
        outG = comp;
      } else this.sgr(fc, bc);
    }
    const w = this.out;
    if (outG === set.space) w.byte(0x20);
    else w.bytes(set.utf8[outG] as Buffer);
    this.shownG[ci] = outG;
    this.shownF[ci] = this.rgb(this.fg);
    this.shownB[ci] = this.rgb(this.bg);
  }

  // RGB of a colour code in the current mode.
  protected rgb(code: number): number {
    if (code < 0) return 0;
    return this.mode === 0 ? code : this.mode === 1 ? (XTERM256_RGB[code] as number) : (ANSI16_RGB[code] as number);
  }
}
