// Glyph sets of the symbol renderers: each glyph as a mask over a 2x6 grid of atoms per cell (halves, quadrants and
// sextants are unions of atoms), and a lookup table from any 12-bit atom pattern to the nearest glyph (chafa's
// approach: threshold the cell into a bitmap, rank glyphs by Hamming distance; either polarity, fg and bg swap).

import { sextantCodePoint } from './glyph-masks.js';

/** Atoms per cell: 2 columns x 6 rows; atom index = row * 2 + col. */
export const ATOM_COLS = 2;
export const ATOM_ROWS = 6;
export const ATOMS = ATOM_COLS * ATOM_ROWS;
const ALL = (1 << ATOMS) - 1;

/** Which glyphs a set draws with. */
export type SymbolSetName = 'quadrants' | 'sextants';

/** One glyph set: per glyph its atom mask (foreground atoms), code point and UTF-8 bytes; a nearest-glyph table. */
export interface SymbolSet {
  readonly name: SymbolSetName;
  readonly masks: Uint16Array;
  readonly codePoints: Int32Array;
  readonly utf8: readonly Buffer[];
  /** Index of the glyph whose mask is the complement of each glyph's (the set is closed under complement). */
  readonly complement: Int16Array;
  /** Per 12-bit atom pattern: the glyph nearest to it (the pattern or its inverse), by Hamming distance. */
  readonly nearest: Int16Array;
  /** Index of the space (mask 0) and of the full block (all atoms). */
  readonly space: number;
  readonly full: number;
}

// Atom mask of a quadrant bit set (1 UL, 2 UR, 4 LL, 8 LR): each quadrant is 1 column x 3 atom rows.
function quadrantAtoms(q: number): number {
  let m = 0;
  for (let b = 0; b < 4; b++) {
    if (!(q & (1 << b))) continue;
    const col = b & 1;
    const row0 = (b >> 1) * 3;
    for (let r = row0; r < row0 + 3; r++) m |= 1 << (r * 2 + col);
  }
  return m;
}

// Atom mask of a sextant bit set (bit 2y+x for the sixth at column x, row y): each sixth is 1 column x 2 atom rows.
function sextantAtoms(s: number): number {
  let m = 0;
  for (let b = 0; b < 6; b++) {
    if (!(s & (1 << b))) continue;
    const col = b & 1;
    const row0 = (b >> 1) * 2;
    m |= (1 << (row0 * 2 + col)) | (1 << ((row0 + 1) * 2 + col));
  }
  return m;
}

/** Code points of the quadrant set by quadrant bits (1 UL, 2 UR, 4 LL, 8 LR). */
const QUADRANT_GLYPHS = [0x20, 0x2598, 0x259d, 0x2580, 0x2596, 0x258c, 0x259e, 0x259b, 0x2597, 0x259a, 0x2590, 0x259c, 0x2584, 0x2599, 0x259f, 0x2588];

// Count set bits of a 12-bit value.
function popcount(v: number): number {
  let n = 0;
  for (; v; v &= v - 1) n++;
  return n;
}

// Build a glyph set.
function build(name: SymbolSetName): SymbolSet {
  const list = new Map<number, number>(); // mask → code point
  for (let q = 0; q < 16; q++) list.set(quadrantAtoms(q), QUADRANT_GLYPHS[q] as number);
  if (name === 'sextants') for (let s = 0; s < 64; s++) if (!list.has(sextantAtoms(s))) list.set(sextantAtoms(s), sextantCodePoint(s));
  const masks = Uint16Array.from(list.keys());
  const codePoints = Int32Array.from(list.values());
  const index = new Map([...masks].map((m, i) => [m, i]));
  const complement = Int16Array.from(masks, (m) => index.get(ALL & ~m) ?? -1);
  const nearest = new Int16Array(1 << ATOMS);
  for (let p = 0; p <= ALL; p++) {
    let best = 0;
    let bestD = 99;
    for (let i = 0; i < masks.length; i++) {
      const m = masks[i] as number;
      const d = Math.min(popcount(p ^ m), popcount(p ^ (ALL & ~m)));
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    nearest[p] = best;
  }
  return {
    name, masks, codePoints, complement, nearest,
    utf8: [...codePoints].map((cp) => Buffer.from(String.fromCodePoint(cp), 'utf8')),
    space: index.get(0) ?? 0, full: index.get(ALL) ?? 0,
  };
}

const sets = new Map<SymbolSetName, SymbolSet>();

// The glyph set of a name (built once).
export function symbolSet(name: SymbolSetName): SymbolSet {
  let s = sets.get(name);
  if (!s) sets.set(name, (s = build(name)));
  return s;
}
