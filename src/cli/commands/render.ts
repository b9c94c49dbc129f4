// `termcall render FILE`: the terminal bytes of one frame of an image or video on stdout, no terminal needed (for
// scripts, comparing renderers, and checking them with independent tools, the way chafa and timg can).
import { readFile, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { media, shutdownMedia } from '../../media/media.js';
import { chooseRenderer, detectCaps, type RenderRequest } from '../../render/caps.js';
import { createRenderer } from '../../render/table.js';
import { sixelRegisters as sixelRegistersOf } from '../../render/sixel.js';
import { CaptureError, UsageError } from '../../shared/errors.js';
import type { Frame } from '../../shared/frame.js';
import { MAX_FRAME_SIDE_PX, MAX_RENDER_CELL_SIDE_PX, MAX_RENDER_GRID_SIDE_CELLS, SIXEL_MAX_REGISTERS } from '../../shared/limits.js';

/** Options of `termcall render`. */
export interface RenderCommandOptions {
  file: string;
  render: RenderRequest;
  /** COLSxROWS */
  size: string;
  /** WxH cell size in pixels (default 8x16). */
  cell: string;
  /** 0-based frame of a video (images have one frame). */
  frame: number;
  /** Colour registers of the sixel terminal (default SIXEL_MAX_REGISTERS: no terminal to ask). */
  sixelRegisters?: number;
}

/** Image formats sharp decodes; anything else goes to the media worker as video. */
const IMAGE_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif', 'svg', 'ppm', 'pgm', 'pnm']);

// Parse "AxB" into two positive integers no larger than max, or throw a usage error naming the option.
export function parseDims(option: string, v: string, max: number): [number, number] {
  const m = /^(\d+)x(\d+)$/i.exec(v.trim());
  const a = m ? Number(m[1]) : NaN;
  const b = m ? Number(m[2]) : NaN;
  if (!m || !(a >= 1 && b >= 1 && a <= max && b <= max)) {
    throw new UsageError('ERR_USAGE', `${option} ${JSON.stringify(v)} must be WIDTHxHEIGHT with each side from 1 to ${max}`);
  }
  return [a, b];
}

// Decode an image file with sharp into a BGR frame (shrunk to MAX_FRAME_SIDE_PX), or null when it is no image.
async function readImage(file: string): Promise<Frame | null> {
  let format: string | undefined;
  try {
    format = (await sharp(file).metadata()).format;
  } catch {
    return null;
  }
  if (!format || !IMAGE_FORMATS.has(format)) return null;
  try {
    const { data, info } = await sharp(file).rotate().flatten({ background: '#000000' })
      .resize({ width: MAX_FRAME_SIDE_PX, height: MAX_FRAME_SIDE_PX, fit: 'inside', withoutEnlargement: true })
      .removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const bgr = new Uint8Array(info.width * info.height * 3);
    for (let i = 0; i < bgr.length; i += 3) {
      bgr[i] = data[i + 2] as number;
      bgr[i + 1] = data[i + 1] as number;
      bgr[i + 2] = data[i] as number;
    }
    // a JPEG shown as it is (not shrunk, not turned) can pass straight through to iTerm2 inline images
    const meta = await sharp(file).metadata();
    const asIs = format === 'jpeg' && meta.width === info.width && meta.height === info.height && (meta.orientation ?? 1) === 1;
    return { data: bgr, width: info.width, height: info.height, seq: 0, captureTs: 0, ...(asIs ? { jpeg: await readFile(file) } : {}) };
  } catch (err) {
    throw new CaptureError('ERR_IMAGE_DECODE', `${file} could not be decoded as an image: ${(err as Error).message}`, { cause: err });
  }
}

// The requested frame of a file: an image through sharp, a video through the media worker.
async function readFrame(file: string, index: number): Promise<Frame> {
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
  } catch {
    throw new CaptureError('ERR_SOURCE_NOT_FOUND', `${file} does not exist (or is not a file)`);
  }
  const img = await readImage(file);
  if (img) {
    if (index !== 0) throw new UsageError('ERR_USAGE', `${file} is an image: it has only frame 0`);
    return img;
  }
  try {
    const frames = await media().readAllFrames(file, index + 1);
    const f = frames[index];
    if (!f) throw new CaptureError('ERR_SOURCE_ENDED', `${file} has ${frames.length} frame${frames.length === 1 ? '' : 's'}: there is no frame ${index}`);
    return f;
  } finally {
    await shutdownMedia();
  }
}

/** Writes the terminal bytes of one frame of FILE drawn by a renderer into a COLSxROWS pane at the top-left. */
export async function runRender(o: RenderCommandOptions): Promise<number> {
  const [cols, rows] = parseDims('--size', o.size, MAX_RENDER_GRID_SIDE_CELLS);
  const [cw, ch] = parseDims('--cell', o.cell, MAX_RENDER_CELL_SIDE_PX);
  if (!(Number.isInteger(o.frame) && o.frame >= 0)) throw new UsageError('ERR_USAGE', `--frame ${String(o.frame)} must be a frame number (0, 1, …)`);
  // no terminal to ask: auto decides from the environment alone (COLORTERM, TERM)
  const { renderer: kind } = chooseRenderer(detectCaps(process.env), o.render);
  const frame = await readFrame(o.file, o.frame);
  const regs = o.sixelRegisters ?? SIXEL_MAX_REGISTERS;
  if (!(Number.isInteger(regs) && regs >= 1)) throw new UsageError('ERR_USAGE', `--sixel-registers ${String(o.sixelRegisters)} must be a count (1, 2, …)`);
  const sixelRegisters = sixelRegistersOf({ sixelColorRegisters: regs }).registers;
  const out = createRenderer(kind, { width: cw, height: ch }, { sixelRegisters }).render(frame, { col: 0, row: 0, cols, rows }, { full: true });
  await new Promise<void>((resolve, reject) => process.stdout.write(out, (err) => (err ? reject(err) : resolve())));
  return 0;
}
