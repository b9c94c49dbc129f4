// The fidelity bench's reference picture: a source frame scaled to the viewer's pixel size (letterboxed like the
// renderers: aspect kept, black bars), bilinear when enlarging, area-averaged when shrinking.

import type { Frame } from '../shared/frame.js';
import { FrameScaler, fitContent } from '../render/scale.js';
import type { RgbImage } from './cell-screen.js';

// The source frame (BGR) as an RGB picture of width x height with square pixels.
export function referencePicture(frame: Frame, width: number, height: number): RgbImage {
  const box = fitContent(frame.width, frame.height, width, height, 1);
  if (box.width <= frame.width && box.height <= frame.height) {
    const g = new FrameScaler().scale(frame, width, height, 1);
    return { data: g.data.slice(), width, height };
  }
  const out = new Uint8Array(width * height * 3);
  const src = frame.data;
  const sw = frame.width;
  const sh = frame.height;
  for (let y = 0; y < box.height; y++) {
    const fy = Math.max(0, Math.min(sh - 1, ((y + 0.5) * sh) / box.height - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < box.width; x++) {
      const fx = Math.max(0, Math.min(sw - 1, ((x + 0.5) * sw) / box.width - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const wx = fx - x0;
      const o = ((box.y + y) * width + box.x + x) * 3;
      for (let c = 0; c < 3; c++) {
        const a = (src[(y0 * sw + x0) * 3 + c] as number) * (1 - wx) + (src[(y0 * sw + x1) * 3 + c] as number) * wx;
        const b = (src[(y1 * sw + x0) * 3 + c] as number) * (1 - wx) + (src[(y1 * sw + x1) * 3 + c] as number) * wx;
        out[o + 2 - c] = a * (1 - wy) + b * wy + 0.5; // BGR → RGB
      }
    }
  }
  return { data: out, width, height };
}

// A frame's pixels as an RGB picture (no scaling).
export function frameRgb(frame: Frame): RgbImage {
  const n = frame.width * frame.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n * 3; i += 3) {
    out[i] = frame.data[i + 2] as number;
    out[i + 1] = frame.data[i + 1] as number;
    out[i + 2] = frame.data[i] as number;
  }
  return { data: out, width: frame.width, height: frame.height };
}

// A camera-like copy of a clip: deterministic Gaussian-ish sensor noise (sigma in levels) added to every pixel.
export function cameraLike(frames: readonly Frame[], sigma = 6): Frame[] {
  let seed = 0x9e3779b9;
  const rnd = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  return frames.map((f) => {
    const d = new Uint8Array(f.data.length);
    for (let i = 0; i < d.length; i++) {
      const noise = (rnd() + rnd() + rnd() - 1.5) * 2 * sigma; // sum of 3 uniforms: sd = sigma
      const v = (f.data[i] as number) + noise;
      d[i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    return { ...f, data: d };
  });
}
