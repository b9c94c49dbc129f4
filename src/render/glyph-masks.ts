// Glyph coverage masks: the fraction of each pixel of a cell a glyph's foreground covers, at a given cell pixel size.
// Block elements (U+2580–U+259F), sextants (U+1FB00–U+1FB3B) and box drawing (U+2500–U+257F) as terminals draw them
// (geometrically, not from a font); the symbol renderer picks glyphs by these shapes and the fidelity bench rasterizes
// cells with them.

/** A rectangle in fractions of the cell (0..1), x0 < x1, y0 < y1. */
type FracRect = readonly [number, number, number, number];

/** Sextant bit order (Unicode 13 "BLOCK SEXTANT-n"): bit 0 top-left, 1 top-right, 2 mid-left, 3 mid-right, 4 bottom-left, 5 bottom-right. */
export const SEXTANT_BASE = 0x1fb00;

// Code point of the sextant with this 6-bit mask (1..62 without 21 and 42, which are the left and right halves).
export function sextantCodePoint(mask: number): number {
  if (mask === 0) return 0x20;
  if (mask === 63) return 0x2588;
  if (mask === 21) return 0x258c;
  if (mask === 42) return 0x2590;
  return SEXTANT_BASE + mask - 1 - (mask > 21 ? 1 : 0) - (mask > 42 ? 1 : 0);
}

// The 6-bit sextant mask of a sextant code point (-1 if it is none).
function sextantMask(cp: number): number {
  if (cp < SEXTANT_BASE || cp > 0x1fb3b) return -1;
  let m = cp - SEXTANT_BASE + 1;
  if (m >= 21) m++;
  if (m >= 42) m++;
  return m;
}

// Rectangles of the six sextant cells in a mask.
function sextantRects(mask: number): FracRect[] {
  const out: FracRect[] = [];
  for (let b = 0; b < 6; b++) {
    if (!(mask & (1 << b))) continue;
    const x = b & 1;
    const y = b >> 1;
    out.push([x / 2, y / 3, (x + 1) / 2, (y + 1) / 3]);
  }
  return out;
}

/** Quadrant bits: 1 upper-left, 2 upper-right, 4 lower-left, 8 lower-right. */
const QUADRANT_CP: Readonly<Record<number, number>> = {
  0x2596: 4, 0x2597: 8, 0x2598: 1, 0x2599: 1 | 4 | 8, 0x259a: 1 | 8, 0x259b: 1 | 2 | 4, 0x259c: 1 | 2 | 8,
  0x259d: 2, 0x259e: 2 | 4, 0x259f: 2 | 4 | 8,
};

// Rectangles of a quadrant mask.
function quadrantRects(mask: number): FracRect[] {
  const out: FracRect[] = [];
  for (let b = 0; b < 4; b++) if (mask & (1 << b)) out.push([(b & 1) / 2, (b >> 1) / 2, ((b & 1) + 1) / 2, ((b >> 1) + 1) / 2]);
  return out;
}

// Rectangles of a block element U+2580–U+259F (shades excluded), or null.
function blockRects(cp: number): FracRect[] | null {
  if (cp === 0x2580) return [[0, 0, 1, 0.5]];
  if (cp >= 0x2581 && cp <= 0x2588) return [[0, 1 - (cp - 0x2580) / 8, 1, 1]];
  if (cp >= 0x2589 && cp <= 0x258f) return [[0, 0, (0x2590 - cp) / 8, 1]];
  if (cp === 0x2590) return [[0.5, 0, 1, 1]];
  if (cp === 0x2594) return [[0, 0, 1, 1 / 8]];
  if (cp === 0x2595) return [[7 / 8, 0, 1, 1]];
  const q = QUADRANT_CP[cp];
  return q === undefined ? null : quadrantRects(q);
}

/**
 * Box drawing U+2500–U+257F: per code point five digits up, right, down, left (0 none, 1 light, 2 heavy, 3 double)
 * and dashes (0 solid, else the number of dashes); derived from the Unicode character names. Arcs are drawn as
 * corners; U+2571–U+2573 (diagonals) are drawn separately.
 */
const BOX_ARMS = '01010 02020 10100 20200 01013 02023 10103 20203 01014 02024 10104 20204 01100 02100 01200 02200 00110 00120 00210 00220 11000 12000 21000 22000 10010 10020 20010 20020 11100 12100 21100 11200 21200 22100 12200 22200 10110 10120 20110 10210 20210 20120 10220 20220 01110 01120 02110 02120 01210 01220 02210 02220 11010 11020 12010 12020 21010 21020 22010 22020 11110 11120 12110 12120 21110 11210 21210 21120 22110 11220 12210 22120 12220 21220 22210 22220 01012 02022 10102 20202 03030 30300 03100 01300 03300 00130 00310 00330 13000 31000 33000 10030 30010 30030 13100 31300 33300 10130 30310 30330 03130 01310 03330 13030 31010 33030 13130 31310 33330 01100 00110 10010 11000 00000 00000 00000 00010 10000 01000 00100 00020 20000 02000 00200 02010 10200 01020 20100'.split(' ');

// Paint a pixel rectangle [x0,x1) x [y0,y1) (clipped) into a coverage mask.
function fillPx(m: Float32Array, cw: number, ch: number, x0: number, y0: number, x1: number, y1: number): void {
  for (let y = Math.max(0, y0); y < Math.min(ch, y1); y++) for (let x = Math.max(0, x0); x < Math.min(cw, x1); x++) m[y * cw + x] = 1;
}

// Draw a box-drawing character into a mask; false when the code point is not one.
function drawBox(cp: number, cw: number, ch: number, m: Float32Array): boolean {
  const t = Math.max(1, Math.round(cw / 8));
  if (cp >= 0x2571 && cp <= 0x2573) {
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const u = (x + 0.5) / cw;
        const v = (y + 0.5) / ch;
        const d1 = Math.abs(u - (1 - v)) * cw; // upper right to lower left
        const d2 = Math.abs(u - v) * cw;
        if ((cp !== 0x2572 && d1 < t * 0.75) || (cp !== 0x2571 && d2 < t * 0.75)) m[y * cw + x] = 1;
      }
    }
    return true;
  }
  const arms = BOX_ARMS[cp - 0x2500];
  if (cp < 0x2500 || cp > 0x257f || !arms) return false;
  const [up, right, down, left, dashes] = [...arms].map(Number) as [number, number, number, number, number];
  const cx = Math.floor(cw / 2);
  const cy = Math.floor(ch / 2);
  // one arm: from the centre to an edge, with the weight's thickness (double: two light lines t apart)
  const arm = (w: number, horizontal: boolean, from: number, to: number): void => {
    if (w === 0) return;
    const offsets = w === 3 ? [-t, t] : [0];
    const th = w === 2 ? 2 * t : t;
    const len = to - from;
    const pieces = dashes > 0 ? dashes : 1;
    for (const o of offsets) {
      for (let k = 0; k < pieces; k++) {
        const a = from + Math.round((k * len) / pieces);
        const b = dashes > 0 ? from + Math.round(((k + 0.6) * len) / pieces) : to;
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        if (horizontal) fillPx(m, cw, ch, lo, cy + o - (th >> 1), hi, cy + o - (th >> 1) + th);
        else fillPx(m, cw, ch, cx + o - (th >> 1), lo, cx + o - (th >> 1) + th, hi);
      }
    }
  };
  const half = dashes > 0; // a dashed line runs edge to edge in one go
  if (half) {
    arm(Math.max(left, right), true, 0, cw);
    arm(Math.max(up, down), false, 0, ch);
    return true;
  }
  const ext = t; // arms reach past the centre so corners close
  arm(up, false, 0, cy + ext);
  arm(down, false, cy - ext + 1, ch);
  arm(left, true, 0, cx + ext);
  arm(right, true, cx - ext + 1, cw);
  return true;
}

const cache = new Map<string, Float32Array | null>();

/**
 * The coverage mask (cw x ch, row-major, 0..1) of a glyph, or null when the glyph's shape is unknown (letters, …).
 * Space is all 0, U+2588 all 1, shades U+2591–U+2593 a uniform 1/4, 1/2, 3/4. Masks are cached; do not modify them.
 */
export function glyphCoverage(cp: number, cw: number, ch: number): Float32Array | null {
  const key = `${cp}:${cw}x${ch}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const m = computeMask(cp, cw, ch);
  cache.set(key, m);
  return m;
}

// Compute one mask (see glyphCoverage).
function computeMask(cp: number, cw: number, ch: number): Float32Array | null {
  const m = new Float32Array(cw * ch);
  if (cp === 0x20 || cp === 0xa0 || cp === 0x2800) return m;
  if (cp >= 0x2591 && cp <= 0x2593) return m.fill((cp - 0x2590) / 4);
  const sx = sextantMask(cp);
  const rects = sx >= 0 ? sextantRects(sx) : blockRects(cp);
  if (rects) {
    for (const r of rects) addRect(m, cw, ch, r);
    return m;
  }
  return drawBox(cp, cw, ch, m) ? m : null;
}

// Add the exact area coverage of a fractional rectangle to every pixel it overlaps.
function addRect(m: Float32Array, cw: number, ch: number, r: FracRect): void {
  const X0 = r[0] * cw;
  const Y0 = r[1] * ch;
  const X1 = r[2] * cw;
  const Y1 = r[3] * ch;
  for (let y = Math.floor(Y0); y < Math.min(ch, Math.ceil(Y1)); y++) {
    const fy = Math.min(Y1, y + 1) - Math.max(Y0, y);
    for (let x = Math.floor(X0); x < Math.min(cw, Math.ceil(X1)); x++) {
      const fx = Math.min(X1, x + 1) - Math.max(X0, x);
      m[y * cw + x] = Math.min(1, (m[y * cw + x] as number) + fx * fy);
    }
  }
}
