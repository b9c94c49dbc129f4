// The sixel renderer's fixed palette: a 6x7x6 colour cube through per-channel level tables, optionally with a 4x4
// ordered (Bayer) dither, which is stable over time.

import type { SixelPixels } from './sixel-palette.js';

/** Levels per channel of the fixed palette (R, G, B): 6 x 7 x 6 = 252 colour registers. */
export const SIXEL_LEVELS = [6, 7, 6] as const;
export const SIXEL_PALETTE_SIZE = SIXEL_LEVELS[0] * SIXEL_LEVELS[1] * SIXEL_LEVELS[2];

/** Dithering of the sixel encoder: none, or a 4x4 ordered (Bayer) one, stable over time. */
export type SixelDither = 'none' | 'ordered';

// Nearest-level table for one channel with n levels: value → level index.
function levelTable(n: number): Uint8Array {
  const t = new Uint8Array(256);
  for (let v = 0; v < 256; v++) t[v] = Math.round((v * (n - 1)) / 255);
  return t;
}

const LEVEL_R = levelTable(SIXEL_LEVELS[0]);
const LEVEL_G = levelTable(SIXEL_LEVELS[1]);
const LEVEL_B = levelTable(SIXEL_LEVELS[2]);
const MUL_R = SIXEL_LEVELS[1] * SIXEL_LEVELS[2];
const MUL_G = SIXEL_LEVELS[2];
/** 4x4 Bayer matrix, scaled to ±half a palette step at encode time. */
const BAYER4 = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

/** RGB (0..255) of each palette register, for tests and the screen model. */
export const SIXEL_PALETTE_RGB: Int32Array = (() => {
  const t = new Int32Array(SIXEL_PALETTE_SIZE);
  const [nr, ng, nb] = SIXEL_LEVELS;
  for (let i = 0; i < SIXEL_PALETTE_SIZE; i++) {
    const r = Math.round((Math.floor(i / MUL_R) * 255) / (nr - 1));
    const g = Math.round(((Math.floor(i / MUL_G) % ng) * 255) / (ng - 1));
    const b = Math.round(((i % nb) * 255) / (nb - 1));
    t[i] = (r << 16) | (g << 8) | b;
  }
  return t;
})();

/** The colour register definitions ("#i;2;r;g;b" in percent), precomputed once. */
export const FIXED_REGISTER_DEFS: Buffer[] = Array.from(SIXEL_PALETTE_RGB, (rgb, i) => {
  const pct = (v: number): number => Math.round((v * 100) / 255);
  return Buffer.from(`#${i};2;${pct(rgb >> 16)};${pct((rgb >> 8) & 255)};${pct(rgb & 255)}`, 'latin1');
});
// Map every pixel of px to its fixed-palette register (optionally with ordered dither) into the gridW-wide grid idx
// at x0, y0.
export function quantizeFixed(px: SixelPixels, idx: Uint8Array, gridW: number, x0: number, y0: number, dither: SixelDither): void {
  const src = px.data;
  const ro = px.bgr ? 2 : 0;
  const bo = 2 - ro;
  const stepR = 255 / (SIXEL_LEVELS[0] - 1);
  const stepG = 255 / (SIXEL_LEVELS[1] - 1);
  const stepB = 255 / (SIXEL_LEVELS[2] - 1);
  const ordered = dither === 'ordered';
  for (let y = 0, p = 0; y < px.height; y++) {
    for (let x = 0, i = (y0 + y) * gridW + x0; x < px.width; x++, i++, p += 3) {
      if (!ordered) {
        idx[i] = (LEVEL_R[src[p + ro] as number] as number) * MUL_R + (LEVEL_G[src[p + 1] as number] as number) * MUL_G +
          (LEVEL_B[src[p + bo] as number] as number);
        continue;
      }
      const d = ((BAYER4[(((y0 + y) & 3) << 2) | ((x0 + x) & 3)] as number) + 0.5) / 16 - 0.5;
      const r = clamp((src[p + ro] as number) + d * stepR);
      const g = clamp((src[p + 1] as number) + d * stepG);
      const b = clamp((src[p + bo] as number) + d * stepB);
      idx[i] = (LEVEL_R[r] as number) * MUL_R + (LEVEL_G[g] as number) * MUL_G + (LEVEL_B[b] as number);
    }
  }
}

// Clamp and truncate to 0..255.
function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v | 0;
}
