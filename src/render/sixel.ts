// Sixel renderer: frame → letterboxed image of the pane's pixel size, positioned with CUP, in one write.

import type { Frame } from '../shared/frame.js';
import {
  DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX, MAX_SIXEL_SIDE_PX, SIXEL_ADAPTIVE_REGISTERS, SIXEL_MAX_REGISTERS,
} from '../shared/limits.js';
import type { Caps } from './caps.js';
import { ByteWriter } from './byte-writer.js';
import { FrameScaler, fitContent } from './scale.js';
import { SixelEncoder, type SixelDither, type SixelPaletteMode } from './sixel-encode.js';
import { BSU, ESU, type CellRect, type FrameRenderer, type RenderOptions } from './types.js';

/** Options of the sixel renderer. */
export interface SixelRendererOptions {
  /** Terminal cell size in pixels (TIOCGWINSZ ws_xpixel/cols, or a CSI 16t reply); default DEFAULT_CELL_*_PX. */
  readonly cellWidthPx?: number;
  readonly cellHeightPx?: number;
  readonly dither?: SixelDither;
  /** Adaptive (default: fitted to the picture, refitted on scene changes) or the fixed 6x7x6 palette. */
  readonly palette?: SixelPaletteMode;
  /** Colour registers the adaptive palette may use (the terminal's count, capped at 256; default SIXEL_ADAPTIVE_REGISTERS). */
  readonly registers?: number;
  /** Mapping tolerance (default SIXEL_STICKY_TOLERANCE; 0: every pixel its nearest register). */
  readonly tolerance?: number;
  /** Byte budget of one image (default SIXEL_MAX_BYTES_PER_KPX of its pixels). */
  readonly budgetBytes?: number;
  /** Largest image side in pixels (default MAX_SIXEL_SIDE_PX, xterm's limit). */
  readonly maxSidePx?: number;
}

/** A sixel renderer (always draws the whole image; sixel has no cheap partial update). */
export interface SixelRenderer extends FrameRenderer {
  readonly kind: 'sixel';
  /** Pixel size of the image drawn for a pane. */
  imageSize(rect: CellRect): { width: number; height: number };
}

const EMPTY = Buffer.alloc(0);

// Pixel size of the image drawn for a pane: its cells' pixels, scaled down (aspect kept) so no side exceeds maxSidePx.
export function sixelImageSize(
  rect: CellRect, cell: { width: number; height: number }, maxSidePx = MAX_SIXEL_SIDE_PX,
): { width: number; height: number } {
  const width = Math.max(0, Math.floor(rect.cols)) * cell.width;
  const height = Math.max(0, Math.floor(rect.rows)) * cell.height;
  const k = Math.min(1, maxSidePx / Math.max(1, width), maxSidePx / Math.max(1, height));
  return { width: Math.floor(width * k), height: Math.floor(height * k) };
}

// How many colour registers the sixel palette may use on a terminal: what it reported (XTSMGRAPHICS), at most 256;
// 16 when it did not say (a VT340 has 16 and answers no XTSMGRAPHICS; more would draw wrong colours there).
export function sixelRegisters(caps: Pick<Caps, 'sixelColorRegisters'>): { registers: number; why: string } {
  const n = caps.sixelColorRegisters;
  if (n === null || !(n >= 1)) {
    return { registers: SIXEL_ADAPTIVE_REGISTERS, why: `the terminal did not report its colour registers → ${SIXEL_ADAPTIVE_REGISTERS} (a VT340's)` };
  }
  const registers = Math.min(Math.floor(n), SIXEL_MAX_REGISTERS);
  return { registers, why: `${n} colour registers reported → a palette of up to ${registers}` };
}

// Create a sixel renderer.
export function createSixelRenderer(opts: SixelRendererOptions = {}): SixelRenderer {
  const cw = opts.cellWidthPx && opts.cellWidthPx > 0 ? opts.cellWidthPx : DEFAULT_CELL_WIDTH_PX;
  const ch = opts.cellHeightPx && opts.cellHeightPx > 0 ? opts.cellHeightPx : DEFAULT_CELL_HEIGHT_PX;
  const cell = { width: cw, height: ch };
  const maxSide = opts.maxSidePx ?? MAX_SIXEL_SIDE_PX;
  const scaler = new FrameScaler();
  const encoder = new SixelEncoder(opts.dither ?? 'none', opts.palette ?? 'adaptive', opts.registers ?? SIXEL_ADAPTIVE_REGISTERS, {
    ...(opts.tolerance !== undefined ? { tolerance: opts.tolerance } : {}),
    ...(opts.budgetBytes !== undefined ? { budgetBytes: opts.budgetBytes } : {}),
  });
  const out = new ByteWriter(256 * 1024);
  const imageSize = (rect: CellRect): { width: number; height: number } => sixelImageSize(rect, cell, maxSide);
  return {
    kind: 'sixel',
    imageSize,
    invalidate(): void {
      // stateless between frames: every render draws the whole image
    },
    render(frame: Frame, rect: CellRect, _opts?: RenderOptions): Buffer {
      const { width, height } = imageSize(rect);
      if (width === 0 || height === 0) return EMPTY;
      out.reset();
      out.ensure(64);
      out.bytes(BSU);
      out.cup(Math.max(0, Math.floor(rect.row)), Math.max(0, Math.floor(rect.col))); // the pane's top-left
      const box = fitContent(frame.width, frame.height, width, height, 1);
      if (box.width === frame.width && box.height === frame.height && frame.data.length >= frame.width * frame.height * 3) {
        // the frame already has the picture's size (the call asked the sender for it): its BGR pixels as they are
        encoder.encodePicture({ data: frame.data, width: frame.width, height: frame.height, bgr: true }, width, height, box.x, box.y, out);
      } else {
        encoder.encode(scaler.scale(frame, width, height, 1).data, width, height, out);
      }
      out.ensure(16);
      out.bytes(ESU);
      return out.take();
    },
  };
}
