// Half-block renderers (truecolor, 256, 16 colours) with damage tracking against what the terminal shows.

import type { Frame } from '../shared/frame.js';
import { RENDER_PALETTE_TOLERANCE } from '../shared/limits.js';
import { budgetThreshold } from './damage-budget.js';
import { HB_LOWER, HB_UPPER, bestHalfRepaint } from './blocks-rd.js';
import { cursorBytes, newPlan } from './rd-cost.js';
import { RD_REPAINT_BELOW, lowered, slopeAt } from './symbols-rd.js';
import { NO_BYTES, cellTuning } from './cell-renderer.js';
import { HalfBlockCells, LOWER, UPPER } from './blocks-cells.js';
import { MODE_16, MODE_256, MODE_TC } from './sgr.js';
import { ANSI16_RGB, XTERM256_RGB, dist2, nearest16, nearest256 } from './palette.js';
import { FrameScaler } from './scale.js';
import { renderAsciiCells } from './ascii.js';
import type { BlockKind, BlockRendererOptions, CellRect, FrameRenderer, RenderOptions, ShownModel } from './types.js';

/** Worst-case bytes per cell: CUP (up to 12) + SGR "0;38;2;r;g;b;48;2;r;g;b" (up to 44) + glyph (3). */
const MAX_CELL_BYTES = 64;
/** Truecolor: a repaint must remove more than this (squared RGB error over the cell's two pixels) to be bought. */
const RD_FLOOR = 3;
/** Truecolor: paintings of a frame (one more when the first wished more than the budget), and the least λ. */
const RD_PASSES = 3;
const LAMBDA_MIN = 0.5;
/** Truecolor: a cell that must be repainted may keep SGR colours when that leaves under this share of the tolerance. */
const MUST_SHARE = 0.25;

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
class HalfBlockRenderer extends HalfBlockCells implements BlockRenderer {
  readonly kind: BlockKind;
  private readonly scaler = new FrameScaler();
  private readonly pixelAspect: number;
  private readonly tolSq: number;
  private readonly reuseSq: number;
  private readonly driftSq: number;
  private readonly palTol: number;
  private shownCode = new Int32Array(0);
  private shownRgb = new Int32Array(0);
  private exact = new Int32Array(0);
  // rate-distortion budget: per cell the gain of a repaint left undone, the threshold the next frame buys at, bytes
  // per repainted cell learnt from the last frames
  private gains = new Float32Array(0);
  private marks = new Uint8Array(0);
  private buyAt = 0;
  private buyLeft = 0;
  private cellCost = 16;
  private readonly budgetPerCell: number;
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

  /** Truecolor: the error a byte is worth (rate-distortion slope), and what each bought repaint's slope and bytes were. */
  private lambda = 8;
  private readonly hp = newPlan();
  private slope = new Float32Array(0);
  private cost = new Float32Array(0);
  private still = new Uint8Array(0);
  private keepCode = new Int32Array(0);
  private keepRgb = new Int32Array(0);

  // Truecolor: the cells that must be repainted as in paint(), and on the way, in raster order, every other cell
  // whose best repaint (blocks-rd.ts) removes more error than λ per byte, within the budget; λ is fitted to the frame:
  // painted at half the last frame's, and again at the slope where the budget runs out when that wished for more.
  private paintRd(data: Uint8Array, cols: number, rows: number, col0: number, row0: number, bandStart: number): void {
    const n = cols * rows;
    if (this.still.length !== n) {
      this.still = new Uint8Array(n);
      this.slope = new Float32Array(n);
      this.cost = new Float32Array(n);
    }
    // pixels whose picture did not change since the last frame are static: the drift band makes them exact
    const exact = this.exact;
    for (let r = 0, ci = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++, ci++) {
        const p0 = 2 * r * cols + c;
        const p1 = p0 + cols;
        const t0 = px(data, p0), t1 = px(data, p1);
        this.still[ci] = (exact[p0] === t0 ? 1 : 0) | (exact[p1] === t1 ? 2 : 0);
        exact[p0] = t0;
        exact[p1] = t1;
      }
    }
    if (this.keepCode.length !== this.shownCode.length) {
      this.keepCode = new Int32Array(this.shownCode.length);
      this.keepRgb = new Int32Array(this.shownRgb.length);
    }
    this.keepCode.set(this.shownCode);
    this.keepRgb.set(this.shownRgb);
    const total = n * this.budgetPerCell;
    // paint at the last frame's λ (uncapped: its must repaints set the allowance); again at the slope where the budget
    // runs out when that wished more, or at a λ lowered by the elasticity when it wished much less (symbols.ts)
    let lam = this.lambda;
    let r = this.rdPass(data, cols, rows, col0, row0, bandStart, lam, Infinity);
    const allowance = total - r.mustBytes;
    let capped = r.wanted <= allowance;
    for (let pass = 1, lower = 0, upper = Infinity; pass < RD_PASSES || !capped; pass++) {
      let next = lam;
      if (r.wanted > allowance) {
        next = slopeAt(this.slope, this.cost, r.bought, allowance);
        if (capped && (next <= lam || next >= upper)) break;
        lower = lam;
        next = Math.max(next, lam);
      } else if (r.wanted < RD_REPAINT_BELOW * allowance && lam > LAMBDA_MIN) {
        upper = lam;
        next = lowered(lam, r.wanted, allowance, lower);
      } else break;
      lam = next;
      this.shownCode.set(this.keepCode);
      this.shownRgb.set(this.keepRgb);
      r = this.rdPass(data, cols, rows, col0, row0, bandStart, lam, allowance);
      capped = true;
    }
    // a painting kept although it left much of the budget: the next frame starts lower
    const nextLam = r.wanted < 0.85 * allowance ? lowered(lam, r.wanted, allowance, 0) : lam;
    this.lambda = Math.min(1e6, Math.max(LAMBDA_MIN, nextLam));
  }

  // One painting at slope lam buying within allowance bytes: bytes of the must repaints, of the wished and bought.
  private rdPass(data: Uint8Array, cols: number, rows: number, col0: number, row0: number, bandStart: number, lam: number, allowance: number): { mustBytes: number; wanted: number; bought: number } {
    const sCode = this.shownCode;
    const sRgb = this.shownRgb;
    const w = this.out;
    const plan = this.hp;
    this.begin(cols * rows, MAX_CELL_BYTES);
    let mustBytes = 0, wanted = 0, spent = 0, bought = 0;
    for (let r = 0, ci = 0; r < rows; r++) {
      const inBand = (r - bandStart + rows) % rows < this.driftRows;
      const tolSq = inBand ? this.driftSq : this.tolSq;
      for (let c = 0; c < cols; c++, ci++) {
        const p0 = 2 * r * cols + c;
        const p1 = p0 + cols;
        const t0 = px(data, p0), t1 = px(data, p1);
        const s0 = sCode[p0] as number, s1 = sCode[p1] as number;
        const x0 = s0 < 0 ? Infinity : dist2(s0, t0), x1 = s1 < 0 ? Infinity : dist2(s1, t1);
        const st = this.still[ci] as number;
        const must = x0 > tolSq || x1 > tolSq || (inBand && (((st & 1) !== 0 && x0 > 0) || ((st & 2) !== 0 && x1 > 0)));
        if (must) {
          // the cheapest rendering worth its bytes when it leaves the cell well within the tolerance, else the exact one
          const b0 = w.len;
          const cur = cursorBytes(this.cursor, row0 + r, col0 + c);
          bestHalfRepaint(t0, t1, this.fg, this.bg, this.resetOwed, cur, lam, x0 + x1, plan);
          this.cursor.moveTo(w, row0 + r, col0 + c);
          if (!inBand && plan.err <= MUST_SHARE * tolSq) {
            if (plan.f >= 0 || plan.b >= 0) this.sgr(plan.f, plan.b);
            this.glyph(plan.glyph === HB_UPPER ? UPPER : plan.glyph === HB_LOWER ? LOWER : null);
          } else this.paintCell(inBand ? 0 : this.reuseSq, t0, t1, t0, t1);
          mustBytes += w.len - b0;
        } else {
          const eShown = x0 + x1;
          if (eShown <= RD_FLOOR || eShown <= lam) continue;
          // no repaint leaves less than no error, nor costs less than the cursor move and a space
          const cur = cursorBytes(this.cursor, row0 + r, col0 + c);
          if (eShown <= lam * (cur + 1)) continue;
          const net = bestHalfRepaint(t0, t1, this.fg, this.bg, this.resetOwed, cur, lam, eShown, plan);
          if (net <= 0 || eShown - plan.err <= RD_FLOOR) continue;
          wanted += plan.bytes;
          this.slope[bought] = (eShown - plan.err) / plan.bytes;
          this.cost[bought++] = plan.bytes;
          if (spent + plan.bytes > allowance) continue;
          spent += plan.bytes;
          this.cursor.moveTo(w, row0 + r, col0 + c);
          if (plan.f >= 0 || plan.b >= 0) this.sgr(plan.f, plan.b);
          this.glyph(plan.glyph === HB_UPPER ? UPPER : plan.glyph === HB_LOWER ? LOWER : null);
        }
        const g = this.lastGlyph;
        const top = g === LOWER || g === null ? this.bg : this.fg;
        const bottom = g === UPPER || g === null ? this.bg : this.fg;
        sCode[p0] = sRgb[p0] = top;
        sCode[p1] = sRgb[p1] = bottom;
      }
    }
    return { mustBytes, wanted, bought };
  }
}

// The 0xRRGGBB of pixel p of an RGB grid.
function px(data: Uint8Array, p: number): number {
  const d = p * 3;
  return ((data[d] as number) << 16) | ((data[d + 1] as number) << 8) | (data[d + 2] as number);
}
