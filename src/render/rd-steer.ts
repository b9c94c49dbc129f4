// How the truecolor cell renderers (symbols.ts, blocks-paint-rd.ts) fit λ, the error a byte is worth, to each frame's
// byte budget. A frame is painted first at the last frame's λ, buying every repaint worth its bytes; when what it
// wished for is within RD_KEEP_OVER/RD_KEEP_UNDER of the budget that painting is kept and the difference carried to
// the next frame's budget (bounded by RD_CARRY_SHARE), so most frames are painted once. Otherwise it is painted
// again, capped at the budget: at the slope where the budget runs out when it wished too much, or at a λ lowered by
// the measured elasticity when it wished too little.

import type { RepaintLedger } from './rd-cost.js';

/** What one painting reports: the bytes of the repaints it had to make, and of those it wished to buy. */
export interface Painting {
  mustBytes: number;
  wanted: number;
}

/** Paint the frame again (from what was shown before it) at slope lam, buying within allowance bytes. */
export type Paint = (lam: number, allowance: number) => Painting;

/** A first painting that wished up to this many times the budget, and at least this share of it, is kept. */
const RD_KEEP_OVER = 1.3;
const RD_KEEP_UNDER = 0.5;
/** Bytes carried from one frame's budget to the next at most (either way), as a share of a frame's budget. */
const RD_CARRY_SHARE = 0.5;
/** Paintings of a frame at most, besides the one that falls back to a capped painting. */
const RD_PASSES = 3;
/** How steeply a painting's bytes fall with λ (bytes ∝ λ^-2.8 on the bundled clip), and the share of the budget a
 *  moved λ aims at. */
const RD_ELASTICITY = 2.8;
const RD_AIM = 0.95;
const LAMBDA_MAX = 1e6;

/** λ and the carried bytes of one renderer, from frame to frame. */
export class RdSteer {
  /** The error a byte is worth. */
  lambda: number;
  /** Bytes the last frames left of their budgets (negative: spent beyond them). */
  carry = 0;
  /** The λ of the painting the last frame kept, and the paintings so far (for tests and profiling). */
  kept = 0;
  paintings = 0;
  private readonly min: number;

  constructor(lambda: number, min: number) {
    this.lambda = lambda;
    this.min = min;
  }

  // Paint one frame with a budget of `budget` bytes (for the repaints that must be made and those bought); the
  // painting kept is the last one paint() made.
  run(budget: number, paint: Paint, ledger: RepaintLedger): Painting {
    let lam = this.lambda;
    const total = budget + this.carry;
    let r = this.paint(paint, lam, Infinity);
    const allowance = Math.max(0, total - r.mustBytes);
    if (r.wanted > RD_KEEP_OVER * allowance || (r.wanted < RD_KEEP_UNDER * allowance && lam > this.min)) {
      let within = false;
      let capped = 0;
      for (let pass = 1, lower = 0, upper = Infinity; pass < RD_PASSES || !within; pass++) {
        let next: number;
        if (r.wanted > allowance) {
          next = ledger.slopeAt(allowance);
          // (keep a capped painting when the slope would not move λ, or would reach one that wished too little)
          if (within && (next <= lam || next >= upper)) break;
          lower = lam;
          next = Math.max(next, lam);
        } else if (r.wanted < RD_KEEP_UNDER * allowance && lam > this.min) {
          upper = lam;
          next = steered(lam, r.wanted, allowance, lower);
        } else break;
        lam = next;
        r = this.paint(paint, lam, allowance);
        within = true;
        if (r.wanted >= allowance) capped = lam;
      }
      // a flat change gives many cells one slope: a λ just above it buys nothing; then the capped painting below it
      if (r.wanted < 0.85 * allowance && capped > 0 && capped !== lam) {
        lam = capped;
        r = this.paint(paint, lam, allowance);
      }
    }
    this.kept = lam;
    this.carry = Math.max(-RD_CARRY_SHARE * budget, Math.min(RD_CARRY_SHARE * budget, allowance - ledger.spent));
    // the next frame starts where this one's wishes would have met its budget
    const next = r.wanted < 0.85 * allowance || r.wanted > allowance ? steered(lam, r.wanted, allowance, 0) : lam;
    this.lambda = Math.min(LAMBDA_MAX, Math.max(this.min, next));
    return r;
  }

  private paint(paint: Paint, lam: number, allowance: number): Painting {
    this.paintings++;
    return paint(lam, allowance);
  }
}

/**
 * λ after a painting at lam wished `wanted` of `allowance` bytes: moved by the elasticity, never below halfway to the
 * last λ that wished too much (lower, when below lam), nor below a quarter of lam.
 */
export function steered(lam: number, wanted: number, allowance: number, lower: number): number {
  const model = lam * Math.pow(Math.max(wanted, 1) / (RD_AIM * Math.max(allowance, 1)), 1 / RD_ELASTICITY);
  return Math.max(model, lam / 4, lower < lam ? Math.sqrt(lam * lower) : 0);
}
