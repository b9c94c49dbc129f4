// What the cell renderers (half-blocks and sub-cell symbols) share: the pane's geometry and when it changed, the
// tuning read from their options, one write per frame in synchronized output, the cursor, and the SGR state.

import {
  DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX, RENDER_BUDGET_BYTES_PER_CELL, RENDER_DRIFT_ROWS_PER_FRAME,
  RENDER_DRIFT_TOLERANCE_RMS, RENDER_REUSE_TOLERANCE_RMS, RENDER_TOLERANCE_RMS,
} from '../shared/limits.js';
import { ByteWriter } from './byte-writer.js';
import { CursorTracker } from './cursor.js';
import { writeSgr } from './sgr.js';
import { BSU, ESU, SGR0, type BlockRendererOptions, type CellRect, type RenderOptions } from './types.js';

const EMPTY = Buffer.alloc(0);

/** The tuning of a cell renderer, from its options and the defaults in shared/limits.ts. */
export interface CellTuning {
  /** Cell size in pixels. */
  readonly cw: number;
  readonly ch: number;
  /** Tolerances, RMS per channel. */
  readonly tolerance: number;
  readonly reuse: number;
  readonly drift: number;
  readonly driftRows: number;
  readonly budgetPerCell: number;
}

// The tuning of a cell renderer's options.
export function cellTuning(o: BlockRendererOptions): CellTuning {
  return {
    cw: o.cellWidthPx && o.cellWidthPx > 0 ? o.cellWidthPx : DEFAULT_CELL_WIDTH_PX,
    ch: o.cellHeightPx && o.cellHeightPx > 0 ? o.cellHeightPx : DEFAULT_CELL_HEIGHT_PX,
    tolerance: o.tolerance ?? RENDER_TOLERANCE_RMS,
    reuse: o.reuseTolerance ?? RENDER_REUSE_TOLERANCE_RMS,
    drift: o.driftTolerance ?? RENDER_DRIFT_TOLERANCE_RMS,
    driftRows: Math.max(0, Math.floor(o.driftRowsPerFrame ?? RENDER_DRIFT_ROWS_PER_FRAME)),
    budgetPerCell: Math.max(0, o.budgetBytesPerCell ?? RENDER_BUDGET_BYTES_PER_CELL),
  };
}

/** The shared part of a cell renderer; subclasses keep what the terminal shows per cell and paint. */
export abstract class CellRenderer {
  protected readonly out = new ByteWriter();
  protected readonly cursor = new CursorTracker();
  protected rect: CellRect = { col: -1, row: -1, cols: 0, rows: 0 };
  // SGR state inside one write: current fg / bg code (-1 unknown) and whether a reset is still owed
  protected fg = -1;
  protected bg = -1;
  /** Whether the next SGR still owes the reset of a write (the rate-distortion choices price it). */
  protected resetOwed = true;
  private bandAt = 0;

  /** @param mode colour mode of the SGR codes (sgr.ts MODE_*). */
  constructor(protected readonly mode: number, protected readonly driftRows: number) {}

  /** Forget what the terminal shows. */
  abstract invalidate(): void;

  /** Make room for the per-cell state of a pane of n cells (its geometry changed). */
  protected abstract resize(n: number): void;

  // Take the pane of this frame: false when it is empty; forgets what is shown when it moved, resized or full is asked.
  protected place(rect: CellRect, opts?: RenderOptions): boolean {
    const cols = Math.max(0, Math.floor(rect.cols));
    const rows = Math.max(0, Math.floor(rect.rows));
    const col = Math.max(0, Math.floor(rect.col));
    const row = Math.max(0, Math.floor(rect.row));
    if (cols === 0 || rows === 0) return false;
    const r = this.rect;
    if (r.cols !== cols || r.rows !== rows || r.col !== col || r.row !== row) {
      const resized = r.cols * r.rows !== cols * rows;
      this.rect = { col, row, cols, rows };
      if (resized) this.resize(cols * rows);
      this.invalidate();
    } else if (opts?.full) {
      this.invalidate();
    }
    return true;
  }

  // The first row of this frame's drift-refresh band (and move the band on).
  protected nextBand(): number {
    const rows = this.rect.rows;
    const start = this.bandAt % rows; // rows may have changed since the band last moved
    this.bandAt = this.driftRows > 0 ? (start + this.driftRows) % rows : 0;
    return start;
  }

  // Start the write of a frame that paints up to n cells (worst-case bytes per cell); returns where painting starts.
  protected begin(cells: number, maxCellBytes: number): number {
    const w = this.out;
    w.reset();
    w.ensure(cells * maxCellBytes + 64);
    w.bytes(BSU);
    this.cursor.reset();
    this.fg = -1;
    this.bg = -1;
    this.resetOwed = true;
    return w.len;
  }

  // End the write: empty when nothing was painted since start, else the bytes with the SGR reset and ESU.
  protected end(start: number): Buffer {
    const w = this.out;
    if (w.len === start) return EMPTY;
    w.bytes(SGR0);
    w.bytes(ESU);
    return w.take();
  }

  // One combined SGR setting fg and/or bg (-1: leave), with the reset owed at the start of a write.
  protected sgr(fg: number, bg: number): void {
    writeSgr(this.out, this.mode, fg, bg, this.resetOwed);
    this.resetOwed = false;
    if (fg >= 0) this.fg = fg;
    if (bg >= 0) this.bg = bg;
  }
}

/** An empty write. */
export const NO_BYTES = EMPTY;
