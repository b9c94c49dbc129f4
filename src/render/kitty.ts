// kitty graphics protocol renderer (kitty, Ghostty, WezTerm, Konsole): frame → one RGB image placed at the pane,
// replacing the previous one inside a synchronized update. Spec: https://sw.kovidgoyal.net/kitty/graphics-protocol/
import zlib from 'node:zlib';
import type { Frame } from '../shared/frame.js';
import {
  BUDGET_TARGET_FPS, DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX, KITTY_ASSUMED_LINK_KBPS, KITTY_CHUNK_BYTES,
  KITTY_PAYLOAD_TRIALS, MAX_PIXEL_IMAGE_SIDE_PX, MIN_PIXEL_PANE_CELLS,
} from '../shared/limits.js';
import { ByteWriter } from './byte-writer.js';
import { encodePng } from './png.js';
import { BudgetScaler, pixelPlacement, type PixelPlacement } from './pixel-fit.js';
import { FrameScaler } from './scale.js';
import { BSU, ESU, type CellRect, type FrameRenderer, type RenderOptions } from './types.js';

/** How the pixels travel: raw RGB deflated (o=z), PNG (f=100), raw RGB uncompressed, or a temporary file (t=t). */
export type KittyPayload = 'zlib' | 'png' | 'raw' | 'file';

/** Writes a frame's RGB bytes where the (local) terminal can read them; returns the path, or null when it cannot. */
export interface KittyFileSink {
  write(rgb: Uint8Array): string | null;
  /** Remove every file still there. */
  close(): void;
}

/** Options of the kitty renderer. */
export interface KittyRendererOptions {
  readonly cellWidthPx?: number;
  readonly cellHeightPx?: number;
  /** Fixed payload, or 'auto': a file when a sink is given, else the cheaper of zlib and PNG by measurement. */
  readonly payload?: KittyPayload | 'auto';
  /** Temporary-file writer for t=t (only when the terminal runs on this machine). */
  readonly files?: KittyFileSink | null;
  /** First of the two image ids this renderer alternates between (default: a fresh pair per renderer). */
  readonly imageId?: number;
  /** Output budget in kbit/s (0: none): the picture shrinks so BUDGET_TARGET_FPS frames fit. */
  readonly maxKbps?: number;
  /** Clock for the payload measurement (ms); default performance.now. */
  readonly now?: () => number;
  /** Ask kitty to answer each transmission (OK or an error) instead of staying quiet (q=2): for the bench's pacing. */
  readonly replies?: boolean;
}

/** A kitty renderer: also says what it sends and can remove its images. */
export interface KittyRenderer extends FrameRenderer {
  readonly kind: 'kitty';
  /** The payload in use (after the auto choice settled: before it, the one being tried). */
  readonly payload: KittyPayload;
  /** Pixel size of the last image sent (0x0 before the first). */
  readonly lastImage: { readonly width: number; readonly height: number };
  setBudget(maxKbps: number): void;
  clear(): Buffer;
  describe(): string;
}

const EMPTY = Buffer.alloc(0);
const APC = Buffer.from('\x1b_G', 'latin1');
const ST = Buffer.from('\x1b\\', 'latin1');
let nextImageId = 0x5443_0000; // "TC": far from the small ids other programs pick

/** Bytes that delete one image and free its data (a=d, d=I), responses off. */
export function kittyDeleteBytes(id: number): Buffer {
  return Buffer.from(`\x1b_Ga=d,d=I,i=${id},q=2\x1b\\`, 'latin1');
}

// Append `payload` as base64 in ≤ KITTY_CHUNK_BYTES chunks: the first escape carries the keys, the rest only m.
function writeChunked(out: ByteWriter, keys: string, payload: Uint8Array): void {
  const b64 = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64');
  const n = Math.max(1, Math.ceil(b64.length / KITTY_CHUNK_BYTES));
  out.ensure(b64.length + n * 24 + keys.length);
  for (let i = 0; i < n; i++) {
    const part = b64.slice(i * KITTY_CHUNK_BYTES, (i + 1) * KITTY_CHUNK_BYTES);
    const more = i < n - 1 ? 1 : 0;
    out.bytes(APC);
    out.len += out.buf.write(i === 0 ? `${keys},m=${more};` : `m=${more};`, out.len, 'latin1');
    out.len += out.buf.write(part, out.len, 'latin1');
    out.bytes(ST);
  }
}

// Drop the two lowest bits of every sample (rounded to the middle of the step), in place.
function quantize(px: Uint8Array): void {
  for (let i = 0; i < px.length; i++) px[i] = ((px[i] as number) & 0xfc) | 2;
}

// Create a kitty graphics renderer.
export function createKittyRenderer(opts: KittyRendererOptions = {}): KittyRenderer {
  const cell = {
    width: opts.cellWidthPx && opts.cellWidthPx > 0 ? opts.cellWidthPx : DEFAULT_CELL_WIDTH_PX,
    height: opts.cellHeightPx && opts.cellHeightPx > 0 ? opts.cellHeightPx : DEFAULT_CELL_HEIGHT_PX,
  };
  const ids = [opts.imageId ?? nextImageId, (opts.imageId ?? nextImageId) + 1] as const;
  if (opts.imageId === undefined) nextImageId += 2;
  const now = opts.now ?? (() => performance.now());
  const files = opts.files ?? null;
  const scaler = new FrameScaler();
  const out = new ByteWriter(256 * 1024);
  const pngScratch = { buf: new Uint8Array(0) };
  const budget = new BudgetScaler(opts.maxKbps ?? 0, BUDGET_TARGET_FPS);
  const fixed = opts.payload && opts.payload !== 'auto' ? opts.payload : null;
  // auto: a file locally; otherwise time zlib and PNG for a few frames each and keep the cheaper
  const trials: Record<'zlib' | 'png', number[]> = { zlib: [], png: [] };
  let payload: KittyPayload = fixed ?? (files ? 'file' : 'zlib');
  let settled = fixed !== null || files !== null;
  let shown = -1; // index into ids of the image on screen, -1 none
  let last = { width: 0, height: 0 };

  // Cost of one frame in ms: encoding time plus time on the link (the budget, else an assumed fast link).
  const cost = (ms: number, bytes: number): number => ms + (bytes * 8) / (budget.kbps > 0 ? budget.kbps : KITTY_ASSUMED_LINK_KBPS);

  // After a timed frame: note its cost, switch payload while trying, settle on the cheaper one.
  const measure = (p: KittyPayload, ms: number, bytes: number): void => {
    if (settled || (p !== 'zlib' && p !== 'png')) return;
    trials[p].push(cost(ms, bytes));
    if (trials.zlib.length < KITTY_PAYLOAD_TRIALS) payload = 'zlib';
    else if (trials.png.length < KITTY_PAYLOAD_TRIALS) payload = 'png';
    else {
      const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
      payload = mean(trials.png) < mean(trials.zlib) ? 'png' : 'zlib';
      settled = true;
    }
  };

  // Bytes that remove the image on screen (if any).
  const clearBytes = (): Buffer => {
    if (shown < 0) return EMPTY;
    const b = kittyDeleteBytes(ids[shown] as number);
    shown = -1;
    return b;
  };

  const renderer: KittyRenderer = {
    kind: 'kitty',
    get payload() {
      return payload;
    },
    get lastImage() {
      return last;
    },
    setBudget(maxKbps: number): void {
      budget.setKbps(maxKbps);
    },
    invalidate(): void {
      // the next render replaces whatever is shown anyway
    },
    clear: clearBytes,
    describe(): string {
      const size = last.width > 0 ? ` ${last.width}x${last.height}` : '';
      return `kitty ${payload}${size}${budget.note()}`;
    },
    render(frame: Frame, rect: CellRect, _opts?: RenderOptions): Buffer {
      if (rect.cols < MIN_PIXEL_PANE_CELLS || rect.rows < MIN_PIXEL_PANE_CELLS || frame.width <= 0 || frame.height <= 0 ||
        frame.data.length < frame.width * frame.height * 3) {
        return clearBytes();
      }
      const place: PixelPlacement = pixelPlacement(frame, rect, cell, budget.scale, MAX_PIXEL_IMAGE_SIDE_PX);
      const grid = scaler.scale(frame, place.image.width, place.image.height, 1);
      const t0 = now();
      const next = shown === 0 ? 1 : 0;
      const id = ids[next] as number;
      out.reset();
      out.ensure(96);
      out.bytes(BSU);
      out.cup(place.row, place.col);
      let keys = `a=T,i=${id},p=1,${opts.replies ? '' : 'q=2,'}C=1,s=${grid.width},v=${grid.height}`;
      if (place.offsetX > 0) keys += `,X=${place.offsetX}`;
      if (place.offsetY > 0) keys += `,Y=${place.offsetY}`;
      if (place.cols > 0) keys += `,c=${place.cols},r=${place.rows}`;
      if (place.crop) keys += `,x=${place.crop.x},y=${place.crop.y},w=${place.crop.width},h=${place.crop.height}`;
      const used = payload;
      // under a budget, inline pictures lose their 2 lowest bits (invisible, ~45 dB) and deflate harder: ~2x smaller
      const squeeze = budget.kbps > 0 && used !== 'file' && used !== 'raw';
      if (squeeze) quantize(grid.data);
      const level = squeeze ? 6 : 1;
      let path: string | null = null;
      if (used === 'file' && files) path = files.write(grid.data);
      if (path !== null) {
        writeChunked(out, `${keys},f=24,t=t`, Buffer.from(path, 'utf8'));
      } else if (used === 'png') {
        writeChunked(out, `${keys},f=100`, encodePng(grid.data, grid.width, grid.height, level, pngScratch));
      } else if (used === 'raw') {
        writeChunked(out, `${keys},f=24`, grid.data);
      } else {
        writeChunked(out, `${keys},f=24,o=z`, zlib.deflateSync(grid.data, { level }));
      }
      if (shown >= 0) {
        out.ensure(48);
        out.bytes(kittyDeleteBytes(ids[shown] as number));
      }
      out.ensure(16);
      out.bytes(ESU);
      shown = next;
      last = { width: grid.width, height: grid.height };
      const bytes = out.len;
      measure(used, now() - t0, bytes);
      budget.record(bytes);
      return out.take();
    },
  };
  return renderer;
}
