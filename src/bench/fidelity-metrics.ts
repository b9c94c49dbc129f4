// Picture-quality metrics of the fidelity bench: PSNR on RGB, PSNR of 3x3 box-blurred luma, and SSIM on luma.

import type { RgbImage } from './cell-screen.js';

/** PSNR reported for identical pictures (infinite PSNR). */
export const FIDELITY_PSNR_CAP_DB = 99;

// PSNR (dB) of two same-sized RGB pictures over all pixels and channels.
export function psnrRgb(a: RgbImage, b: RgbImage): number {
  checkSame(a, b);
  let se = 0;
  const n = a.width * a.height * 3;
  for (let i = 0; i < n; i++) {
    const d = (a.data[i] as number) - (b.data[i] as number);
    se += d * d;
  }
  return psnrFromSe(se, n);
}

// Rec. 601 luma of an RGB picture.
export function luma(img: RgbImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const d = img.data;
  for (let i = 0, p = 0; i < n; i++, p += 3) out[i] = 0.299 * (d[p] as number) + 0.587 * (d[p + 1] as number) + 0.114 * (d[p + 2] as number);
  return out;
}

// 3x3 box blur of a plane (edges clamped).
export function boxBlur3(src: Float32Array, w: number, h: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      tmp[o + x] = (src[o + Math.max(0, x - 1)] as number) + (src[o + x] as number) + (src[o + Math.min(w - 1, x + 1)] as number);
    }
  }
  for (let y = 0; y < h; y++) {
    const up = Math.max(0, y - 1) * w;
    const dn = Math.min(h - 1, y + 1) * w;
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = ((tmp[up + x] as number) + (tmp[o + x] as number) + (tmp[dn + x] as number)) / 9;
  }
  return out;
}

// PSNR (dB) of the 3x3 box-blurred luma of two pictures: what the eye integrates over a dither.
export function blurLumaPsnr(a: RgbImage, b: RgbImage): number {
  checkSame(a, b);
  const la = boxBlur3(luma(a), a.width, a.height);
  const lb = boxBlur3(luma(b), b.width, b.height);
  let se = 0;
  for (let i = 0; i < la.length; i++) {
    const d = (la[i] as number) - (lb[i] as number);
    se += d * d;
  }
  return psnrFromSe(se, la.length);
}

/** SSIM window: Gaussian, 11 taps, sigma 1.5 (Wang et al. 2004). */
const GAUSS: Float32Array = (() => {
  const k = new Float32Array(11);
  let s = 0;
  for (let i = 0; i < 11; i++) s += k[i] = Math.exp(-((i - 5) ** 2) / (2 * 1.5 * 1.5));
  for (let i = 0; i < 11; i++) k[i] = (k[i] as number) / s;
  return k;
})();

// Separable Gaussian filter of a plane (edges clamped).
function gauss(src: Float32Array, w: number, h: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -5; k <= 5; k++) s += (GAUSS[k + 5] as number) * (src[o + Math.min(w - 1, Math.max(0, x + k))] as number);
      tmp[o + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -5; k <= 5; k++) s += (GAUSS[k + 5] as number) * (tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x] as number);
      out[y * w + x] = s;
    }
  }
  return out;
}

// Mean SSIM of the luma of two pictures (Gaussian window 11x11, sigma 1.5; K1 0.01, K2 0.03, L 255).
export function ssimLuma(a: RgbImage, b: RgbImage): number {
  checkSame(a, b);
  const w = a.width;
  const h = a.height;
  const x = luma(a);
  const y = luma(b);
  const n = w * h;
  const xx = new Float32Array(n);
  const yy = new Float32Array(n);
  const xy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = x[i] as number;
    const q = y[i] as number;
    xx[i] = p * p;
    yy[i] = q * q;
    xy[i] = p * q;
  }
  const mx = gauss(x, w, h);
  const my = gauss(y, w, h);
  const sxx = gauss(xx, w, h);
  const syy = gauss(yy, w, h);
  const sxy = gauss(xy, w, h);
  const C1 = (0.01 * 255) ** 2;
  const C2 = (0.03 * 255) ** 2;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const ux = mx[i] as number;
    const uy = my[i] as number;
    const vx = (sxx[i] as number) - ux * ux;
    const vy = (syy[i] as number) - uy * uy;
    const cxy = (sxy[i] as number) - ux * uy;
    sum += ((2 * ux * uy + C1) * (2 * cxy + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
  }
  return n > 0 ? sum / n : 1;
}

// PSNR from a sum of squared errors over n samples.
function psnrFromSe(se: number, n: number): number {
  if (se === 0 || n === 0) return FIDELITY_PSNR_CAP_DB;
  return Math.min(FIDELITY_PSNR_CAP_DB, 10 * Math.log10((255 * 255 * n) / se));
}

// Throw unless two pictures have the same size.
function checkSame(a: RgbImage, b: RgbImage): void {
  if (a.width !== b.width || a.height !== b.height) throw new RangeError(`picture sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
}
