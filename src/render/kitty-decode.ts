// A pure kitty graphics decoder: terminal bytes in (APC G commands, CUP, DECSC/DECRC), the images kitty would keep
// and where it places them out, rasterized to the screen's pixels — for tests and the fidelity bench.
import zlib from 'node:zlib';
import { decodePng, type RgbPicture } from './png.js';
import { scanEscapes, type ScanCursor } from './escape-scan.js';

/** One placed image, in cells plus a pixel offset; cols/rows 0: drawn at its own pixel size. */
export interface KittyPlacement {
  readonly imageId: number;
  readonly col: number;
  readonly row: number;
  readonly offsetX: number;
  readonly offsetY: number;
  readonly cols: number;
  readonly rows: number;
  /** Source rectangle shown (x, y, w, h keys); absent: the whole image. */
  readonly src?: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

/** Reads a file named by a t=f / t=t / t=s transfer (null: not there). */
export type KittyFileReader = (path: string, medium: 'f' | 't' | 's') => Uint8Array | null;

// Keys of one command: "a=T,i=5" → { a: 'T', i: '5' }.
function parseKeys(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of s.split(',')) {
    const eq = kv.indexOf('=');
    if (eq > 0) m.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return m;
}

/** What a kitty terminal holds after a byte stream: images by id, placements by image id, commands it refused. */
export class KittyModel {
  readonly images = new Map<number, RgbPicture>();
  readonly placements = new Map<number, KittyPlacement>();
  readonly errors: string[] = [];
  /** Transmission commands seen (a=t / a=T), and the largest base64 payload of one escape. */
  transmissions = 0;
  maxChunkBytes = 0;
  private pending: { keys: Map<string, string>; parts: string[] } | null = null;

  constructor(private readonly readFile: KittyFileReader | null = null) {}

  // Feed terminal bytes (whole escapes; split escapes across calls are not supported).
  feed(bytes: Uint8Array): void {
    const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    scanEscapes(s, (kind, body, at) => {
      if (kind === 'apc' && body.startsWith('G')) this.command(body.slice(1), at);
    });
  }

  // One APC G body: keys ; payload.
  private command(body: string, at: ScanCursor): void {
    const semi = body.indexOf(';');
    const keyText = semi >= 0 ? body.slice(0, semi) : body;
    const payload = semi >= 0 ? body.slice(semi + 1) : '';
    this.maxChunkBytes = Math.max(this.maxChunkBytes, payload.length);
    const keys = parseKeys(keyText);
    if (this.pending) {
      this.pending.parts.push(payload);
      if (keys.get('m') !== '1') {
        const p = this.pending;
        this.pending = null;
        this.run(p.keys, p.parts.join(''), at);
      }
      return;
    }
    if (keys.get('m') === '1') {
      this.pending = { keys, parts: [payload] };
      return;
    }
    this.run(keys, payload, at);
  }

  // Act on a complete command.
  private run(keys: Map<string, string>, b64: string, at: ScanCursor): void {
    const a = keys.get('a') ?? 't';
    const id = Number(keys.get('i') ?? '0');
    if (a === 'q') return;
    if (a === 'd') {
      const d = keys.get('d') ?? 'a';
      if (d === 'a' || d === 'A') {
        this.placements.clear();
        if (d === 'A') this.images.clear();
      } else if (d === 'i' || d === 'I') {
        this.placements.delete(id);
        if (d === 'I') this.images.delete(id);
      }
      return;
    }
    if (a === 't' || a === 'T') {
      this.transmissions++;
      const pic = this.decodeImage(keys, b64);
      if (!pic) return;
      this.images.set(id, pic);
    }
    if (a === 'T' || a === 'p') {
      if (!this.images.has(id)) {
        this.errors.push(`ENOENT: place of image ${id} that does not exist`);
        return;
      }
      this.placements.set(id, {
        imageId: id, col: at.col, row: at.row,
        offsetX: Number(keys.get('X') ?? '0'), offsetY: Number(keys.get('Y') ?? '0'),
        cols: Number(keys.get('c') ?? '0'), rows: Number(keys.get('r') ?? '0'),
        ...(keys.has('w') || keys.has('h') ? {
          src: { x: Number(keys.get('x') ?? '0'), y: Number(keys.get('y') ?? '0'), width: Number(keys.get('w') ?? '0'), height: Number(keys.get('h') ?? '0') },
        } : {}),
      });
    }
  }

  // The pixels of a transmission, or null (counted in errors).
  private decodeImage(keys: Map<string, string>, b64: string): RgbPicture | null {
    const f = Number(keys.get('f') ?? '32');
    const t = keys.get('t') ?? 'd';
    let data: Uint8Array | null = Buffer.from(b64, 'base64');
    if (t !== 'd') {
      const path = Buffer.from(data).toString('utf8');
      data = this.readFile ? this.readFile(path, t as 'f' | 't' | 's') : null;
      if (!data) {
        this.errors.push(`EBADF: cannot read ${t}=${path}`);
        return null;
      }
    }
    try {
      if (keys.get('o') === 'z') data = zlib.inflateSync(data);
      if (f === 100) return decodePng(data);
      const w = Number(keys.get('s') ?? '0');
      const h = Number(keys.get('v') ?? '0');
      const ch = f === 24 ? 3 : 4;
      if (w <= 0 || h <= 0 || data.length < w * h * ch) throw new Error(`EINVAL: ${data.length} bytes for ${w}x${h}x${ch}`);
      if (ch === 3) return { width: w, height: h, data: data.subarray(0, w * h * 3) };
      const rgb = new Uint8Array(w * h * 3);
      for (let p = 0, q = 0; p < w * h; p++, q += 4) rgb.set(data.subarray(q, q + 3), p * 3);
      return { width: w, height: h, data: rgb };
    } catch (err) {
      this.errors.push((err as Error).message);
      return null;
    }
  }

  /** The screen as kitty would draw it: black, with every placement (stretched bilinearly when it has c/r). */
  rasterize(widthPx: number, heightPx: number, cell: { width: number; height: number }): RgbPicture {
    const out = new Uint8Array(widthPx * heightPx * 3);
    for (const p of this.placements.values()) {
      const img = this.images.get(p.imageId);
      if (img) drawPlacement(out, widthPx, heightPx, img, p, cell);
    }
    return { width: widthPx, height: heightPx, data: out };
  }
}

// Draw one image into the canvas at its placement (1:1, or bilinear over cols x rows cells, or over dest pixels).
export function drawPlacement(out: Uint8Array, W: number, H: number, whole: RgbPicture, p: KittyPlacement,
  cell: { width: number; height: number }, dest?: { width: number; height: number }): void {
  const img = p.src ? cropPicture(whole, p.src) : whole;
  if (img.width <= 0 || img.height <= 0) return;
  const x0 = p.col * cell.width + p.offsetX;
  const y0 = p.row * cell.height + p.offsetY;
  const dw = dest ? dest.width : p.cols > 0 ? p.cols * cell.width : img.width;
  const dh = dest ? dest.height : p.rows > 0 ? p.rows * cell.height : img.height;
  const sx = img.width / dw;
  const sy = img.height / dh;
  for (let y = 0; y < dh; y++) {
    const Y = y0 + y;
    if (Y < 0 || Y >= H) continue;
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const iy = Math.min(img.height - 1, Math.floor(fy));
    const iy2 = Math.min(img.height - 1, iy + 1);
    const wy = fy - iy;
    for (let x = 0; x < dw; x++) {
      const X = x0 + x;
      if (X < 0 || X >= W) continue;
      const fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const ix = Math.min(img.width - 1, Math.floor(fx));
      const ix2 = Math.min(img.width - 1, ix + 1);
      const wx = fx - ix;
      const d = (Y * W + X) * 3;
      for (let c = 0; c < 3; c++) {
        const a = img.data[(iy * img.width + ix) * 3 + c] as number;
        const b = img.data[(iy * img.width + ix2) * 3 + c] as number;
        const e = img.data[(iy2 * img.width + ix) * 3 + c] as number;
        const f = img.data[(iy2 * img.width + ix2) * 3 + c] as number;
        out[d + c] = Math.round((a * (1 - wx) + b * wx) * (1 - wy) + (e * (1 - wx) + f * wx) * wy);
      }
    }
  }
}

// The part of a picture inside a rectangle (clamped to it; a width or height of 0 means "to the edge").
function cropPicture(img: RgbPicture, r: { x: number; y: number; width: number; height: number }): RgbPicture {
  const x = Math.min(img.width, Math.max(0, r.x));
  const y = Math.min(img.height, Math.max(0, r.y));
  const w = Math.min(img.width - x, r.width > 0 ? r.width : img.width - x);
  const h = Math.min(img.height - y, r.height > 0 ? r.height : img.height - y);
  const data = new Uint8Array(Math.max(0, w * h * 3));
  for (let row = 0; row < h; row++) data.set(img.data.subarray(((y + row) * img.width + x) * 3, ((y + row) * img.width + x + w) * 3), row * w * 3);
  return { width: w, height: h, data };
}
