// The `pixel` section of `termcall bench`: the kitty payloads and iTerm2's JPEG pass-through at 640x480, each frame's
// bytes decoded again (pure decoders) and compared with the source, plus the kitty picture under a 4 Mbit/s budget.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Frame } from '../shared/frame.js';
import { median } from '../shared/median.js';
import { createKittyRenderer, type KittyPayload } from '../render/kitty.js';
import { KittyModel } from '../render/kitty-decode.js';
import { createIterm2Renderer } from '../render/iterm2.js';
import { parseIterm2 } from '../render/iterm2-decode.js';
import { createKittyFileSink } from '../terminal/kitty-files.js';

/** One `pixel` entry. */
export interface PixelBenchEntry {
  renderer: 'kitty' | 'iterm2';
  payload: string;
  /** Size of the picture sent (the budget may shrink it) and of the pane it fills. */
  width: number;
  height: number;
  /** Median CPU time of one render call (scale + encode + file write), ms. */
  msPerFrame: number;
  /** Mean bytes written to the terminal per frame. */
  bytesPerFrame: number;
  /** Mean PSNR (dB, 99 = lossless) of the decoded payload, as the terminal shows it over the pane, vs the source. */
  psnrDb?: number;
  budgetKbps?: number;
  /** Frames per second that fit into the budget at these bytes. */
  fpsInBudget?: number;
  /** iTerm2: the JPEG's bytes, and bytes written per JPEG byte / per base64 byte of it. */
  jpegBytesPerFrame?: number;
  bytesPerJpegByte?: number;
  bytesPerBase64Byte?: number;
}

/** Encodes a frame as the wire does (box, quality), for the iTerm2 pass-through. */
export type JpegEncode = (f: Frame, box: { maxWidth: number; maxHeight: number }, quality: number) => Promise<{ jpeg: Uint8Array; width: number; height: number }>;
/** Decodes a JPEG to a frame (the media worker's). */
export type JpegDecode = (jpeg: Uint8Array) => Promise<Frame>;

// PSNR of an RGB canvas against the BGR source at the same size.
function psnrBgr(rgb: Uint8Array, f: Frame): number {
  let se = 0;
  const n = f.width * f.height;
  for (let i = 0; i < n; i++) {
    const r = (rgb[i * 3] as number) - (f.data[i * 3 + 2] as number);
    const g = (rgb[i * 3 + 1] as number) - (f.data[i * 3 + 1] as number);
    const b = (rgb[i * 3 + 2] as number) - (f.data[i * 3] as number);
    se += r * r + g * g + b * b;
  }
  return se === 0 ? 99 : Math.min(99, 10 * Math.log10((255 * 255) / (se / (n * 3))));
}

/** The section: kitty zlib / png / raw / file and budgeted, iTerm2 JPEG, over the frames (at their own size). */
export async function benchPixel(frames: readonly Frame[], encode: JpegEncode, decode: JpegDecode): Promise<PixelBenchEntry[]> {
  const out: PixelBenchEntry[] = [];
  const first = frames[0];
  if (!first) return out;
  const cell = { width: 8, height: 16 };
  const rect = { col: 0, row: 0, cols: Math.ceil(first.width / cell.width), rows: Math.ceil(first.height / cell.height) };
  const paneW = rect.cols * cell.width;
  const paneH = rect.rows * cell.height;
  const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'termcall-bench-'));
  try {
    const runs: { payload: KittyPayload; kbps: number }[] = [
      { payload: 'file', kbps: 0 }, { payload: 'zlib', kbps: 0 }, { payload: 'png', kbps: 0 }, { payload: 'raw', kbps: 0 },
      { payload: 'zlib', kbps: 4000 }, { payload: 'png', kbps: 4000 },
    ];
    for (const run of runs) {
      const files = run.payload === 'file' ? createKittyFileSink(dir, 'bench') : null;
      const k = createKittyRenderer({ cellWidthPx: cell.width, cellHeightPx: cell.height, payload: run.payload, files, maxKbps: run.kbps, imageId: 1 });
      const ms: number[] = [];
      let bytes = 0;
      let db = 0;
      for (const f of frames) {
        const c0 = process.cpuUsage();
        const b = k.render(f, rect);
        const c = process.cpuUsage(c0);
        ms.push((c.user + c.system) / 1000);
        bytes += b.length;
        const model = new KittyModel((p) => (fs.existsSync(p) ? fs.readFileSync(p) : null));
        model.feed(b);
        const canvas = model.rasterize(paneW, paneH, cell);
        db += psnrBgr(cropCanvas(canvas.data, paneW, first.width, first.height), f);
      }
      files?.close();
      const per = bytes / frames.length;
      out.push({
        renderer: 'kitty', payload: run.payload, width: k.lastImage.width, height: k.lastImage.height, msPerFrame: median(ms),
        bytesPerFrame: per, psnrDb: db / frames.length,
        ...(run.kbps ? { budgetKbps: run.kbps, fpsInBudget: (run.kbps * 1000) / 8 / per } : {}),
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // iTerm2: the wire's JPEG of each frame at its own size, decoded as a call does, passed through
  const it = createIterm2Renderer({ cellWidthPx: cell.width, cellHeightPx: cell.height });
  const ms: number[] = [];
  let bytes = 0;
  let jpegBytes = 0;
  let db = 0;
  for (const f of frames) {
    const enc = await encode(f, { maxWidth: f.width, maxHeight: f.height }, 60);
    const dec = await decode(enc.jpeg);
    const c0 = process.cpuUsage();
    const b = it.render({ ...dec, jpeg: enc.jpeg }, rect);
    const c = process.cpuUsage(c0);
    ms.push((c.user + c.system) / 1000);
    bytes += b.length;
    jpegBytes += enc.jpeg.length;
    const img = parseIterm2(b)[0];
    if (img) db += psnrBgr(bgrToRgb((await decode(img.data)).data), f);
  }
  out.push({
    renderer: 'iterm2', payload: `jpeg (${it.sent.jpeg} of ${frames.length} passed through)`, width: first.width, height: first.height,
    msPerFrame: median(ms), bytesPerFrame: bytes / frames.length, psnrDb: db / frames.length, jpegBytesPerFrame: jpegBytes / frames.length,
    bytesPerJpegByte: bytes / jpegBytes, bytesPerBase64Byte: bytes / ((jpegBytes * 4) / 3),
    fpsInBudget: (4000 * 1000) / 8 / (bytes / frames.length), budgetKbps: 4000,
  });
  return out;
}

// The top-left w x h of a canvas of width W (RGB).
function cropCanvas(rgb: Uint8Array, W: number, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) out.set(rgb.subarray(y * W * 3, (y * W + w) * 3), y * w * 3);
  return out;
}

// BGR → RGB copy.
function bgrToRgb(bgr: Uint8Array): Uint8Array {
  const out = new Uint8Array(bgr.length);
  for (let i = 0; i < bgr.length; i += 3) {
    out[i] = bgr[i + 2] as number;
    out[i + 1] = bgr[i + 1] as number;
    out[i + 2] = bgr[i] as number;
  }
  return out;
}
