// blessed (0.1.81, 2016) measures cells with its own old table: emoji count one cell, so a chat line with 😀 would
// shift everything after it by one on screen. Here its width functions and its wide-character matcher are pointed at
// string-width (the maintained width library the chat text uses), so blessed and our own measuring agree.
import { createRequire } from 'node:module';
import { cellWidth, graphemes } from '../shared/chat-text.js';

interface BlessedUnicode {
  charWidth(str: string | number, i?: number): number;
  strWidth(str: string): number;
  chars: { all: unknown };
}

let patched = false;

/** Point blessed's width measuring at string-width (once per process). */
export function patchBlessedWidths(): void {
  if (patched) return;
  patched = true;
  const unicode = createRequire(import.meta.url)('blessed/lib/unicode.js') as BlessedUnicode;
  const old = unicode.charWidth.bind(unicode);
  unicode.charWidth = (str, i) => {
    if (typeof str === 'number') return str < 0x20 || (str >= 0x7f && str < 0xa0) ? old(str) : cellWidth(String.fromCodePoint(str));
    // a whole cell (screen drawing passes the cell's text, combining marks included): its grapheme's width
    if (i === undefined) return str === '' || str === '\x03' ? 0 : str.charCodeAt(0) < 0x20 ? old(str) : Math.min(2, cellWidth(str));
    const cp = str.codePointAt(i) ?? 0;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return old(str, i);
    return cellWidth(String.fromCodePoint(cp));
  };
  unicode.strWidth = (str) => cellWidth(str);
  // parseContent puts a \x03 filler after every wide character (the cell it covers): find them by grapheme width
  unicode.chars.all = {
    [Symbol.replace](text: string, replacement: string): string {
      if (replacement !== '$1\x03') return text;
      let out = '';
      for (const g of graphemes(text)) out += cellWidth(g) === 2 ? `${g}\x03` : g;
      return out;
    },
  };
}
