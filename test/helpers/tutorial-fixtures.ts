// Shared by the tutorial-wire tests: the fixture manifests' frame type, hashing, and the Python programs' test pattern.
import { createHash } from 'node:crypto';
import type { BgrImage } from '../../src/tutorial/pickle.js';

/** One frame as a fixture manifest (fixtures/pickle, fixtures/raw) describes it. */
export interface FrameInfo {
  width: number;
  height: number;
  channels: number;
  sha256: string;
}

/** sha256 hex of bytes. */
export function sha(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The test pattern of test/python/tutorial_common.py. */
export function pattern(index: number, width: number, height: number): BgrImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = (x * 7 + index * 5) % 256;
      data[o + 1] = (y * 11 + index * 3) % 256;
      data[o + 2] = (x * 3 + y * 5 + index * 17) % 256;
    }
  }
  return { data, width, height };
}
