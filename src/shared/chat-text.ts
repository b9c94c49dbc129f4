// Chat text (pure): received text made safe to show (no byte of it reaches the terminal as a control), its cell width
// (string-width: CJK and emoji take two cells), the protocol's length check, and wrapping to a column width.
import stringWidth from 'string-width';
import { MAX_CHAT_BYTES } from './limits.js';

/** Placeholder for ESC (the start of every CSI, OSC, DCS … sequence): the rest of the sequence then shows as text. */
export const ESC_PLACEHOLDER = '␛';
/** Placeholder for DEL. */
export const DEL_PLACEHOLDER = '␡';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// Code points that move the cursor, reorder text or hide: C0, DEL, C1, bidi controls, line/paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]/g;

// The visible stand-in for one unsafe code point: a control picture for C0 (␀ … ␟), ␡, else ‹U+XXXX›.
function placeholder(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  if (cp === 0x1b) return ESC_PLACEHOLDER;
  if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
  if (cp === 0x7f) return DEL_PLACEHOLDER;
  return `‹${cp.toString(16).toUpperCase().padStart(cp < 0x100 ? 2 : 4, '0')}›`;
}

/**
 * Received chat text as safe text: every control character (C0, DEL, C1 such as the 8-bit CSI 0x9B and OSC 0x9D),
 * bidi override and line separator becomes a visible placeholder, so ESC [ 2 J, OSC 52 (clipboard), OSC 0 (title)
 * show as ␛[2J, ␛]52;… instead of acting. Lone surrogates are already U+FFFD after strict UTF-8 decoding.
 */
export function sanitizeChat(text: string): string {
  return text.replace(UNSAFE, placeholder);
}

/** Cells a (sanitised) string takes in a terminal. */
export function cellWidth(text: string): number {
  return stringWidth(text);
}

/** The grapheme clusters of a string (what the cursor steps over). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** UTF-8 bytes of a message. */
export function chatBytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Why a message cannot be sent as it is (over the protocol's length limit), or null when it can. */
export function chatTooLong(text: string): string | null {
  const n = chatBytes(text);
  return n > MAX_CHAT_BYTES ? `message not sent: ${n} bytes, the limit is ${MAX_CHAT_BYTES} — shorten it by ${n - MAX_CHAT_BYTES}` : null;
}

/** How wide a grapheme counts when fitting text (cellWidth, or a UI toolkit's own budget such as blessedCost). */
export type Measure = (text: string) => number;

/**
 * blessed's line budget: it cuts and wraps lines by UTF-16 units, so a character outside the BMP (most emoji) costs
 * one more than its cells. Fitting to this budget keeps a line whole on screen (it then ends a cell early).
 */
export function blessedCost(text: string): number {
  let astral = 0;
  for (const ch of text) if ((ch.codePointAt(0) ?? 0) > 0xffff) astral++;
  return cellWidth(text) + astral;
}

/** The longest prefix of text (whole graphemes) that fits in cols cells (or cols of another measure). */
export function fitCells(text: string, cols: number, measure: Measure = cellWidth): string {
  let out = '';
  let w = 0;
  for (const g of graphemes(text)) {
    const gw = measure(g);
    if (w + gw > cols) break;
    out += g;
    w += gw;
  }
  return out;
}

/** text padded with spaces (or cut) to exactly cols cells (or cols of another measure). */
export function padCells(text: string, cols: number, measure: Measure = cellWidth): string {
  const fit = fitCells(text, cols, measure);
  return fit + ' '.repeat(Math.max(0, cols - measure(fit)));
}

/**
 * Wrap text into lines of at most cols cells, breaking at spaces where it can and inside a word when it must; a
 * wide character never straddles a line end. The first line may be shorter (firstCols, for a "name: " prefix).
 */
export function wrapCells(text: string, cols: number, firstCols = cols, measure: Measure = cellWidth): string[] {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  let limit = Math.max(1, firstCols);
  let lastSpace = -1; // index in line after the last space
  for (const g of graphemes(text)) {
    const gw = measure(g);
    while (w + gw > limit && line !== '') {
      if (g !== ' ' && lastSpace > 0 && lastSpace < line.length) {
        const rest = line.slice(lastSpace);
        lines.push(line.slice(0, lastSpace).trimEnd());
        line = rest;
        w = measure(rest);
      } else {
        lines.push(line.trimEnd());
        line = '';
        w = 0;
      }
      lastSpace = -1;
      limit = Math.max(1, cols);
    }
    if (g === ' ' && line === '' && lines.length > 0) continue;
    line += g;
    w += gw;
    if (g === ' ') lastSpace = line.length;
  }
  lines.push(line);
  return lines;
}
