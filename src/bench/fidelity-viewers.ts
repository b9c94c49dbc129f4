// What a viewer sees, per renderer: each viewer takes the renderer's output bytes, write by write, and gives the
// RGB picture of the pane. Cell renderers are parsed and rasterized with glyph masks; sixel is decoded with the
// `sixel` package. Pixel protocols add their decoder here (VIEWERS), keyed by renderer kind.

import { decode as decodeSixel } from 'sixel';
import { CellScreen, rasterizeCells, type RasterStats, type RgbImage } from './cell-screen.js';
import { KittyModel, drawPlacement } from '../render/kitty-decode.js';
import { iterm2Placement, parseIterm2 } from '../render/iterm2-decode.js';
import { decodePng } from '../render/png.js';

/** The pane a viewer models: cells and the pixel size of one cell. */
export interface ViewGeometry {
  readonly cols: number;
  readonly rows: number;
  readonly cellWidthPx: number;
  readonly cellHeightPx: number;
}

/** A viewer: fed the bytes of each write, it shows a picture of cols*cellW x rows*cellH pixels. */
export interface Viewer {
  write(bytes: Uint8Array): void;
  picture(): RgbImage;
  /** Counts a viewer may keep (cells of unknown glyph shape, images that failed to decode). */
  readonly stats: RasterStats & { badImages: number };
}

/** Makes a viewer for a pane. */
export type ViewerFactory = (g: ViewGeometry) => Viewer;

// A cell terminal: bytes parsed into cells, cells rasterized with glyph coverage masks.
export function cellViewer(g: ViewGeometry): Viewer {
  const screen = new CellScreen(g.cols, g.rows);
  const stats = { unknownGlyphCells: 0, badImages: 0 };
  return {
    stats,
    write: (b) => screen.write(b),
    picture: () => {
      stats.unknownGlyphCells = 0;
      return rasterizeCells(screen, g.cellWidthPx, g.cellHeightPx, stats);
    },
  };
}

// Find the end of a DCS/APC/OSC string starting at i (index of ST's ESC or BEL), or -1.
function stringEnd(b: Uint8Array, i: number): number {
  for (let j = i; j < b.length; j++) {
    if (b[j] === 0x07) return j;
    if (b[j] === 0x1b && b[j + 1] === 0x5c) return j;
  }
  return -1;
}

// A sixel terminal: each sixel image (DCS … q … ST) is decoded and drawn at the cursor cell (set by CUP).
export function sixelViewer(g: ViewGeometry): Viewer {
  const W = g.cols * g.cellWidthPx;
  const H = g.rows * g.cellHeightPx;
  const canvas = new Uint8Array(W * H * 3);
  const stats = { unknownGlyphCells: 0, badImages: 0 };
  let row = 0;
  let col = 0;
  const draw = (body: Uint8Array): void => {
    let img;
    try {
      img = decodeSixel(body);
    } catch {
      stats.badImages++;
      return;
    }
    const x0 = col * g.cellWidthPx;
    const y0 = row * g.cellHeightPx;
    const px = img.data32;
    for (let y = 0; y < img.height && y0 + y < H; y++) {
      for (let x = 0; x < img.width && x0 + x < W; x++) {
        const v = px[y * img.width + x] as number;
        const o = ((y0 + y) * W + x0 + x) * 3;
        canvas[o] = v & 255;
        canvas[o + 1] = (v >>> 8) & 255;
        canvas[o + 2] = (v >>> 16) & 255;
      }
    }
  };
  return {
    stats,
    write(b: Uint8Array): void {
      let i = 0;
      while (i < b.length) {
        if (b[i] !== 0x1b) {
          i++;
          continue;
        }
        if (b[i + 1] === 0x5b) {
          let j = i + 2;
          while (j < b.length && ((b[j] as number) < 0x40 || (b[j] as number) > 0x7e)) j++;
          if (b[j] === 0x48) {
            const p = Buffer.from(b.subarray(i + 2, j)).toString('latin1').split(';');
            row = Math.max(1, Number(p[0]) || 1) - 1;
            col = Math.max(1, Number(p[1]) || 1) - 1;
          }
          i = j + 1;
        } else if (b[i + 1] === 0x50) {
          const end = stringEnd(b, i + 2);
          if (end < 0) return;
          // the body starts after the parameters and the final 'q'
          let q = i + 2;
          while (q < end && b[q] !== 0x71) q++;
          if (q < end) draw(b.subarray(q + 1, end));
          i = end + 1;
        } else {
          i += 2;
        }
      }
    },
    picture: () => ({ data: canvas.slice(), width: W, height: H }),
  };
}

// A kitty terminal: the graphics commands decoded (pure decoder), the placed images drawn as kitty scales them.
export function kittyViewer(g: ViewGeometry): Viewer {
  const model = new KittyModel();
  const stats = { unknownGlyphCells: 0, badImages: 0 };
  const cell = { width: g.cellWidthPx, height: g.cellHeightPx };
  return {
    stats,
    write: (b) => {
      model.feed(b);
      stats.badImages = model.errors.length;
    },
    picture: () => model.rasterize(g.cols * g.cellWidthPx, g.rows * g.cellHeightPx, cell),
  };
}

// An iTerm2 terminal: each inline image decoded and drawn at its cell over the size its header asks. PNG decodes here;
// a JPEG (the pass-through of a received frame) needs an asynchronous decoder and is counted in badImages instead.
export function iterm2Viewer(g: ViewGeometry): Viewer {
  const W = g.cols * g.cellWidthPx;
  const H = g.rows * g.cellHeightPx;
  const canvas = new Uint8Array(W * H * 3);
  const stats = { unknownGlyphCells: 0, badImages: 0 };
  const cell = { width: g.cellWidthPx, height: g.cellHeightPx };
  return {
    stats,
    write(b: Uint8Array): void {
      for (const img of parseIterm2(b)) {
        try {
          const pic = decodePng(img.data);
          const pl = iterm2Placement(img, pic.width, pic.height, cell, { width: W, height: H });
          drawPlacement(canvas, W, H, pic, pl.placement, cell, pl);
        } catch {
          stats.badImages++;
        }
      }
    },
    picture: () => ({ data: canvas.slice(), width: W, height: H }),
  };
}

/** Viewers of renderers that do not draw cells, by renderer kind; every other renderer gets cellViewer. */
export const VIEWERS: Readonly<Record<string, ViewerFactory>> = { sixel: sixelViewer, kitty: kittyViewer, iterm2: iterm2Viewer };

// The viewer for a renderer kind.
export function viewerFor(kind: string): ViewerFactory {
  return VIEWERS[kind] ?? cellViewer;
}

/** Renderers that draw pixels, not cells: measured once their viewer (payload decoder) is in VIEWERS. */
const PIXEL_KINDS = new Set(['kitty', 'iterm2', 'sixel']);

// Can the fidelity bench model what a viewer sees of this renderer?
export function canView(kind: string): boolean {
  return VIEWERS[kind] !== undefined || !PIXEL_KINDS.has(kind);
}
