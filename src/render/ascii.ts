// ASCII renderer loop: one luminance-ramp character per cell, no colour (NO_COLOR, dumb terminals).

import type { ByteWriter } from './byte-writer.js';
import type { CursorTracker } from './cursor.js';

/** Dark-to-bright ramp; a space is black (the terminal's default background is assumed dark). */
export const ASCII_RAMP = ' .:-=+*#%@';
const RAMP_BYTES = Buffer.from(ASCII_RAMP, 'latin1');
const LEVELS = RAMP_BYTES.length;
/** Luminance steps a cell must move past its glyph's band edge before it is repainted (hysteresis vs noise). */
const HYSTERESIS = 0.25;

/** Grey level (0xRRGGBB) standing for each ramp glyph, for the screen model. */
const GLYPH_GREY: Int32Array = (() => {
  const t = new Int32Array(LEVELS);
  for (let i = 0; i < LEVELS; i++) {
    const v = Math.round(((i + 0.5) * 255) / LEVELS);
    t[i] = (v << 16) | (v << 8) | v;
  }
  return t;
})();

// Paint the damaged cells of a cols x rows pane from a cols x 2*rows RGB grid; state arrays are per half-pixel.
export function renderAsciiCells(
  data: Uint8Array, cols: number, rows: number, col0: number, row0: number,
  shownCode: Int32Array, shownRgb: Int32Array, exact: Int32Array,
  bandStart: number, driftRows: number, w: ByteWriter, cursor: CursorTracker,
): void {
  const step = 256 / LEVELS;
  let resetDone = false;
  for (let r = 0; r < rows; r++) {
    const inBand = (r - bandStart + rows) % rows < driftRows;
    const base0 = 2 * r * cols;
    for (let c = 0; c < cols; c++) {
      const p0 = base0 + c;
      const p1 = p0 + cols;
      const d0 = p0 * 3;
      const d1 = p1 * 3;
      // Rec. 601 luma of the two half-pixels, averaged
      const lum =
        (299 * ((data[d0] as number) + (data[d1] as number)) +
          587 * ((data[d0 + 1] as number) + (data[d1 + 1] as number)) +
          114 * ((data[d0 + 2] as number) + (data[d1 + 2] as number))) / 2000;
      const code = Math.min(LEVELS - 1, Math.floor(lum / step));
      const grey = GLYPH_GREY[code] as number;
      exact[p0] = grey;
      exact[p1] = grey;
      const s = shownCode[p0] as number;
      if (s === code) continue;
      if (s >= 0 && !inBand && Math.abs(lum - (s + 0.5) * step) <= step * (0.5 + HYSTERESIS)) continue;
      if (!resetDone) {
        // default colours and attributes for the glyphs
        w.csi();
        w.byte(0x30);
        w.byte(0x6d);
        resetDone = true;
      }
      cursor.moveTo(w, row0 + r, col0 + c);
      w.byte(RAMP_BYTES[code] as number);
      shownCode[p0] = code;
      shownCode[p1] = code;
      shownRgb[p0] = grey;
      shownRgb[p1] = grey;
    }
  }
}
