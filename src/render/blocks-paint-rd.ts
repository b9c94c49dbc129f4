// The truecolor half-blocks' rate-distortion painting: the cells that must be repainted, and on the way, in raster
// order, every other cell whose best repaint (blocks-rd.ts) removes more error than λ per byte, within the frame's
// byte budget (a repaint that sets a colour counts the worth of the cells after it that can follow in that colour);
// λ is steered as in the symbol renderers (rd-steer.ts). The renderer (blocks.ts) owns the state.

import { HB_LOWER, HB_UPPER, bestHalfRepaint } from './blocks-rd.js';
import { HalfBlockCells, LOWER, UPPER, px } from './blocks-cells.js';
import { dist2 } from './palette.js';
import { RepaintLedger, cursorBytes, newPlan } from './rd-cost.js';
import { RdSteer, type Painting } from './rd-steer.js';

/** Worst-case bytes per cell: CUP (up to 12) + SGR "0;38;2;r;g;b;48;2;r;g;b" (up to 44) + glyph (3). */
export const MAX_CELL_BYTES = 64;
/** A repaint must remove more than this (squared RGB error over the cell's two pixels) to be bought. */
const RD_FLOOR = 3;
/** The least λ. */
const LAMBDA_MIN = 0.5;
/** A cell that must be repainted may keep SGR colours when that leaves under this share of the tolerance. */
const MUST_SHARE = 0.25;
/** Cells after a repaint that sets a colour over which the repaints in that colour are counted to its worth. */
const RUN_LOOKAHEAD = 12;
/** The fewest bytes of an SGR that sets a truecolor colour ("ESC[48;2;0;0;0m"), the least a run's first cell pays. */
const MIN_SGR_BYTES = 13;

/** One cell row as a painting pass sees it before painting it (loadRow): per cell its two pixels' picture, their
 *  squared errors as shown, whether it must be repainted, and the run that could follow from each cell on. */
interface RowState {
  t0: Int32Array;
  t1: Int32Array;
  x0: Float64Array;
  x1: Float64Array;
  must: Uint8Array;
  runLen: Int32Array;
  runSum: Float64Array;
}

/** Half-block cells with what the terminal shows per pixel, and the truecolor painting. */
export abstract class HalfBlockRdCells extends HalfBlockCells {
  // per pixel: the code written (colour or palette index), its RGB, and the exact picture last rendered
  protected shownCode = new Int32Array(0);
  protected shownRgb = new Int32Array(0);
  protected exact = new Int32Array(0);
  protected abstract readonly tolSq: number;
  protected abstract readonly reuseSq: number;
  protected abstract readonly driftSq: number;
  protected abstract readonly budgetPerCell: number;

  /** The error a byte is worth (rate-distortion slope), and the repaints the last painting wished for and bought. */
  private readonly steer = new RdSteer(8, LAMBDA_MIN);
  private readonly hp = newPlan();
  private readonly ledger = new RepaintLedger();
  private still = new Uint8Array(0);
  private keepCode = new Int32Array(0);
  private keepRgb = new Int32Array(0);
  private row: RowState = { t0: new Int32Array(0), t1: new Int32Array(0), x0: new Float64Array(0), x1: new Float64Array(0), must: new Uint8Array(0),
    runLen: new Int32Array(0), runSum: new Float64Array(0) };

  // Paint the cells that must be repainted (as the other modes do), and on the way, in raster order, every other cell
  // whose best repaint (blocks-rd.ts) removes more error than λ per byte, within the budget, λ steered to it
  // (rd-steer.ts).
  protected paintRd(data: Uint8Array, cols: number, rows: number, col0: number, row0: number, bandStart: number): void {
    const n = cols * rows;
    if (this.still.length !== n) this.still = new Uint8Array(n);
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
    let again = false;
    this.steer.run(n * this.budgetPerCell, (lam, allowance): Painting => {
      if (again) {
        this.shownCode.set(this.keepCode);
        this.shownRgb.set(this.keepRgb);
      }
      again = true;
      return this.rdPass(data, cols, rows, col0, row0, bandStart, lam, allowance);
    }, this.ledger);
  }

  // One painting at slope lam buying within allowance bytes: bytes of the must repaints, of the wished and bought.
  private rdPass(data: Uint8Array, cols: number, rows: number, col0: number, row0: number, bandStart: number, lam: number, allowance: number): { mustBytes: number; wanted: number } {
    const sCode = this.shownCode;
    const sRgb = this.shownRgb;
    const w = this.out;
    const plan = this.hp;
    this.begin(cols * rows, MAX_CELL_BYTES);
    const led = this.ledger;
    led.start(cols * rows, allowance);
    let mustBytes = 0;
    const rw = this.rowState(cols);
    for (let r = 0, ci = 0; r < rows; r++) {
      const inBand = (r - bandStart + rows) % rows < this.driftRows;
      const tolSq = inBand ? this.driftSq : this.tolSq;
      this.loadRow(data, cols, r, tolSq, inBand, lam);
      for (let c = 0; c < cols; c++, ci++) {
        const p0 = 2 * r * cols + c;
        const p1 = p0 + cols;
        const t0 = rw.t0[c] as number, t1 = rw.t1[c] as number;
        const x0 = rw.x0[c] as number, x1 = rw.x1[c] as number;
        if (rw.must[c] === 1) {
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
          // (unless the cells after it could pay for a run in the colours it would set)
          const cur = cursorBytes(this.cursor, row0 + r, col0 + c);
          if (eShown <= lam * (cur + 1) && eShown + this.runCeiling(c) <= lam * (cur + MIN_SGR_BYTES + 1)) continue;
          const net = bestHalfRepaint(t0, t1, this.fg, this.bg, this.resetOwed, cur, lam, eShown, plan);
          const run = plan.f >= 0 || plan.b >= 0 ? this.runWorth(c, plan.f >= 0 ? plan.f : this.fg, plan.b >= 0 ? plan.b : this.bg, lam) : 0;
          if (net + run <= 0 || eShown - plan.err <= RD_FLOOR || !led.wish(eShown - plan.err + run, plan.bytes)) continue;
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
    return { mustBytes, wanted: led.wanted };
  }

  // Whether cell ci, its pixels shown off by x0 and x1 (squared), must be repainted: either beyond the tolerance, or
  // in the drift band and not exact though its picture is still.
  private must(ci: number, x0: number, x1: number, tolSq: number, inBand: boolean): boolean {
    const st = this.still[ci] as number;
    return x0 > tolSq || x1 > tolSq || (inBand && (((st & 1) !== 0 && x0 > 0) || ((st & 2) !== 0 && x1 > 0)));
  }

  // Size the per-row state for rows of cols cells.
  private rowState(cols: number): RowState {
    if (this.row.t0.length < cols + 1) {
      const n = cols + 1;
      this.row = { t0: new Int32Array(n), t1: new Int32Array(n), x0: new Float64Array(n), x1: new Float64Array(n), must: new Uint8Array(n),
        runLen: new Int32Array(n + 1), runSum: new Float64Array(n + 1) };
    }
    return this.row;
  }

  // Load cell row r before it is painted: per cell its picture, how far off what is shown is and whether it must be
  // repainted, and from the right, how many cells after each could join a run (left as shown, each worth a byte at
  // lam) and their worth. A cell's own painting changes none of this for the cells after it.
  private loadRow(data: Uint8Array, cols: number, r: number, tolSq: number, inBand: boolean, lam: number): void {
    const rw = this.row;
    const sCode = this.shownCode;
    for (let c = 0, ci = r * cols; c < cols; c++, ci++) {
      const p0 = 2 * r * cols + c;
      const p1 = p0 + cols;
      const t0 = px(data, p0), t1 = px(data, p1);
      const s0 = sCode[p0] as number, s1 = sCode[p1] as number;
      const x0 = s0 < 0 ? Infinity : dist2(s0, t0), x1 = s1 < 0 ? Infinity : dist2(s1, t1);
      rw.t0[c] = t0;
      rw.t1[c] = t1;
      rw.x0[c] = x0;
      rw.x1[c] = x1;
      rw.must[c] = this.must(ci, x0, x1, tolSq, inBand) ? 1 : 0;
    }
    rw.runLen[cols] = 0;
    rw.runSum[cols] = 0;
    for (let c = cols - 1; c >= 0; c--) {
      const e = (rw.x0[c] as number) + (rw.x1[c] as number);
      const joins = rw.must[c] === 0 && e > lam;
      rw.runLen[c] = joins ? (rw.runLen[c + 1] as number) + 1 : 0;
      rw.runSum[c] = joins ? e - lam + (rw.runSum[c + 1] as number) : 0;
    }
  }

  // An upper bound of what the cells after column c could add to a repaint of it as a run (runWorth): their errors,
  // less a byte each, over up to RUN_LOOKAHEAD cells that could join.
  private runCeiling(c: number): number {
    const rw = this.row;
    const n = rw.runLen[c + 1] as number;
    return n <= RUN_LOOKAHEAD ? rw.runSum[c + 1] as number : (rw.runSum[c + 1] as number) - (rw.runSum[c + 1 + RUN_LOOKAHEAD] as number);
  }

  // What the cells after column c of the loaded row would add to a repaint of it that leaves the SGR state at pf over
  // pb: the net worth of repainting each in those colours (a glyph's bytes only, the cursor being there), while each
  // could join (loadRow) and is worth it.
  private runWorth(c: number, pf: number, pb: number, lam: number): number {
    const rw = this.row;
    let sum = 0;
    const end = c + Math.min(rw.runLen[c + 1] as number, RUN_LOOKAHEAD);
    for (let k = c + 1; k <= end; k++) {
      const t0 = rw.t0[k] as number, t1 = rw.t1[k] as number;
      const e = (rw.x0[k] as number) + (rw.x1[k] as number);
      const b0 = dist2(pb, t0), b1 = dist2(pb, t1);
      let net = e - b0 - b1 - lam;
      if (pf >= 0) net = Math.max(net, e - Math.min(dist2(pf, t0) + b1, b0 + dist2(pf, t1)) - 3 * lam);
      if (net <= 0) break;
      sum += net;
    }
    return sum;
  }
}
