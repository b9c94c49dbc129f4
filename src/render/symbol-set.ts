// Glyph sets of the symbol renderers over an 8x8 grid of atoms per cell: the block elements every terminal draws
// (halves, quadrants, the lower eighths ▁▂▃▄▅▆▇, the left quarters ▎▌▊) and, in the sextant set, the 2x3 sextants.
// Each glyph has its coverage of every atom (from the shapes the fidelity viewer draws, so sextant rows that cut an
// atom cover it partly) and its place in one of the partition families the fitter searches exhaustively.

import { glyphCoverage, sextantCodePoint } from './glyph-masks.js';

/** Atoms per cell: 8 columns x 8 rows (1x2 px each at 8x16-px cells); atom index = row * 8 + col. */
export const ATOM_COLS = 8;
export const ATOM_ROWS = 8;
export const ATOMS = ATOM_COLS * ATOM_ROWS;

/** Kinds of glyph coverage: the same on every atom, constant over each half of each atom row, constant per atom column. */
export const DOT_UNIFORM = 0;
export const DOT_ROWS = 1;
export const DOT_COLUMNS = 2;

/** Which glyphs a set draws with: the block elements, or those plus sextants. */
export type SymbolSetName = 'quadrants' | 'sextants';

/** One glyph set: per glyph its code point, UTF-8 bytes and atom coverage; where each partition family's glyphs are. */
export interface SymbolSet {
  readonly name: SymbolSetName;
  readonly codePoints: Int32Array;
  readonly utf8: readonly Buffer[];
  /** Coverage of atom a by glyph g's foreground at [g * ATOMS + a], 0..1. */
  readonly cov: Float32Array;
  /** Per glyph: Σc², Σc(1−c), Σ(1−c)² over the atoms (the normal equations of its two-colour fit). */
  readonly cc: Float64Array;
  readonly cn: Float64Array;
  readonly nn: Float64Array;
  /** How Σc·x of each glyph comes from a cell's sums: DOT_UNIFORM (c·total), DOT_ROWS (rowCov), DOT_COLUMNS (colCov). */
  readonly dotKind: Uint8Array;
  /** Coverage per atom row and half at [g * 2 * ATOM_ROWS + 2y + h] (h 0 left, 1 right), for DOT_ROWS glyphs. */
  readonly rowCov: Float64Array;
  /** Coverage per atom column at [g * ATOM_COLS + x], for DOT_COLUMNS glyphs. */
  readonly colCov: Float64Array;
  /** Index of the glyph whose coverage is the complement of each glyph's, or −1 (fg and bg cannot swap). */
  readonly complement: Int16Array;
  /** Glyph of each quadrant mask (1 UL, 2 UR, 4 LL, 8 LR). */
  readonly quadrant: Int16Array;
  /** Glyph of each sextant mask (bit 2y+x), or −1 in the block set. */
  readonly sextant: Int16Array;
  /** Glyph with the lowest k atom rows in the foreground (k = 1..7: ▁..▇). */
  readonly lower: Int16Array;
  /** Glyph with the leftmost k eighths in the foreground (k = 1..7: ▏..▉). */
  readonly left: Int16Array;
  /** Index of ░, the first of the shades ░▒▓ (after every glyph the fitter picks; the colour modes blend with them). */
  readonly shade: number;
  /** Index of the space (no coverage) and of the full block. */
  readonly space: number;
  readonly full: number;
}

/** Code points of the quadrant masks (1 UL, 2 UR, 4 LL, 8 LR). */
const QUADRANT_GLYPHS = [0x20, 0x2598, 0x259d, 0x2580, 0x2596, 0x258c, 0x259e, 0x259b, 0x2597, 0x259a, 0x2590, 0x259c, 0x2584, 0x2599, 0x259f, 0x2588];
/** ▁..▇ (lower k eighths) and ▔ (upper eighth, the complement of ▇). */
const LOWER_EIGHTHS = [0x2581, 0x2582, 0x2583, 0x2584, 0x2585, 0x2586, 0x2587];
const UPPER_EIGHTH = 0x2594;
/** ▏▎▍▌▋▊▉: the left 1..7 eighths (half an atom column each). */
const LEFT_EIGHTHS = [0x258f, 0x258e, 0x258d, 0x258c, 0x258b, 0x258a, 0x2589];

// Coverage of a code point over the atom grid (a space has none).
function atomCoverage(cp: number): Float32Array {
  if (cp === 0x20) return new Float32Array(ATOMS);
  const m = glyphCoverage(cp, ATOM_COLS, ATOM_ROWS);
  if (!m) throw new TypeError(`no shape for U+${cp.toString(16)}`);
  return m;
}

// Build a glyph set.
function build(name: SymbolSetName): SymbolSet {
  const cps: number[] = [];
  const index = new Map<number, number>();
  const add = (cp: number): number => {
    let i = index.get(cp);
    if (i === undefined) {
      i = cps.length;
      cps.push(cp);
      index.set(cp, i);
    }
    return i;
  };
  const quadrant = Int16Array.from(QUADRANT_GLYPHS, add);
  const lower = Int16Array.from([0x20, ...LOWER_EIGHTHS], add);
  add(UPPER_EIGHTH);
  const left = Int16Array.from([0x20, ...LEFT_EIGHTHS], add);
  add(0x2590);
  add(0x2595);
  const sextant = new Int16Array(64).fill(-1);
  if (name === 'sextants') for (let s = 0; s < 64; s++) sextant[s] = add(sextantCodePoint(s));
  const shade = add(0x2591);
  add(0x2592);
  add(0x2593);
  const n = cps.length;
  const cov = new Float32Array(n * ATOMS);
  const cc = new Float64Array(n);
  const cn = new Float64Array(n);
  const nn = new Float64Array(n);
  cps.forEach((cp, g) => {
    const m = atomCoverage(cp);
    cov.set(m, g * ATOMS);
    for (const c of m) {
      cc[g] = (cc[g] as number) + c * c;
      cn[g] = (cn[g] as number) + c * (1 - c);
      nn[g] = (nn[g] as number) + (1 - c) * (1 - c);
    }
  });
  const { dotKind, rowCov, colCov } = dotForms(cov, n);
  const complement = new Int16Array(n).fill(-1);
  for (let g = 0; g < n; g++) {
    for (let h = 0; h < n && complement[g] === -1; h++) {
      let same = true;
      for (let a = 0; a < ATOMS && same; a++) same = Math.abs((cov[g * ATOMS + a] as number) + (cov[h * ATOMS + a] as number) - 1) < 1e-4;
      if (same) complement[g] = h;
    }
  }
  return {
    name, codePoints: Int32Array.from(cps), cov, cc, cn, nn, dotKind, rowCov, colCov, complement, quadrant, sextant, lower, left, shade,
    utf8: cps.map((cp) => Buffer.from(String.fromCodePoint(cp), 'utf8')),
    space: index.get(0x20) ?? 0, full: index.get(0x2588) ?? 0,
  };
}

// Per glyph, the form of its coverage that gives Σc·x from row-half or column sums (every block element and sextant has one).
function dotForms(cov: Float32Array, n: number): { dotKind: Uint8Array; rowCov: Float64Array; colCov: Float64Array } {
  const dotKind = new Uint8Array(n);
  const rowCov = new Float64Array(n * 2 * ATOM_ROWS);
  const colCov = new Float64Array(n * ATOM_COLS);
  const half = ATOM_COLS >> 1;
  for (let g = 0; g < n; g++) {
    const at = (y: number, x: number): number => cov[g * ATOMS + y * ATOM_COLS + x] as number;
    let uniform = true, rows = true, columns = true;
    for (let y = 0; y < ATOM_ROWS; y++) {
      for (let x = 0; x < ATOM_COLS; x++) {
        uniform &&= at(y, x) === at(0, 0);
        rows &&= at(y, x) === at(y, x < half ? 0 : half);
        columns &&= at(y, x) === at(0, x);
      }
      rowCov[g * 2 * ATOM_ROWS + 2 * y] = at(y, 0);
      rowCov[g * 2 * ATOM_ROWS + 2 * y + 1] = at(y, half);
    }
    for (let x = 0; x < ATOM_COLS; x++) colCov[g * ATOM_COLS + x] = at(0, x);
    if (!uniform && !rows && !columns) throw new TypeError(`glyph ${g}: coverage neither by rows nor by columns`);
    dotKind[g] = uniform ? DOT_UNIFORM : rows ? DOT_ROWS : DOT_COLUMNS;
  }
  return { dotKind, rowCov, colCov };
}

const sets = new Map<SymbolSetName, SymbolSet>();

// The glyph set of a name (built once).
export function symbolSet(name: SymbolSetName): SymbolSet {
  let s = sets.get(name);
  if (!s) sets.set(name, (s = build(name)));
  return s;
}
