// The glyph and colours of a symbol cell in the indexed colour modes: the truecolor fit's colours snapped to the
// 256-colour or 16-colour palette, or the cell's mean colour as a blend (░▒▓) of two palette colours.

import { ANSI16_RGB, XTERM256_RGB, nearest16, nearest256 } from './palette.js';
import type { SymbolFitter } from './symbol-fit.js';
import type { SymbolSet } from './symbol-set.js';
import { SHADE_ALPHA, mix16 } from './symbols-colour.js';
import type { RepaintPlan } from './rd-cost.js';

/**
 * The best rendering of the loaded cell in a colour mode (0 truecolor, 1: 256, 2: 16) into out (glyph, f, b, err): from
 * the search of every glyph, or from glyph `reuse`'s least-squares colours when given.
 */
export function fitCell(ft: SymbolFitter, set: SymbolSet, mode: number, out: RepaintPlan, reuse = -1): void {
  if (reuse >= 0) ft.refit(set, reuse);
  else ft.fit(set);
  let glyph = ft.glyph;
  let fc = ft.f, bc = ft.b, e = ft.err;
  if (mode === 1) {
    fc = nearest256(ft.f >> 16, (ft.f >> 8) & 255, ft.f & 255);
    bc = nearest256(ft.b >> 16, (ft.b >> 8) & 255, ft.b & 255);
    e = ft.errOf(set, glyph, XTERM256_RGB[fc] as number, XTERM256_RGB[bc] as number);
    // or the cell's mean colour as a blend (░▒▓) of its nearest palette colour and one beyond it: the cube's steps
    // are 40 levels, a blend lands between them
    const m = ft.mean();
    const b0 = nearest256(m >> 16, (m >> 8) & 255, m & 255);
    const bRgb = XTERM256_RGB[b0] as number;
    for (let s = 0; s < 3; s++) {
      const k = 1 / (SHADE_ALPHA[s] as number);
      const f0 = nearest256(beyond(bRgb >> 16, m >> 16, k), beyond((bRgb >> 8) & 255, (m >> 8) & 255, k), beyond(bRgb & 255, m & 255, k));
      if (f0 === b0) continue;
      const es = ft.errOf(set, set.shade + s, XTERM256_RGB[f0] as number, bRgb);
      if (es < e) {
        glyph = set.shade + s;
        fc = f0;
        bc = b0;
        e = es;
      }
    }
    if (fc === bc && glyph !== set.shade && glyph !== set.shade + 1 && glyph !== set.shade + 2) glyph = set.space;
  } else if (mode === 2) {
    fc = nearest16(ft.f >> 16, (ft.f >> 8) & 255, ft.f & 255);
    bc = nearest16(ft.b >> 16, (ft.b >> 8) & 255, ft.b & 255);
    e = fc === bc ? Infinity : ft.errOf(set, glyph, ANSI16_RGB[fc] as number, ANSI16_RGB[bc] as number);
    // or the cell's mean colour as a blend of two ANSI colours (░▒▓), often closer than either colour alone
    const m = ft.mean();
    const mix = mix16(m >> 16, (m >> 8) & 255, m & 255);
    const shade = mix >> 8;
    const mg = shade === 0 ? set.space : set.shade + shade - 1;
    const mf = shade === 0 ? (mix >> 4) & 15 : mix & 15;
    const mb = (mix >> 4) & 15;
    const em = ft.errOf(set, mg, ANSI16_RGB[mf] as number, ANSI16_RGB[mb] as number);
    if (em <= e) {
      glyph = mg;
      fc = mf;
      bc = mb;
      e = em;
    }
  }
  out.glyph = glyph;
  out.f = fc;
  out.b = bc;
  out.err = e;
}

// The channel value a blend at coverage 1/k over b needs to show m: b + k·(m − b), clamped.
function beyond(b: number, m: number, k: number): number {
  const v = b + k * (m - b);
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
