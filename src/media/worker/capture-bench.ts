// Measurements of the capture pipeline, run inside the media worker (OpenCV only lives there).
import { CaptureError } from '../../shared/errors.js';
import { median } from '../../shared/median.js';
import { encodeJpeg, fitMat, toPixels, type Pixels } from './cv-image.js';
import { openGrabber } from './grabbers.js';
import type { Cv } from './opencv.js';
import type { CaptureBench } from '../messages.js';


/** Reads up to `frames` frames of a file (looping), scales each into the box and JPEG-encodes it; times every step. */
export function benchCapture(cv: Cv, path: string, frames: number, box: { maxWidth: number; maxHeight: number }, quality: number): CaptureBench {
  const g = openGrabber(cv, { kind: 'file', path });
  const read: number[] = [], scale: number[] = [], enc: number[] = [], bytes: number[] = [];
  let width = 0, height = 0;
  const t0 = performance.now();
  try {
    for (let i = 0; i < frames; i++) {
      const a = performance.now();
      const cap = g.readSync();
      if (!cap) { if (!g.rewind()) break; i--; continue; }
      const b = performance.now();
      const small = fitMat(cv, cap, box.maxWidth, box.maxHeight);
      const c = performance.now();
      const out = encodeJpeg(cv, small, small.cols, small.rows, quality);
      const d = performance.now();
      read.push(b - a); scale.push(c - b); enc.push(d - c); bytes.push(out.jpeg.length);
      width = out.width; height = out.height;
    }
  } finally {
    void g.close();
  }
  const total = performance.now() - t0;
  return {
    width, height, frames: read.length, framesPerSecond: read.length / (total / 1000),
    readMs: median(read), scaleMs: median(scale), encodeMs: median(enc), jpegBytes: median(bytes),
  };
}

/** Decodes every frame of a file (no looping), at most maxFrames, as packed BGR. */
export function readAllFrames(cv: Cv, path: string, maxFrames: number): Pixels[] {
  const g = openGrabber(cv, { kind: 'file', path });
  const out: Pixels[] = [];
  try {
    for (let m = g.readSync(); m && out.length < maxFrames; m = g.readSync()) out.push(toPixels(cv, m));
  } finally {
    void g.close();
  }
  if (out.length === 0) throw new CaptureError('ERR_SOURCE_NOT_VIDEO', `${path} has no frames`);
  return out;
}
