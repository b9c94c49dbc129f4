// Half-block renderers (truecolor, 256, 16 colours) with damage tracking against what the terminal shows.

import type { Frame } from '../shared/frame.js';
import { RENDER_PALETTE_TOLERANCE } from '../shared/limits.js';
import { budgetThreshold } from './damage-budget.js';
import { NO_BYTES, cellTuning } from './cell-renderer.js';
import { LOWER, UPPER } from './blocks-cells.js';
import { HalfBlockRdCells, MAX_CELL_BYTES } from './blocks-paint-rd.js';
import { MODE_16, MODE_256, MODE_TC } from './sgr.js';
import { ANSI16_RGB, XTERM256_RGB, dist2, nearest16, nearest256 } from './palette.js';
import { FrameScaler } from './scale.js';
import { renderAsciiCells } from './ascii.js';
import type { BlockKind, BlockRendererOptions, CellRect, FrameRenderer, RenderOptions, ShownModel } from './types.js';


/** A block renderer plus read access to its model of the screen (used by the benchmark and tests). */
export interface BlockRenderer extends FrameRenderer {
  readonly kind: BlockKind;
  /** What the renderer believes the terminal shows after the last render, and the exact rendering. */
  model(): ShownModel;
}

// Create a block renderer of the given kind.
export function createBlockRenderer(kind: BlockKind, opts: BlockRendererOptions = {}): BlockRenderer {
  return new HalfBlockRenderer(kind, opts);
}

/** Shared state and the colour paint loop of all block renderers. */
class HalfBlockRenderer extends HalfBlockRdCells implements BlockRenderer {
  readonly kind: BlockKind;
  private readonly scaler = new FrameScaler();
  private readonly pixelAspect: number;
  protected readonly tolSq: number;
  protected readonly reuseSq: number;
  protected readonly driftSq: number;
  private readonly palTol: number;
  // rate-distortion budget: per cell the gain of a repaint left undone, the threshold the next frame buys at, bytes
  // per repainted cell learnt from the last frames
  private gains = new Float32Array(0);
  private marks = new Uint8Array(0);
  private buyAt = 0;
  private buyLeft = 0;
  private cellCost = 16;
  protected readonly budgetPerCell: number;
  private readonly floorSq: number;

  constructor(kind: BlockKind, o: BlockRendererOptions) {
    const t = cellTuning(o);
    super(kind === 'truecolor' ? MODE_TC : kind === '256' ? MODE_256 : kind === '16' ? MODE_16 : -1, t.driftRows);
    this.kind = kind;
    this.pixelAspect = (2 * t.cw) / t.ch; // a half-block pixel is cellW x cellH/2
    const sq = (rms: number): number => 3 * rms * rms;
    this.tolSq = sq(t.tolerance);
    this.reuseSq = sq(t.reuse);
    this.driftSq = sq(t.drift);
    this.palTol = o.paletteTolerance ?? RENDER_PALETTE_TOLERANCE;
    // the budget buys exact colours; in 256 and 16 colours the palette tolerance decides (a budget there doubled
    // the 256-colour bytes for 0.1 dB)
    this.budgetPerCell = kind === 'truecolor' ? t.budgetPerCell : 0;
    // what SGR reuse may leave behind is not worth a repaint from the budget (else a still picture never settles)
    this.floorSq = Math.max(1, 2 * this.reuseSq);
  }

  // Forget what the terminal shows.
  invalidate(): void {
    this.shownCode.fill(-1);
    this.shownRgb.fill(-1);
  }

  // Per-pixel state for a pane of n cells (two pixels each).
  protected resize(n: number): void {
    this.shownCode = new Int32Array(2 * n);
    this.shownRgb = new Int32Array(2 * n);
    this.exact = new Int32Array(2 * n);
  }

  // The renderer's view of the screen (arrays are live; copy to keep).
  model(): ShownModel {
    return { width: this.rect.cols, height: this.rect.rows * 2, shown: this.shownRgb, exact: this.exact };
  }

  // Render one frame into the pane; returns the bytes of one write (empty if nothing changed).
  render(frame: Frame, rect: CellRect, opts?: RenderOptions): Buffer {
    if (!this.place(rect, opts)) return NO_BYTES;
    const { cols, rows, col: col0, row: row0 } = this.rect;
    const grid = this.scaler.scale(frame, cols, rows * 2, this.pixelAspect);
    const start = this.begin(cols * rows, MAX_CELL_BYTES);
    const w = this.out;
    const bandStart = this.nextBand();
    if (this.mode < 0) {
      renderAsciiCells(grid.data, cols, rows, col0, row0, this.shownCode, this.shownRgb, this.exact,
        bandStart, this.driftRows, w, this.cursor);
    } else if (this.mode === MODE_TC && this.budgetPerCell > 0) {
      this.paintRd(grid.data, cols, rows, col0, row0, bandStart);
    } else {
      this.paint(grid.data, cols, rows, col0, row0, bandStart);
    }
    return this.end(start);
  }

  // The colour paint loop: decide damage per cell, pick glyph + colours reusing the current SGR, emit.
  private paint(data: Uint8Array, cols: number, rows: number, col0: number, row0: number, bandStart: number): void {
    const mode = this.mode;
    const sCode = this.shownCode;
    const sRgb = this.shownRgb;
    const exact = this.exact;
    const w = this.out;
    const palTol = this.palTol;
    if (this.gains.length !== cols * rows) this.gains = new Float32Array(cols * rows);
    const gains = this.gains;
    const buyAt = this.buyAt;
    const floor = this.floorSq;
    const start = w.len;
    let painted = 0;
    let must = 0;
    for (let r = 0; r < rows; r++) {
      const inBand = (r - bandStart + rows) % rows < this.driftRows;
      const tolSq = inBand ? this.driftSq : this.tolSq;
      const reuseSq = inBand ? 0 : this.reuseSq;
      const base0 = 2 * r * cols;
      for (let c = 0; c < cols; c++) {
        const p0 = base0 + c;
        const p1 = p0 + cols;
        const d0 = p0 * 3;
        const d1 = p1 * 3;
        const t0 = ((data[d0] as number) << 16) | ((data[d0 + 1] as number) << 8) | (data[d0 + 2] as number);
        const t1 = ((data[d1] as number) << 16) | ((data[d1 + 1] as number) << 8) | (data[d1 + 2] as number);
        let q0 = t0;
        let q1 = t1;
        let e0 = t0;
        let e1 = t1;
        if (mode === MODE_256) {
          q0 = nearest256(t0 >> 16, (t0 >> 8) & 255, t0 & 255);
          q1 = nearest256(t1 >> 16, (t1 >> 8) & 255, t1 & 255);
          e0 = XTERM256_RGB[q0] as number;
          e1 = XTERM256_RGB[q1] as number;
        } else if (mode === MODE_16) {
          q0 = nearest16(t0 >> 16, (t0 >> 8) & 255, t0 & 255);
          q1 = nearest16(t1 >> 16, (t1 >> 8) & 255, t1 & 255);
          e0 = ANSI16_RGB[q0] as number;
          e1 = ANSI16_RGB[q1] as number;
        }
        // a pixel whose picture did not change since the last frame is static: the drift band makes it exact
        const static0 = exact[p0] === e0;
        const static1 = exact[p1] === e1;
        exact[p0] = e0;
        exact[p1] = e1;
        const s0 = sCode[p0] as number;
        const s1 = sCode[p1] as number;
        const ci = r * cols + c;
        let bought = false;
        if (s0 >= 0 && s1 >= 0) {
          // the gain of a repaint (rate-distortion damage tracking): what is wrong now minus what the best rendering leaves
          const g = dist2(sRgb[p0] as number, t0) + dist2(sRgb[p1] as number, t1) - dist2(e0, t0) - dist2(e1, t1);
          let keep = false;
          if (mode === MODE_TC) {
            const x0 = dist2(s0, t0);
            const x1 = dist2(s1, t1);
            keep = x0 <= tolSq && x1 <= tolSq && !(inBand && ((static0 && x0 > 0) || (static1 && x1 > 0)));
          } else if (inBand) {
            keep = s0 === q0 && s1 === q1;
          } else {
            keep = (s0 === q0 || Math.sqrt(dist2(sRgb[p0] as number, t0)) <= Math.sqrt(dist2(e0, t0)) + palTol) &&
              (s1 === q1 || Math.sqrt(dist2(sRgb[p1] as number, t1)) <= Math.sqrt(dist2(e1, t1)) + palTol);
          }
          if (keep) {
            // within tolerance: bought from the budget when it gains at least the threshold learnt last frame
            bought = g > floor && buyAt > 0 && g >= buyAt && this.buyLeft > 0;
            if (bought) this.buyLeft--;
            if (!bought) {
              gains[ci] = g > floor ? g : 0;
              continue;
            }
          }
        }
        gains[ci] = 0;
        painted++;
        if (!bought) must++;
        this.cursor.moveTo(w, row0 + r, col0 + c);
        this.paintCell(mode === MODE_TC ? (bought ? 0 : reuseSq) : -1, t0, t1, q0, q1);
        // after paintCell, fg/bg hold what the glyph shows; record it
        const g = this.lastGlyph;
        const top = g === LOWER || g === null ? this.bg : this.fg;
        const bottom = g === UPPER || g === null ? this.bg : this.fg;
        sCode[p0] = top;
        sCode[p1] = bottom;
        sRgb[p0] = mode === MODE_TC ? top : mode === MODE_256 ? (XTERM256_RGB[top] as number) : (ANSI16_RGB[top] as number);
        sRgb[p1] = mode === MODE_TC ? bottom : mode === MODE_256 ? (XTERM256_RGB[bottom] as number) : (ANSI16_RGB[bottom] as number);
      }
    }
    // the next frame buys the cells whose gain beats what the budget, less what this frame had to repaint, buys now
    if (painted > 0) this.cellCost = Math.max(4, 0.7 * this.cellCost + 0.3 * ((w.len - start) / painted));
    const k = Math.floor((cols * rows * this.budgetPerCell - must * this.cellCost) / this.cellCost);
    if (this.marks.length !== gains.length) this.marks = new Uint8Array(gains.length);
    this.buyAt = budgetThreshold(gains, this.marks, k);
    this.buyLeft = Math.max(0, k);
  }
}
