// The one renderer table: every renderer, what a terminal needs to show it, and how to make one. The CLI's
// --render choices, the auto pick, the TUI's r cycle and the pane pixel size a call announces all derive from it,
// so adding a renderer is one entry here (notcurses keeps its blitters the same way).
import { createBlockRenderer } from './blocks.js';
import { createSixelRenderer, sixelImageSize } from './sixel.js';
import { createSymbolRenderer, type SymbolColours } from './symbols.js';
import { samplerRuns } from './cell-sampler.js';
import { ATOM_COLS, type SymbolSetName } from './symbol-set.js';
import { createKittyRenderer, type KittyFileSink } from './kitty.js';
import { createIterm2Renderer } from './iterm2.js';
import { MAX_PIXEL_IMAGE_SIDE_PX, SIXEL_MIN_OUTPUT_KBPS } from '../shared/limits.js';
import type { Caps } from './caps.js';
import type { CellRect, FrameRenderer, RendererKind } from './types.js';

/** Pixel size of one terminal cell. */
export interface CellPx {
  readonly width: number;
  readonly height: number;
}

/** What a renderer's needs() looks at (sextants: does it draw them; the pixel protocols' flags: absent = not found). */
export type RenderCaps = Pick<Caps, 'colorDepth' | 'sixel'> & { readonly sextants?: boolean } & Partial<Pick<Caps, 'kitty' | 'iterm2'>>;

/** What a renderer may get besides the cell size: where kitty may put temporary files, the output budget. */
export interface RendererContext {
  /** The terminal runs on this machine and reads files (kitty t=t): a writer for them. */
  readonly kittyFiles?: KittyFileSink | null;
  /** --max-output-kbps (0 or absent: none). */
  readonly maxKbps?: number;
  /** Colour registers the sixel palette may use (sixelRegisters(caps); absent: SIXEL_ADAPTIVE_REGISTERS). */
  readonly sixelRegisters?: number;
}

/** One renderer: its name, when a terminal can show it, and how to build it for a cell size. */
export interface RendererEntry {
  readonly kind: RendererKind;
  /** One line for help texts and `termcall probe`. */
  readonly describe: string;
  /** Can a terminal with these capabilities show it? */
  needs(caps: RenderCaps): boolean;
  /** May `auto` pick it (when the terminal can show it)? */
  readonly auto: boolean;
  /** Output rate it needs at 30 fps (kbit/s); auto skips it under a lower --max-output-kbps. */
  readonly minKbps?: number;
  create(cell: CellPx, ctx?: RendererContext): FrameRenderer;
  /** The pixel size of the picture it draws in a pane: what a call asks the peer to send. */
  imagePx(rect: CellRect, cell: CellPx): { width: number; height: number };
}

// Block renderers draw two pixels per cell (upper and lower half): square pixels, cols x rows·ch/cw.
function blockImagePx(rect: CellRect, cell: CellPx): { width: number; height: number } {
  return { width: rect.cols, height: Math.max(1, Math.round((rect.rows * cell.height) / cell.width)) };
}

// A block renderer entry of the given kind.
function block(kind: 'truecolor' | '256' | '16' | 'ascii', describe: string, minDepth: number): RendererEntry {
  return {
    kind, describe, auto: true,
    needs: (caps) => caps.colorDepth >= minDepth,
    create: (cell) => createBlockRenderer(kind, { cellWidthPx: cell.width, cellHeightPx: cell.height }),
    imagePx: blockImagePx,
  };
}

// Symbol renderers fit glyphs to ATOM_COLS x ATOM_ROWS atoms per cell (8x8: 1x2 px at 8x16-px cells). They ask for
// square pixels at half the horizontal atom pitch, SYMBOL_PX_PER_CELL·cols x SYMBOL_PX_PER_CELL·rows·ch/cw: 512x384
// for a 128x48 pane. Measured on the clip: the full pitch (640x480 from a camera) drew 0.3 dB sharper, for 1.6x the
// JPEG bytes on the wire (13.1 against 8.2 KB a frame); the old ask was a quarter of it (256x192, 2.6 KB), too coarse
// for the eighths. The call's bytes are the product's edge, so the middle is taken.
const SYMBOL_PX_PER_CELL = ATOM_COLS / 2;
function symbolImagePx(rect: CellRect, cell: CellPx): { width: number; height: number } {
  return { width: SYMBOL_PX_PER_CELL * rect.cols, height: Math.max(1, Math.round((SYMBOL_PX_PER_CELL * rect.rows * cell.height) / cell.width)) };
}

// A sub-cell symbol renderer entry.
function symbols(
  kind: RendererKind, set: SymbolSetName, colours: SymbolColours, describe: string, minDepth: number, auto: boolean, sextants = false,
): RendererEntry {
  return {
    kind, describe, auto,
    // sextants: auto only where the terminal is known to draw them; an explicit --render sextants always works
    needs: (caps) => caps.colorDepth >= minDepth && (!sextants || caps.sextants === true) && samplerRuns(),
    // (where the sampler's WebAssembly SIMD kernel cannot run, the half-blocks of as many colours, or ASCII)
    create: (cell, ctx) => samplerRuns() ? createSymbolRenderer(kind, { set, colours, cellWidthPx: cell.width, cellHeightPx: cell.height })
      : createRenderer(colours === 'truecolor' ? 'truecolor' : colours === '256' ? '256' : 'ascii', cell, ctx),
    imagePx: symbolImagePx,
  };
}

// Pixel renderers draw the pane's own pixels (capped at MAX_PIXEL_IMAGE_SIDE_PX, aspect kept).
function pixelImagePx(rect: CellRect, cell: CellPx): { width: number; height: number } {
  const w = rect.cols * cell.width;
  const h = rect.rows * cell.height;
  const k = Math.min(1, MAX_PIXEL_IMAGE_SIDE_PX / Math.max(1, w), MAX_PIXEL_IMAGE_SIDE_PX / Math.max(1, h));
  return { width: Math.max(1, Math.floor(w * k)), height: Math.max(1, Math.floor(h * k)) };
}

/** Every renderer, best first: the order of the auto pick and of the r cycle. */
export const RENDERER_TABLE: readonly RendererEntry[] = [
  {
    kind: 'kitty', describe: 'kitty graphics protocol: the real pixels (kitty, Ghostty, WezTerm, Konsole)', auto: true,
    needs: (caps) => caps.kitty === true,
    create: (cell, ctx) => createKittyRenderer({
      cellWidthPx: cell.width, cellHeightPx: cell.height, files: ctx?.kittyFiles ?? null, maxKbps: ctx?.maxKbps ?? 0,
    }),
    imagePx: pixelImagePx,
  },
  {
    kind: 'iterm2', describe: 'iTerm2 inline images: the received JPEG as it is (iTerm2, WezTerm, mintty, VS Code)', auto: true,
    needs: (caps) => caps.iterm2 === true,
    create: (cell, ctx) => createIterm2Renderer({ cellWidthPx: cell.width, cellHeightPx: cell.height, maxKbps: ctx?.maxKbps ?? 0 }),
    imagePx: pixelImagePx,
  },
  {
    kind: 'sixel', describe: 'sixel pixel graphics, adaptive palette (xterm -ti vt340, mlterm, foot, WezTerm…)', auto: true,
    minKbps: SIXEL_MIN_OUTPUT_KBPS,
    needs: (caps) => caps.sixel,
    create: (cell, ctx) => createSixelRenderer({
      cellWidthPx: cell.width, cellHeightPx: cell.height, ...(ctx?.sixelRegisters ? { registers: ctx.sixelRegisters } : {}),
    }),
    imagePx: (rect, cell) => {
      const px = sixelImageSize(rect, cell);
      return { width: Math.max(1, px.width), height: Math.max(1, px.height) };
    },
  },
  symbols('sextants', 'sextants', 'truecolor', '24-bit colour sextants, eighths and quadrants (sextants: kitty, foot, WezTerm, Ghostty draw them)', 24, true, true),
  symbols('symbols', 'quadrants', 'truecolor', '24-bit colour sub-cell symbols: halves, eighths and quadrants (every terminal draws them)', 24, true),
  block('truecolor', '24-bit colour half-blocks', 24),
  symbols('symbols256', 'quadrants', '256', 'the xterm 256-colour palette, sub-cell symbols and ░▒▓ blends', 8, true),
  block('256', 'the xterm 256-colour palette, half-blocks', 8),
  symbols('16', 'quadrants', '16', 'the 16 ANSI colours: block-element symbols and ░▒▓ blends', 4, true),
  block('ascii', 'plain characters by brightness (no colour)', 0),
];

/** Every renderer kind, in table order. */
export const RENDERER_KINDS: readonly RendererKind[] = RENDERER_TABLE.map((e) => e.kind);

/** What `--render` accepts: auto, then every renderer. */
export const RENDER_CHOICES: readonly ('auto' | RendererKind)[] = ['auto', ...RENDERER_KINDS];

/** The table entry of a kind. */
export function rendererEntry(kind: RendererKind): RendererEntry {
  const e = RENDERER_TABLE.find((r) => r.kind === kind);
  if (!e) throw new TypeError(`unknown renderer ${kind}`);
  return e;
}

/** What auto picks for a terminal: the first entry it can show that auto may pick and the budget allows (ascii needs nothing). */
export function autoRenderer(caps: RenderCaps, maxOutputKbps = 0): RendererKind {
  const fits = (e: RendererEntry): boolean => !(maxOutputKbps > 0 && (e.minKbps ?? 0) > maxOutputKbps);
  return RENDERER_TABLE.find((e) => e.auto && e.needs(caps) && fits(e))?.kind ?? 'ascii';
}

/** Why auto picks what it picks: one line per table entry down to the pick (for `termcall probe`). */
export function explainAuto(caps: RenderCaps, maxOutputKbps = 0): string[] {
  const lines: string[] = [];
  for (const e of RENDERER_TABLE) {
    let why = '';
    if (!e.needs(caps)) {
      why = e.kind === 'kitty' ? 'the terminal shows no kitty graphics' : e.kind === 'iterm2' ? 'the terminal shows no iTerm2 inline images'
        : e.kind === 'sixel' ? 'the terminal shows no sixel'
        : e.imagePx === symbolImagePx && !samplerRuns() ? 'this Node cannot run WebAssembly SIMD (the symbol sampler needs it)'
        : e.kind === 'sextants' && caps.colorDepth >= 24 ? 'the terminal is not known to draw sextants'
          : 'needs more colours than the terminal has';
    } else if (!e.auto) why = 'only with --render';
    else if (maxOutputKbps > 0 && (e.minKbps ?? 0) > maxOutputKbps) why = `needs ~${e.minKbps} kbit/s, --max-output-kbps is ${maxOutputKbps}`;
    if (!why) {
      lines.push(`${e.kind}: picked (${e.describe})`);
      return lines;
    }
    lines.push(`${e.kind}: skipped, ${why}`);
  }
  return lines;
}

/** The renderers this terminal can show, in table order (the current one always included, first if unsupported). */
export function supportedRenderers(caps: RenderCaps, current: RendererKind): RendererKind[] {
  const list = RENDERER_TABLE.filter((e) => e.needs(caps)).map((e) => e.kind);
  if (!list.includes(current)) list.unshift(current);
  return list;
}

/** A renderer of this kind for cells of this pixel size. */
export function createRenderer(kind: RendererKind, cell: CellPx, ctx?: RendererContext): FrameRenderer {
  return rendererEntry(kind).create(cell, ctx);
}

/** The pixel size to announce for a pane drawn by this renderer (0x0 for an empty pane). */
export function panePixelSize(rect: CellRect, kind: RendererKind, cell: CellPx): { width: number; height: number } {
  if (rect.cols <= 0 || rect.rows <= 0) return { width: 0, height: 0 };
  return rendererEntry(kind).imagePx(rect, cell);
}
