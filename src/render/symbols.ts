// Sub-cell symbol renderers: per cell the glyph (eighths, quarters, halves, quadrants, sextants) and the two colours
// that best show its 4x8 atoms, in truecolor, 256 or 16 colours (16: with ░▒▓ blends). Damage tracking is rate-
// distortion aware: a cell is repainted when what the terminal shows is much worse than the best rendering, and a
// byte budget per frame goes to the cells that gain the most next, so still areas converge over a few frames and the
// bytes stay bounded. SGR reuse (swapping fg/bg through the complement glyph) and cursor jumps as in half-blocks.

import type { Frame } from '../shared/frame.js';
import { NO_BYTES, cellTuning } from './cell-renderer.js';
import { SymbolCells } from './symbols-cells.js';
import { CellSampler } from './cell-sampler.js';
import { ATOMS, ATOM_COLS, ATOM_ROWS, symbolSet, type SymbolSetName } from './symbol-set.js';
import { SymbolFitter } from './symbol-fit.js';
import { GlyphReuse } from './symbol-reuse.js';
import { budgetThreshold, buyAbove } from './damage-budget.js';
import { RepaintLedger, cursorBytes, newPlan } from './rd-cost.js';
import { EXACT, KEEP, PAINT, bestRepaint, planExact, runCeiling, runWorth, type CellFit, frameCells, type FrameCells, type KeptPaint, type RepaintState } from './symbols-rd.js';
import { RdSteer, type Painting } from './rd-steer.js';
import type { BlockRendererOptions, CellRect, FrameRenderer, RenderOptions, RendererKind } from './types.js';

/** Colour modes of the symbol renderers. */
export type SymbolColours = 'truecolor' | '256' | '16';

/** Options: the glyph set and colour mode, plus the block renderers' tolerances and byte budget. */
export interface SymbolRendererOptions extends BlockRendererOptions {
  readonly set: SymbolSetName;
  readonly colours: SymbolColours;
}

const MAX_CELL_BYTES = 64;
/** UTF-8 bytes of the shortest glyph but the space (block elements: 3). */
const MIN_GLYPH_BYTES = 3;
/** A cell whose error is below this share of the last frame's budget threshold is not fitted (0.7 fitted 14 % more cells, same figures). */
const SKIP_SHARE = 1.0;
/** The least λ, the error a byte is worth (squared error over a cell's atoms per byte). */
const LAMBDA_MIN = 4;
/** Truecolor: a repaint must remove more than this (RMS per channel over the cell) to be bought at all. */
const RD_FLOOR_RMS = 0.5;
/** The fewest bytes of an SGR that sets a truecolor colour ("ESC[48;2;0;0;0m"), the least a run's first cell pays. */
const MIN_SGR_BYTES = 13;

// Create a symbol renderer of a table kind.
export function createSymbolRenderer(kind: RendererKind, opts: SymbolRendererOptions): FrameRenderer {
  return new SymbolRenderer(kind, opts);
}

class SymbolRenderer extends SymbolCells implements FrameRenderer {
  readonly kind: RendererKind;
  private readonly sampler = new CellSampler();
  private readonly fitter = new SymbolFitter();
  private readonly atomAspect: number;
  private readonly mustErr: number;
  private readonly driftErr: number;
  private readonly floorErr: number;
  private readonly reuseSq: number;
  private readonly budgetPerCell: number;
  // this frame's decision per cell: glyph, fg/bg codes, gain over what is shown, paint mark; its flat error and mean
  private cells: FrameCells = frameCells(0);
  private readonly cellFit: CellFit = { e: 0, flatErr: 0, mean: 0 };
  private readonly runFit: CellFit = { e: 0, flatErr: 0, mean: 0 };
  private readonly runPaint: KeptPaint = { glyph: 0, err: 0, bytes: 0 };
  private readonly reuse = new GlyphReuse();
  // what was shown before this frame's painting, to paint it again at another λ
  private keepG = new Int16Array(0);
  private keepF = new Int32Array(0);
  private keepB = new Int32Array(0);
  // the repaints the last painting wished for and bought
  private readonly ledger = new RepaintLedger();
  /** Truecolor: the error a byte is worth (the rate-distortion slope), steered so the budget is spent. */
  private readonly steer = new RdSteer(100, LAMBDA_MIN);
  private readonly plan = newPlan();
  private readonly fitted = newPlan();
  private readonly state: RepaintState = { fg: -1, bg: -1, reset: true, mode: 0, cursor: 0, lambda: 0 };
  /** Bytes a repainted cell costs, learnt from the last frames. */
  private cellCost = 16;
  /** The smallest gain the budget paid for in the last frame (0: none). */
  private lastT = 0;

  constructor(kind: RendererKind, o: SymbolRendererOptions) {
    const t = cellTuning(o);
    super(o.colours === 'truecolor' ? 0 : o.colours === '256' ? 1 : 2, t.driftRows, symbolSet(o.set));
    this.kind = kind;
    this.atomAspect = (t.cw / ATOM_COLS) / (t.ch / ATOM_ROWS);
    // squared error over a cell of an RMS per channel
    const cellErr = (rms: number): number => ATOMS * 3 * rms * rms;
    this.mustErr = cellErr(t.tolerance);
    this.driftErr = cellErr(t.drift);
    this.reuseSq = 3 * t.reuse * t.reuse;
    // what SGR reuse may leave behind is not worth a repaint from the budget (else a still picture never settles)
    // truecolor prices each repaint in bytes (λ), so only what is below half a level RMS is not worth one
    this.floorErr = this.mode === 0 ? cellErr(RD_FLOOR_RMS) : Math.max(ATOMS, cellErr(t.reuse));
    this.budgetPerCell = t.budgetPerCell;
  }

  // Forget what the terminal shows.
  invalidate(): void {
    this.shownG.fill(-1);
  }

  // Per-cell state for a pane of n cells.
  protected resize(n: number): void {
    this.shownG = new Int16Array(n);
    this.shownF = new Int32Array(n);
    this.shownB = new Int32Array(n);
    this.cells = frameCells(n);
    this.reuse.resize(n);
    this.keepG = new Int16Array(n);
    this.keepF = new Int32Array(n);
    this.keepB = new Int32Array(n);
  }

  // Render one frame into the pane; the bytes of one write (empty when nothing changed).
  render(frame: Frame, rect: CellRect, opts?: RenderOptions): Buffer {
    if (!this.place(rect, opts)) return NO_BYTES;
    const { cols, rows, col: col0, row: row0 } = this.rect;
    const c = this.cells;
    this.sampler.begin(frame, cols, rows, this.atomAspect);
    const bandStart = this.nextBand();
    let painted = 0;
    for (let y = 0; y < rows; y++) {
      const inBand = (y - bandStart + rows) % rows < this.driftRows;
      this.sampler.row(y);
      for (let x = 0; x < cols; x++) painted += this.decide(x, y, inBand);
    }
    if (this.mode === 0) return this.paintRd();
    // the budget: the cells that gain most from a repaint, after those that must be repainted
    const budget = cols * rows * this.budgetPerCell - painted * this.cellCost;
    this.lastT = 0;
    if (budget > this.cellCost) {
      const k = Math.floor(budget / this.cellCost);
      this.lastT = budgetThreshold(c.gain, c.mark, k);
      painted += buyAbove(c.gain, c.mark, this.lastT, k, EXACT);
    }
    if (painted === 0) return NO_BYTES;
    const w = this.out;
    const start = this.begin(painted, MAX_CELL_BYTES);
    for (let y = 0, ci = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++, ci++) {
        const m = c.mark[ci] as number;
        if (m === KEEP) continue;
        this.cursor.moveTo(w, row0 + y, col0 + x);
        this.emit(c.wantG[ci] as number, c.wantF[ci] as number, c.wantB[ci] as number, m === EXACT ? (this.mode === 0 ? 0 : -1) : this.mode === 0 ? this.reuseSq : -1, ci);
      }
    }
    this.cellCost = Math.max(4, 0.7 * this.cellCost + 0.3 * ((w.len - start) / painted));
    return this.end(start);
  }

  // Decide one cell: fit it, compare with what is shown, set its mark (1 when it must be repainted) and gain.
  private decide(x: number, y: number, inBand: boolean): number {
    const ft = this.fitter;
    const set = this.set;
    const c = this.cells;
    const ci = y * this.rect.cols + x;
    ft.load(this.sampler, x);
    const sg = this.shownG[ci] as number;
    let eShown = Infinity;
    if (sg >= 0) {
      eShown = ft.errOf(set, sg, this.shownF[ci] as number, this.shownB[ci] as number);
      // no repaint can gain more than what is wrong now: skip the fit when that is below what must be repainted and
      // well below the smallest gain the budget bought last frame
      if (eShown <= this.floorErr || (eShown <= (inBand ? this.driftErr : this.mustErr) && eShown < SKIP_SHARE * this.lastT)) {
        c.mark[ci] = KEEP;
        c.gain[ci] = 0;
        return 0;
      }
    }
    const fitted = this.fitted;
    const tol = inBand ? this.driftErr : this.mustErr;
    this.reuse.fit(ft, set, this.mode, ci, eShown, tol, fitted);
    const glyph = fitted.glyph, bc = fitted.b, e = fitted.err;
    const fc = glyph === set.space ? bc : fitted.f;
    c.wantG[ci] = glyph;
    c.wantF[ci] = fc;
    c.wantB[ci] = bc;
    const gain = eShown - e;
    c.gain[ci] = gain;
    c.shownErr[ci] = eShown;
    c.flatE[ci] = ft.flatErr();
    c.meanC[ci] = ft.mean();
    if (gain > tol) {
      c.mark[ci] = inBand ? EXACT : PAINT;
      return 1;
    }
    c.mark[ci] = KEEP;
    if (gain <= this.floorErr) c.gain[ci] = 0;
    return 0;
  }

  // Truecolor: paint the cells that must be repainted, and on the way, in raster order, every other cell whose best
  // repaint (symbols-rd.ts: exact, or keeping SGR colours already set) removes more error than λ per byte, within
  // the budget, λ steered to it (rd-steer.ts).
  private paintRd(): Buffer {
    this.keepG.set(this.shownG);
    this.keepF.set(this.shownF);
    this.keepB.set(this.shownB);
    let start = 0;
    let again = false;
    this.steer.run(this.rect.cols * this.rect.rows * this.budgetPerCell, (lam, allowance): Painting => {
      if (again) {
        this.shownG.set(this.keepG);
        this.shownF.set(this.keepF);
        this.shownB.set(this.keepB);
      }
      again = true;
      const r = this.paintPass(lam, allowance);
      start = r.start;
      return r;
    }, this.ledger);
    // cells whose shown error is below λ/2 are not fitted next frame (no repaint of theirs can pay at λ/2)
    this.lastT = this.steer.kept / 2;
    return this.end(start);
  }

  // One painting of the frame at slope lam, buying within allowance bytes: where the write starts, what the repaints
  // that must be done cost, what the bought ones would have cost without the allowance and what they did.
  private paintPass(lam: number, allowance: number): { start: number; mustBytes: number; wanted: number } {
    const { cols, rows, col: col0, row: row0 } = this.rect;
    const c = this.cells;
    const w = this.out;
    const start = this.begin(cols * rows, MAX_CELL_BYTES);
    const st = this.state;
    const plan = this.plan;
    st.lambda = lam;
    const led = this.ledger;
    led.start(cols * rows, allowance);
    let mustBytes = 0;
    for (let y = 0, ci = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++, ci++) {
        const m = c.mark[ci] as number;
        if (m === EXACT) {
          const b0 = w.len;
          this.cursor.moveTo(w, row0 + y, col0 + x);
          this.emit(c.wantG[ci] as number, c.wantF[ci] as number, c.wantB[ci] as number, 0, ci);
          mustBytes += w.len - b0;
          continue;
        }
        const gain = c.gain[ci] as number;
        if (m === KEEP && gain <= lam) continue; // not worth even one byte
        const cursor = cursorBytes(this.cursor, row0 + y, col0 + x);
        const eShown = c.shownErr[ci] as number;
        const e = eShown - gain;
        if (m === KEEP) {
          // no candidate leaves less than the fit's error (or the flat one's, for a space), nor costs less than the
          // cursor move and its glyph's bytes: skip the pricing when even that bound is not worth it, unless the
          // cells after it could pay for a run in the colours it would set
          const flatGain = eShown - Math.min(e, c.flatE[ci] as number);
          if (flatGain <= this.floorErr) continue;
          if (flatGain <= lam * (cursor + 1) && gain <= lam * (cursor + MIN_GLYPH_BYTES) &&
            flatGain + runCeiling(c, ci, this.rect.cols - 1 - x, lam) <= lam * (cursor + MIN_SGR_BYTES + 1)) continue;
        }
        st.fg = this.fg;
        st.bg = this.bg;
        st.reset = this.resetOwed;
        st.cursor = cursor;
        const cf = this.cellFit;
        cf.e = e;
        cf.flatErr = c.flatE[ci] as number;
        cf.mean = c.meanC[ci] as number;
        const net = bestRepaint(this.set, st, c.wantG[ci] as number, c.wantF[ci] as number, c.wantB[ci] as number, cf, eShown, plan);
        if (m === PAINT) {
          // a cell that must be repainted: the cheapest rendering worth its bytes, if it leaves the cell within the
          // tolerance; else the exact one
          if (plan.err > e + this.mustErr / 2) planExact(this.set, st, c.wantG[ci] as number, c.wantF[ci] as number, c.wantB[ci] as number, plan);
          mustBytes += plan.bytes;
          this.cursor.moveTo(w, row0 + y, col0 + x);
          if (plan.f >= 0 || plan.b >= 0) this.sgr(plan.f, plan.b);
          this.put(plan.glyph, ci);
          continue;
        }
        const run = plan.f >= 0 || plan.b >= 0 ? runWorth(this.set, c, ci, this.rect.cols - 1 - x, plan.f >= 0 ? plan.f : this.fg, plan.b >= 0 ? plan.b : this.bg, lam, this.runFit, this.runPaint) : 0;
        if (net + run <= 0 || eShown - plan.err + run <= this.floorErr || !led.wish(eShown - plan.err + run, plan.bytes)) continue;
        this.cursor.moveTo(w, row0 + y, col0 + x);
        if (plan.f >= 0 || plan.b >= 0) this.sgr(plan.f, plan.b);
        this.put(plan.glyph, ci);
      }
    }
    return { start, mustBytes, wanted: led.wanted };
  }
}
