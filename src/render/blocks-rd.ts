// The rate-distortion choice of a truecolor half-block cell's repaint (as symbols-rd.ts for the symbol renderers):
// the exact colours, or a rendering that keeps one or both SGR colours already set, or a space in one colour; the one
// whose error removed minus λ times its bytes is largest wins.

import { dist2 } from './palette.js';
import { RepaintChoice, colourBytes, sgrBytes, type RepaintPlan } from './rd-cost.js';
import { MODE_TC } from './sgr.js';

/** Glyphs of a half-block cell. */
export const HB_SPACE = 0;
export const HB_UPPER = 1;
export const HB_LOWER = 2;

// UTF-8 bytes of a half-block glyph.
const glyphBytes = (g: number): number => (g === HB_SPACE ? 1 : 3);

// The best candidate of one bestHalfRepaint call (module state: no closure per call on the hot path), the cursor
// move's bytes and those of an SGR setting one colour, less the colour.
const choice = new RepaintChoice();
let base = 0;
let one = 0;

// Consider glyph g setting colours f / b first (-1: leave; at most one, or both as one SGR of sgr bytes) for error err.
function consider(glyph: number, f: number, b: number, err: number, sgr: number): void {
  choice.offer(glyph, f, b, base + sgr + glyphBytes(glyph), err);
}

// Bytes of an SGR setting one truecolor colour.
const oneColour = (c: number, isBg: boolean): number => one + colourBytes(MODE_TC, c, isBg);

/**
 * The best repaint of a cell showing t0 over t1 (shown now with error eShown), from SGR state fg / bg (-1 unknown)
 * with the cursor move costing `cursor` bytes: into out, returning its net worth (error removed − λ·bytes).
 */
export function bestHalfRepaint(
  t0: number, t1: number, fg: number, bg: number, reset: boolean, cursor: number, lambda: number, eShown: number, out: RepaintPlan,
): number {
  choice.start(out, eShown, lambda, -Infinity);
  base = cursor;
  one = 3 + (reset ? 2 : 0);
  // exact
  if (t0 === t1) consider(HB_SPACE, -1, bg === t0 ? -1 : t0, 0, bg === t0 ? 0 : oneColour(t0, true));
  else if (fg === t0 && bg === t1) consider(HB_UPPER, -1, -1, 0, 0);
  else if (fg === t1 && bg === t0) consider(HB_LOWER, -1, -1, 0, 0);
  else if (fg === t0) consider(HB_UPPER, -1, t1, 0, oneColour(t1, true));
  else if (fg === t1) consider(HB_LOWER, -1, t0, 0, oneColour(t0, true));
  else if (bg === t1) consider(HB_UPPER, t0, -1, 0, oneColour(t0, false));
  else if (bg === t0) consider(HB_LOWER, t1, -1, 0, oneColour(t1, false));
  else consider(HB_UPPER, t0, t1, 0, sgrBytes(MODE_TC, t0, t1, reset));
  // keeping what is set
  if (bg >= 0) {
    const e0 = dist2(bg, t0), e1 = dist2(bg, t1);
    consider(HB_SPACE, -1, -1, e0 + e1, 0);
    if (fg >= 0) {
      consider(HB_UPPER, -1, -1, dist2(fg, t0) + e1, 0);
      consider(HB_LOWER, -1, -1, e0 + dist2(fg, t1), 0);
    }
    // one new colour over the background kept
    consider(HB_UPPER, t0, -1, e1, oneColour(t0, false));
    consider(HB_LOWER, t1, -1, e0, oneColour(t1, false));
  }
  if (fg >= 0) {
    consider(HB_UPPER, -1, t1, dist2(fg, t0), oneColour(t1, true));
    consider(HB_LOWER, -1, t0, dist2(fg, t1), oneColour(t0, true));
  }
  // flat in the mean colour
  const m = avg(t0, t1);
  if (m !== bg && t0 !== t1) consider(HB_SPACE, -1, m, dist2(m, t0) + dist2(m, t1), oneColour(m, true));
  return choice.net;
}

// Channel-wise average of two 0xRRGGBB colours.
export function avg(a: number, b: number): number {
  return (
    ((((a >> 16) & 255) + ((b >> 16) & 255) + 1) >> 1) << 16 |
    ((((a >> 8) & 255) + ((b >> 8) & 255) + 1) >> 1) << 8 |
    (((a & 255) + (b & 255) + 1) >> 1)
  );
}
