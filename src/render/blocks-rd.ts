// The rate-distortion choice of a truecolor half-block cell's repaint (as symbols-rd.ts for the symbol renderers):
// the exact colours, or a rendering that keeps one or both SGR colours already set, or a space in one colour; the one
// whose error removed minus λ times its bytes is largest wins.

import { dist2 } from './palette.js';
import { sgrBytes } from './rd-cost.js';
import { MODE_TC } from './sgr.js';

/** Glyphs of a half-block cell. */
export const HB_SPACE = 0;
export const HB_UPPER = 1;
export const HB_LOWER = 2;

/** A planned repaint: glyph, colours to set first (-1: leave), the error it leaves and its bytes. */
export interface HalfPlan {
  glyph: number;
  f: number;
  b: number;
  err: number;
  bytes: number;
}

// UTF-8 bytes of a half-block glyph.
const glyphBytes = (g: number): number => (g === HB_SPACE ? 1 : 3);

/** A scratch plan. */
export function newHalfPlan(): HalfPlan {
  return { glyph: HB_SPACE, f: -1, b: -1, err: 0, bytes: 0 };
}

/**
 * The best repaint of a cell showing t0 over t1 (shown now with error eShown), from SGR state fg / bg (-1 unknown)
 * with the cursor move costing `cursor` bytes: into out, returning its net worth (error removed − λ·bytes).
 */
export function bestHalfRepaint(
  t0: number, t1: number, fg: number, bg: number, reset: boolean, cursor: number, lambda: number, eShown: number, out: HalfPlan,
): number {
  let best = -Infinity;
  const tryIt = (glyph: number, f: number, b: number, err: number): void => {
    const bytes = cursor + sgrBytes(MODE_TC, f, b, reset) + glyphBytes(glyph);
    const net = eShown - err - lambda * bytes;
    if (net > best) {
      best = net;
      out.glyph = glyph;
      out.f = f;
      out.b = b;
      out.err = err;
      out.bytes = bytes;
    }
  };
  // exact
  if (t0 === t1) tryIt(HB_SPACE, -1, bg === t0 ? -1 : t0, 0);
  else if (fg === t0 && bg === t1) tryIt(HB_UPPER, -1, -1, 0);
  else if (fg === t1 && bg === t0) tryIt(HB_LOWER, -1, -1, 0);
  else if (fg === t0) tryIt(HB_UPPER, -1, t1, 0);
  else if (fg === t1) tryIt(HB_LOWER, -1, t0, 0);
  else if (bg === t1) tryIt(HB_UPPER, t0, -1, 0);
  else if (bg === t0) tryIt(HB_LOWER, t1, -1, 0);
  else tryIt(HB_UPPER, t0, t1, 0);
  // keeping what is set
  if (bg >= 0) {
    const e0 = dist2(bg, t0), e1 = dist2(bg, t1);
    tryIt(HB_SPACE, -1, -1, e0 + e1);
    if (fg >= 0) {
      tryIt(HB_UPPER, -1, -1, dist2(fg, t0) + e1);
      tryIt(HB_LOWER, -1, -1, e0 + dist2(fg, t1));
    }
    // one new colour over the background kept
    tryIt(HB_UPPER, t0, -1, e1);
    tryIt(HB_LOWER, t1, -1, e0);
  }
  if (fg >= 0) {
    tryIt(HB_UPPER, -1, t1, dist2(fg, t0));
    tryIt(HB_LOWER, -1, t0, dist2(fg, t1));
  }
  // flat in the mean colour
  const m = avg(t0, t1);
  if (m !== bg && t0 !== t1) tryIt(HB_SPACE, -1, m, dist2(m, t0) + dist2(m, t1));
  return best;
}

// Channel-wise average of two 0xRRGGBB colours.
export function avg(a: number, b: number): number {
  return (
    ((((a >> 16) & 255) + ((b >> 16) & 255) + 1) >> 1) << 16 |
    ((((a >> 8) & 255) + ((b >> 8) & 255) + 1) >> 1) << 8 |
    (((a & 255) + (b & 255) + 1) >> 1)
  );
}
