// The chat input's line (pure): edits like a shell line — left/right, Home/End (Ctrl-A/E), Backspace, Delete,
// Ctrl-U, Ctrl-W, paste — over grapheme clusters, and the slice of it that fits a field of some width.
import { cellWidth, chatTooLong, graphemes, type Measure } from '../shared/chat-text.js';
import type { KeyPress } from './form-model.js';

/** What a key did in the input. */
export type EditResult =
  | { readonly type: 'edit' }
  | { readonly type: 'send'; readonly text: string }
  | { readonly type: 'refused'; readonly note: string }
  | { readonly type: 'close' }
  | { readonly type: 'none' };

/** One line of text and a cursor (an index into its graphemes). */
export class LineEditor {
  private g: string[] = [];
  private at = 0;

  /** The text. */
  get text(): string {
    return this.g.join('');
  }

  /** Cursor position in graphemes. */
  get cursor(): number {
    return this.at;
  }

  /** Empty the line. */
  clear(): void {
    this.g = [];
    this.at = 0;
  }

  /** Insert text at the cursor (typed or pasted: line breaks and tabs become spaces, other controls are dropped). */
  insert(text: string): void {
    const clean = text.replace(/\r\n|[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
    if (clean === '') return;
    // a combining mark typed after a letter joins it: segment the grapheme before the cursor with the new text
    const prev = this.at > 0 ? (this.g[this.at - 1] ?? '') : '';
    const merged = graphemes(prev + clean);
    const from = prev === '' ? this.at : this.at - 1;
    this.g.splice(from, prev === '' ? 0 : 1, ...merged);
    this.at = from + merged.length;
  }

  /** Move the cursor by n graphemes (clamped). */
  move(n: number): void {
    this.at = Math.max(0, Math.min(this.g.length, this.at + n));
  }

  /** Delete the grapheme before the cursor. */
  backspace(): void {
    if (this.at === 0) return;
    this.g.splice(this.at - 1, 1);
    this.at--;
  }

  /** Delete the grapheme under the cursor. */
  deleteForward(): void {
    this.g.splice(this.at, 1);
  }

  /** Ctrl-U: delete from the start of the line to the cursor. */
  killToStart(): void {
    this.g.splice(0, this.at);
    this.at = 0;
  }

  /** Ctrl-W: delete the word before the cursor (and the spaces after it), as a shell does. */
  killWord(): void {
    let i = this.at;
    while (i > 0 && this.g[i - 1] === ' ') i--;
    while (i > 0 && this.g[i - 1] !== ' ') i--;
    this.g.splice(i, this.at - i);
    this.at = i;
  }

  /** Apply a key: Enter sends (or is refused over the length limit), Esc closes, the rest edit. */
  key(ch: string | undefined, key: KeyPress): EditResult {
    switch (key.full) {
      case 'escape': return { type: 'close' };
      case 'enter': case 'return': {
        const text = this.text;
        if (text.trim() === '') return { type: 'none' };
        const note = chatTooLong(text);
        return note ? { type: 'refused', note } : { type: 'send', text };
      }
      case 'left': case 'C-b': this.move(-1); return { type: 'edit' };
      case 'right': case 'C-f': this.move(1); return { type: 'edit' };
      case 'home': case 'C-a': this.at = 0; return { type: 'edit' };
      case 'end': case 'C-e': this.at = this.g.length; return { type: 'edit' };
      case 'backspace': case 'C-h': this.backspace(); return { type: 'edit' };
      case 'delete': case 'C-d': this.deleteForward(); return { type: 'edit' };
      case 'C-u': this.killToStart(); return { type: 'edit' };
      case 'C-w': this.killWord(); return { type: 'edit' };
    }
    if (key.ctrl || key.meta) return { type: 'none' };
    if (ch !== undefined && ch !== '' && !/^[\u0000-\u001f\u007f]/.test(ch)) {
      this.insert(ch);
      return { type: 'edit' };
    }
    return { type: 'none' };
  }

  /**
   * What a field of cols cells shows: a slice of the line that keeps the cursor in view (scrolled by whole
   * graphemes), and the cursor's column inside it. One cell is kept free at the end for the cursor.
   */
  view(cols: number, measure: Measure = cellWidth): { text: string; cursorCol: number } {
    const width = Math.max(1, cols);
    const widths = this.g.map((x) => measure(x));
    // start: the first grapheme such that everything up to the cursor (+1 cell for it) fits
    let start = 0;
    let upTo = widths.slice(0, this.at).reduce((a, b) => a + b, 0);
    while (start < this.at && upTo + 1 > width) upTo -= widths[start++] ?? 0;
    let text = '';
    let w = 0;
    for (let i = start; i < this.g.length; i++) {
      const gw = widths[i] ?? 0;
      if (w + gw > width) break;
      text += this.g[i];
      w += gw;
    }
    return { text, cursorCol: upTo };
  }
}
