// A minimal PNG writer and reader (8-bit RGB, non-interlaced), pure and synchronous: what the kitty renderer sends
// as f=100 and the iTerm2 renderer sends when it has no JPEG of the right size, and what the payload decoders read.
import zlib from 'node:zlib';

/** An RGB picture: width * height * 3 bytes, R G B, row-major. */
export interface RgbPicture {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** CRC-32 table of the PNG spec (ISO 3309 polynomial). */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

// CRC-32 of the bytes (PNG chunk checksum).
function crc32(parts: readonly Uint8Array[]): number {
  let c = 0xffffffff;
  for (const b of parts) for (let i = 0; i < b.length; i++) c = (CRC_TABLE[(c ^ (b[i] as number)) & 255] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// One PNG chunk: length, type, data, CRC.
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32([head.subarray(4), data]), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Encode RGB rows (stride = width * 3, starting at `offset` in `rgb`) as PNG. Every row uses the "up" filter
 * (cheap, and on camera pictures within a few percent of adaptive filtering); zlib level 1 keeps it fast.
 */
export function encodePng(rgb: Uint8Array, width: number, height: number, level = 1, scratch?: { buf: Uint8Array }): Buffer {
  const stride = width * 3;
  const need = (stride + 1) * height;
  let raw = scratch?.buf;
  if (!raw || raw.length < need) {
    raw = new Uint8Array(need);
    if (scratch) scratch.buf = raw;
  }
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    const s = y * stride;
    if (y === 0) {
      raw[o] = 0;
      raw.set(rgb.subarray(s, s + stride), o + 1);
      continue;
    }
    raw[o] = 2;
    for (let x = 0; x < stride; x++) raw[o + 1 + x] = ((rgb[s + x] as number) - (rgb[s - stride + x] as number)) & 255;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const idat = zlib.deflateSync(raw.subarray(0, need), { level });
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/** Why a PNG could not be read. */
export class PngError extends Error {}

// Paeth predictor of the PNG spec.
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decode an 8-bit RGB or RGBA non-interlaced PNG (all five filters) to RGB; throws PngError on anything else. */
export function decodePng(png: Uint8Array, maxPixels = 16_000_000): RgbPicture {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (b.length < 8 || !b.subarray(0, 8).equals(SIGNATURE)) throw new PngError('not a PNG (bad signature)');
  let o = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (o + 8 <= b.length) {
    const len = b.readUInt32BE(o);
    const type = b.toString('latin1', o + 4, o + 8);
    const data = b.subarray(o + 8, o + 8 + len);
    if (data.length !== len) throw new PngError('truncated PNG chunk');
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || (data[9] !== 2 && data[9] !== 6) || data[12] !== 0) throw new PngError('only 8-bit RGB/RGBA non-interlaced PNG');
      channels = data[9] === 2 ? 3 : 4;
      if (width <= 0 || height <= 0 || width * height > maxPixels) throw new PngError(`PNG of ${width}x${height} is too large`);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    o += 12 + len;
  }
  if (!channels) throw new PngError('PNG without IHDR');
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(Buffer.concat(idat));
  } catch (err) {
    throw new PngError(`PNG data does not inflate: ${(err as Error).message}`);
  }
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new PngError('PNG data too short');
  const cur = new Uint8Array(stride);
  let prev = new Uint8Array(stride);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)] as number;
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (cur[x - channels] as number) : 0;
      const up = prev[x] as number;
      const c = x >= channels ? (prev[x - channels] as number) : 0;
      const v = row[x] as number;
      cur[x] = (f === 0 ? v : f === 1 ? v + a : f === 2 ? v + up : f === 3 ? v + ((a + up) >> 1) : f === 4 ? v + paeth(a, up, c) : v) & 255;
    }
    if (f > 4) throw new PngError(`bad PNG filter ${f}`);
    for (let x = 0, d = y * width * 3; x < width; x++, d += 3) {
      out[d] = cur[x * channels] as number;
      out[d + 1] = cur[x * channels + 1] as number;
      out[d + 2] = cur[x * channels + 2] as number;
    }
    prev = Uint8Array.from(cur);
  }
  return { width, height, data: out };
}
