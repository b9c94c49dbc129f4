// The truecolor half-blocks' rate-distortion painting: the cells that must be repainted, and on the way, in raster
// order, every other cell whose best repaint (blocks-rd.ts) removes more error than λ per byte, within the frame's
// byte budget; λ is steered as in the symbol renderers (rd-steer.ts). The renderer (blocks.ts) owns the state.

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
          if (net <= 0 || eShown - plan.err <= RD_FLOOR || !led.wish(eShown - plan.err, plan.bytes)) continue;
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
}
