// Colour helpers of the symbol renderers: the 16-colour "mix" table (two ANSI colours blended by a shade glyph) and
// packing of colours and codes.

import { ANSI16_RGB, dist2 } from './palette.js';

/** Shade glyphs ░ ▒ ▓: the share of the cell the foreground covers (terminals draw them as fine dot patterns). */
export const SHADE_ALPHA = [0.25, 0.5, 0.75] as const;
export const SHADE_UTF8: readonly Buffer[] = [0x2591, 0x2592, 0x2593].map((cp) => Buffer.from(String.fromCodePoint(cp), 'utf8'));

let mixLut: Uint16Array | undefined;

/**
 * The closest way to show a flat colour in 16 colours: per 15-bit colour, fg | bg << 4 | shade << 8 (shade 0: a
 * space in bg; 1–3: ░ ▒ ▓ with fg over bg). Built once (~25 M distance checks).
 */
export function mix16(r: number, g: number, b: number): number {
  const t = mixLut ?? (mixLut = buildMix());
  return t[((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)] as number;
}

// The RGB a viewer sees of a mix16 entry (the blend).
export function mixRgb(entry: number): number {
  const fg = ANSI16_RGB[entry & 15] as number;
  const bg = ANSI16_RGB[(entry >> 4) & 15] as number;
  const s = entry >> 8;
  return s === 0 ? bg : blend(fg, bg, SHADE_ALPHA[s - 1] as number);
}

// fg over bg at coverage a, as 0xRRGGBB.
export function blend(fg: number, bg: number, a: number): number {
  const ch = (sh: number): number => Math.round(((bg >> sh) & 255) + (((fg >> sh) & 255) - ((bg >> sh) & 255)) * a);
  return (ch(16) << 16) | (ch(8) << 8) | ch(0);
}

// Build the mix table.
function buildMix(): Uint16Array {
  const cands: number[] = [];
  const rgb: number[] = [];
  for (let bg = 0; bg < 16; bg++) {
    cands.push(bg << 4);
    rgb.push(ANSI16_RGB[bg] as number);
    for (let fg = 0; fg < 16; fg++) {
      if (fg === bg) continue;
      for (let s = 1; s <= 3; s++) {
        const e = fg | (bg << 4) | (s << 8);
        cands.push(e);
        rgb.push(mixRgb(e));
      }
    }
  }
  const t = new Uint16Array(32768);
  for (let i = 0; i < 32768; i++) {
    const c = ((((i >> 10) & 31) * 8 + 4) << 16) | ((((i >> 5) & 31) * 8 + 4) << 8) | ((i & 31) * 8 + 4);
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < rgb.length; k++) {
      const d = dist2(c, rgb[k] as number);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    t[i] = cands[best] as number;
  }
  return t;
}
