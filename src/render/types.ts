// Shared renderer types: the cell rectangle (pane), renderer kinds and the common renderer interface.

import type { Frame } from '../shared/frame.js';

/** A pane in 0-based terminal cells (the renderers emit 1-based CUP). */
export interface CellRect {
  readonly col: number;
  readonly row: number;
  readonly cols: number;
  readonly rows: number;
}

/** Per-call options: full repaints every cell regardless of what the terminal shows. */
export interface RenderOptions {
  readonly full?: boolean;
}

/** Block (character-cell) renderer kinds. */
export type BlockKind = 'truecolor' | '256' | '16' | 'ascii';

/** Pixel-image renderer kinds (kitty graphics protocol, iTerm2 inline images). */
export type PixelKind = 'kitty' | 'iterm2';

/** Every renderer kind: half-blocks and ascii, sub-cell symbols (sextants, symbols, symbols256), sixel, pixel images. */
export type RendererKind = BlockKind | 'sixel' | 'sextants' | 'symbols' | 'symbols256' | PixelKind;

/** Turns frames into the bytes of one terminal write for a pane; keeps what the terminal shows between calls. */
export interface FrameRenderer {
  readonly kind: RendererKind;
  /** Bytes for one write (empty when nothing needs to change). Never throws on pixel data. */
  render(frame: Frame, rect: CellRect, opts?: RenderOptions): Buffer;
  /** Forget what the terminal shows (after it was cleared or overdrawn): the next render repaints all. */
  invalidate(): void;
  /** Bytes that remove every image this renderer placed (pixel renderers: erasing cells does not remove them). */
  clear?(): Buffer;
  /** What it draws right now and why, for the status panel (pixel renderers: payload, size, budget). */
  describe?(): string;
  /** Change the output budget (kbit/s, 0: none); renderers that can shrink their picture do. */
  setBudget?(maxKbps: number): void;
}

/** Tuning of a block renderer; defaults come from src/shared/limits.ts. */
export interface BlockRendererOptions {
  /** Cell size in pixels (width, height) of the terminal, for the aspect ratio; default 1:2 (8x16). */
  readonly cellWidthPx?: number;
  readonly cellHeightPx?: number;
  /** Repaint threshold, RMS per channel (truecolor). */
  readonly tolerance?: number;
  /** Reuse-current-SGR threshold, RMS per channel (truecolor). */
  readonly reuseTolerance?: number;
  /** Threshold inside the drift-refresh band, RMS per channel (truecolor). */
  readonly driftTolerance?: number;
  /** Cell rows of the drift-refresh band per frame (0 disables drift refresh). */
  readonly driftRowsPerFrame?: number;
  /** Repaint threshold of the indexed modes (256, 16), in RGB distance beyond the best palette colour's. */
  readonly paletteTolerance?: number;
  /** Bytes per cell and frame that repaints below the tolerance may spend on the cells that gain most (0: none). */
  readonly budgetBytesPerCell?: number;
}

/** What the renderer believes the terminal shows, per half-block pixel (cols x 2*rows), for benchmarks and tests. */
export interface ShownModel {
  readonly width: number;
  readonly height: number;
  /** 0xRRGGBB of what the terminal shows (-1: unknown). ascii: the grey level of the glyph. */
  readonly shown: Int32Array;
  /** 0xRRGGBB of the exact rendering of the last frame (for indexed modes: the nearest palette colour). */
  readonly exact: Int32Array;
}

/** Synchronized output (DEC private mode 2026): begin / end. */
export const BSU = Buffer.from('\x1b[?2026h', 'latin1');
export const ESU = Buffer.from('\x1b[?2026l', 'latin1');
/** SGR reset. */
export const SGR0 = Buffer.from('\x1b[0m', 'latin1');
