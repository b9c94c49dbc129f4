// Cursor placement for the block renderers: CUP or CUF, whichever is shorter, skipping moves already done.

import { ByteWriter, decLength } from './byte-writer.js';

/** Tracks the cursor within one output write (0-based screen cells; -1 = unknown). */
export class CursorTracker {
  row = -1;
  col = -1;

  // Forget the position (start of a write: the TUI may have moved the cursor).
  reset(): void {
    this.row = -1;
    this.col = -1;
  }

  // Emit the shortest move to (row, col) and note that one cell will be written there.
  moveTo(w: ByteWriter, row: number, col: number): void {
    if (row === this.row) {
      if (col === this.col) {
        this.col++;
        return;
      }
      if (col > this.col) {
        const gap = col - this.col;
        const cufLen = gap === 1 ? 3 : 3 + decLength(gap);
        const cupLen = 4 + decLength(row + 1) + decLength(col + 1);
        if (cufLen <= cupLen) {
          // CUF: ESC [ n C
          w.csi();
          if (gap !== 1) w.dec(gap);
          w.byte(0x43);
          this.col = col + 1;
          return;
        }
      }
    }
    w.cup(row, col);
    this.row = row;
    this.col = col + 1;
  }
}
