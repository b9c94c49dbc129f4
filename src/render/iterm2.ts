// iTerm2 inline images (OSC 1337 ; File=inline=1 …), which take JPEG (iTerm2, WezTerm, mintty, VS Code's terminal):
// a frame that came as a JPEG goes to the terminal as that JPEG, untouched; other frames (the local preview) as PNG.
// Spec: https://iterm2.com/documentation-images.html
import type { Frame } from '../shared/frame.js';
import { BUDGET_TARGET_FPS, DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX, MAX_PIXEL_IMAGE_SIDE_PX, MIN_PIXEL_PANE_CELLS } from '../shared/limits.js';
import { ByteWriter } from './byte-writer.js';
import { encodePng } from './png.js';
import { BudgetScaler, pixelPlacement } from './pixel-fit.js';
import { FrameScaler } from './scale.js';
import { BSU, ESU, type CellRect, type FrameRenderer, type RenderOptions } from './types.js';

/** Options of the iTerm2 renderer. */
export interface Iterm2RendererOptions {
  readonly cellWidthPx?: number;
  readonly cellHeightPx?: number;
  /** Output budget in kbit/s (0: none): PNG pictures shrink to fit it; JPEGs pass as they are (the pacer lowers fps). */
  readonly maxKbps?: number;
}

/** An iTerm2 renderer: also counts how each frame was sent. */
export interface Iterm2Renderer extends FrameRenderer {
  readonly kind: 'iterm2';
  /** Frames sent as the received JPEG, untouched, and frames encoded here as PNG. */
  readonly sent: { jpeg: number; png: number };
}

const EMPTY = Buffer.alloc(0);
const BEL = 0x07;

/** The OSC 1337 header for an inline image of `size` bytes drawn over width x height (iTerm2 units: N cells, Npx). */
export function iterm2Header(size: number, width: string, height: string): string {
  return `\x1b]1337;File=inline=1;size=${size};width=${width};height=${height};preserveAspectRatio=0:`;
}

// Create an iTerm2 inline-image renderer.
export function createIterm2Renderer(opts: Iterm2RendererOptions = {}): Iterm2Renderer {
  const cell = {
    width: opts.cellWidthPx && opts.cellWidthPx > 0 ? opts.cellWidthPx : DEFAULT_CELL_WIDTH_PX,
    height: opts.cellHeightPx && opts.cellHeightPx > 0 ? opts.cellHeightPx : DEFAULT_CELL_HEIGHT_PX,
  };
  const scaler = new FrameScaler();
  const out = new ByteWriter(128 * 1024);
  const pngScratch = { buf: new Uint8Array(0) };
  const budget = new BudgetScaler(opts.maxKbps ?? 0, BUDGET_TARGET_FPS);
  const sent = { jpeg: 0, png: 0 };
  let lastWay = '';
  return {
    kind: 'iterm2',
    sent,
    invalidate(): void {
      // every render draws the whole image
    },
    setBudget(maxKbps: number): void {
      budget.setKbps(maxKbps);
    },
    describe(): string {
      return `iterm2 ${lastWay}${budget.note()}`;
    },
    render(frame: Frame, rect: CellRect, _opts?: RenderOptions): Buffer {
      if (rect.cols < MIN_PIXEL_PANE_CELLS || rect.rows < MIN_PIXEL_PANE_CELLS || frame.width <= 0 || frame.height <= 0) return EMPTY;
      const jpeg = frame.jpeg && frame.jpeg.length > 0 ? frame.jpeg : null;
      // a JPEG is never shrunk (that would mean decode + encode): the budget applies to PNG only
      const place = pixelPlacement(frame, rect, cell, jpeg ? 1 : budget.scale, MAX_PIXEL_IMAGE_SIDE_PX);
      let data: Uint8Array;
      if (jpeg && place.image.width === frame.width && place.image.height === frame.height) {
        data = jpeg;
        sent.jpeg++;
        lastWay = `JPEG as received ${frame.width}x${frame.height}`;
      } else {
        if (frame.data.length < frame.width * frame.height * 3) return EMPTY;
        const grid = scaler.scale(frame, place.image.width, place.image.height, 1);
        data = encodePng(grid.data, grid.width, grid.height, 1, pngScratch);
        sent.png++;
        lastWay = `PNG ${grid.width}x${grid.height}`;
      }
      // 1:1 in pixels when the picture fills its box exactly, else stretched over whole cells
      const exact = place.cols === 0;
      const w = exact ? `${place.box.width}px` : String(place.cols);
      const h = exact ? `${place.box.height}px` : String(place.rows);
      const head = iterm2Header(data.length, w, h);
      const b64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
      out.reset();
      out.ensure(64 + head.length + b64.length);
      out.bytes(BSU);
      out.cup(place.row, place.col);
      out.len += out.buf.write(head, out.len, 'latin1');
      out.len += out.buf.write(b64, out.len, 'latin1');
      out.byte(BEL);
      out.bytes(ESU);
      budget.record(out.len);
      return out.take();
    },
  };
}
