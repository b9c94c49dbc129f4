// Which cells of a symbol renderer get the full glyph search this frame. Between two frames of a camera picture a
// cell's best glyph rarely changes though its colours do, so a cell refits the colours of the glyph its last search
// found, and is searched again when its picture changed under that glyph, when it must be repainted, or when its
// last search is REFIT_FRAMES frames old (staggered over the cells, so no frame searches them all). On the bundled
// clip this searches ~13 % of the cells a frame at the same fidelity (docs/rendering.md).

import type { RepaintPlan } from './rd-cost.js';
import type { SymbolFitter } from './symbol-fit.js';
import type { SymbolSet } from './symbol-set.js';
import { fitCell } from './symbols-indexed.js';

/** Frames a searched glyph is refitted at most before the cell is searched again. */
export const REFIT_FRAMES = 16;
/** A refit whose error exceeds the last search's by this factor, plus this much (squared error over a cell: 1 level
 *  RMS), means the picture changed under the glyph. */
const REFIT_SLACK = 1.2;
const REFIT_ABS = 64;

/** Per cell: the glyph its last search found, that search's error, and how many frames ago that was. */
export class GlyphReuse {
  private glyph = new Int16Array(0);
  private err = new Float32Array(0);
  private age = new Uint8Array(0);

  // Per-cell state for a pane of n cells (all searched first).
  resize(n: number): void {
    this.glyph = new Int16Array(n).fill(-1);
    this.err = new Float32Array(n);
    this.age = new Uint8Array(n);
  }

  // Fit cell ci (loaded in ft, shown now with error eShown) into out, in colour mode `mode`: refit the glyph its last
  // search found, unless that leaves more than tol to repaint or the picture changed under it; else the search.
  fit(ft: SymbolFitter, set: SymbolSet, mode: number, ci: number, eShown: number, tol: number, out: RepaintPlan): void {
    const g = this.reusable(ci);
    if (g >= 0) {
      fitCell(ft, set, mode, out, g);
      if (eShown - out.err <= tol && this.holds(ci, out.err)) return;
    }
    fitCell(ft, set, mode, out);
    // (the glyph the search found: in 256 and 16 colours what is drawn may be a blend or a space instead)
    this.searched(ci, ft.glyph, out.err);
  }

  // The glyph cell ci may refit this frame, or -1 when it is due for a search.
  private reusable(ci: number): number {
    const g = this.glyph[ci] as number;
    const age = this.age[ci] as number;
    if (g < 0 || age + 1 >= REFIT_FRAMES) return -1;
    this.age[ci] = age + 1;
    return g;
  }

  // Whether refitting the reused glyph, leaving err, is about as good as its search was.
  private holds(ci: number, err: number): boolean {
    return err <= REFIT_SLACK * (this.err[ci] as number) + REFIT_ABS;
  }

  // A search of cell ci found glyph g leaving err (a cell's first search starts its age staggered).
  private searched(ci: number, g: number, err: number): void {
    this.age[ci] = (this.glyph[ci] as number) < 0 ? ci % REFIT_FRAMES : 0;
    this.glyph[ci] = g;
    this.err[ci] = err;
  }
}
