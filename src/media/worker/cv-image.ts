// Image operations on OpenCV Mats inside the media worker: scale, JPEG encode, JPEG decode.
import { CaptureError, messageOf } from '../../shared/errors.js';
import { fitInside } from '../../shared/fit.js';
import type { Cv, CvMat } from './opencv.js';

export interface Pixels { data: Buffer; width: number; height: number }

/** Wraps packed BGR bytes as a Mat without copying. */
export function matFromBgr(cv: Cv, px: { data: Uint8Array; width: number; height: number }): CvMat {
  const buf = Buffer.isBuffer(px.data) ? px.data : Buffer.from(px.data.buffer, px.data.byteOffset, px.data.byteLength);
  return new cv.Mat(buf, px.height, px.width, cv.CV_8UC3);
}

/** Scales a Mat to fit in maxW x maxH (aspect kept, never enlarged) with area averaging. */
export function fitMat(cv: Cv, mat: CvMat, maxW: number, maxH: number): CvMat {
  const { width, height } = fitInside(mat.cols, mat.rows, maxW, maxH);
  if (width === mat.cols && height === mat.rows) return mat;
  return mat.resize(height, width, 0, 0, cv.INTER_AREA);
}

/**
 * Converts a Mat to packed 3-channel BGR pixels in a Buffer of their own. The explicit copy matters: the field notes
 * measured that transferring the getData() buffer of a frame from readAsync() (cameras, streams) to another thread
 * crashes, and a frame at its own size reaches here unscaled.
 */
export function toPixels(cv: Cv, mat: CvMat): Pixels {
  let m = mat;
  const ch = m.channels;
  if (ch === 1) m = m.cvtColor(cv.COLOR_GRAY2BGR);
  else if (ch === 4) m = m.cvtColor(cv.COLOR_BGRA2BGR);
  return { data: Buffer.from(m.getData()), width: m.cols, height: m.rows };
}

/** JPEG-encodes a Mat after fitting it into the box. */
export function encodeJpeg(cv: Cv, mat: CvMat, maxW: number, maxH: number, quality: number): { jpeg: Buffer; width: number; height: number } {
  const m = fitMat(cv, mat, maxW, maxH);
  const q = Math.max(1, Math.min(100, Math.round(quality)));
  return { jpeg: cv.imencode('.jpg', m, [cv.IMWRITE_JPEG_QUALITY, q]), width: m.cols, height: m.rows };
}

/** Decodes a JPEG (or PNG) to BGR, reduced while decoding when the box is much smaller; throws CaptureError on bad data. */
export function decodeImage(cv: Cv, bytes: Buffer, maxW?: number, maxH?: number): Pixels {
  let mat: CvMat;
  try {
    const flags = reduceFlag(cv, bytes, maxW, maxH);
    mat = cv.imdecode(bytes, flags);
  } catch (err) {
    throw new CaptureError('ERR_IMAGE_DECODE', `received image could not be decoded: ${messageOf(err)}`, { cause: err });
  }
  if (mat.empty || mat.cols === 0) throw new CaptureError('ERR_IMAGE_DECODE', 'received image could not be decoded');
  if (maxW !== undefined && maxH !== undefined) mat = fitMat(cv, mat, maxW, maxH);
  return toPixels(cv, mat);
}

// Picks IMREAD_REDUCED_COLOR_{2,4,8} when the JPEG's own size (from its SOF marker) is that many times the box.
function reduceFlag(cv: Cv, bytes: Buffer, maxW?: number, maxH?: number): number {
  if (maxW === undefined || maxH === undefined) return cv.IMREAD_COLOR;
  const size = jpegSize(bytes);
  if (!size) return cv.IMREAD_COLOR;
  const ratio = Math.min(size.width / maxW, size.height / maxH);
  if (ratio >= 8) return cv.IMREAD_REDUCED_COLOR_8;
  if (ratio >= 4) return cv.IMREAD_REDUCED_COLOR_4;
  if (ratio >= 2) return cv.IMREAD_REDUCED_COLOR_2;
  return cv.IMREAD_COLOR;
}

/** Reads width and height from a JPEG's first SOF marker; undefined when not found. */
function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
    }
    i += 2 + len;
  }
  return undefined;
}
