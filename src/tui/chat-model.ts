// The conversation (pure): messages with names and times, the unread count while the pane is hidden, the newest
// line flashed over the video, and the pane's lines wrapped by cell width (CJK and emoji count two cells).
import { cellWidth, fitCells, padCells, sanitizeChat, wrapCells, type Measure } from '../shared/chat-text.js';
import { MAX_CHAT_HISTORY, TUI_CHAT_FLASH_MS } from '../shared/limits.js';

/** One message of the conversation (text already sanitised). */
export interface ChatEntry {
  readonly from: 'me' | 'peer' | 'note';
  readonly name: string;
  readonly text: string;
  readonly at: Date;
}

/** A pane line: text exactly cols cells wide, and who it belongs to (for colour). */
export interface ChatLine {
  readonly text: string;
  readonly from: ChatEntry['from'];
}

// hh:mm of a date (local time).
export function clock(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** History, unread count and flash of one call's chat. */
export class ChatModel {
  readonly entries: ChatEntry[] = [];
  unread = 0;
  private flashUntil = 0;

  /** A message from the peer (raw text off the wire: it is sanitised here). Counts as unread unless visible. */
  received(name: string, raw: string, visible: boolean, now = Date.now()): ChatEntry {
    const e = this.push({ from: 'peer', name: sanitizeChat(name) || 'peer', text: sanitizeChat(raw), at: new Date(now) });
    if (!visible) {
      this.unread++;
      this.flashUntil = now + TUI_CHAT_FLASH_MS;
    }
    return e;
  }

  /** A message I sent. */
  sent(name: string, text: string, now = Date.now()): ChatEntry {
    return this.push({ from: 'me', name: sanitizeChat(name) || 'me', text: sanitizeChat(text), at: new Date(now) });
  }

  /** A line from termcall itself (chat not available, a refused message …). */
  note(text: string, now = Date.now()): ChatEntry {
    return this.push({ from: 'note', name: '', text: sanitizeChat(text), at: new Date(now) });
  }

  /** The pane became visible: everything is read, no flash. */
  seen(): void {
    this.unread = 0;
    this.flashUntil = 0;
  }

  /** Forget the conversation (a new call). */
  reset(): void {
    this.entries.length = 0;
    this.seen();
  }

  /** The newest peer line to flash over the video, or null once its time is over. */
  flash(now = Date.now()): ChatEntry | null {
    if (now >= this.flashUntil) return null;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e?.from === 'peer') return e;
    }
    return null;
  }

  /** Milliseconds until the flash ends (0 when none). */
  flashLeftMs(now = Date.now()): number {
    return Math.max(0, this.flashUntil - now);
  }

  /** The last rows lines of the pane, each exactly cols cells (of measure): "hh:mm name: text", wrapped under the text. */
  lines(cols: number, rows: number, measure: Measure = cellWidth): ChatLine[] {
    const out: ChatLine[] = [];
    if (cols <= 0 || rows <= 0) return out;
    for (let i = this.entries.length - 1; i >= 0 && out.length < rows; i--) {
      const e = this.entries[i];
      if (e) out.unshift(...entryLines(e, cols, measure));
    }
    return out.slice(-rows);
  }

  // Append, keeping at most MAX_CHAT_HISTORY entries.
  private push(e: ChatEntry): ChatEntry {
    this.entries.push(e);
    if (this.entries.length > MAX_CHAT_HISTORY) this.entries.splice(0, this.entries.length - MAX_CHAT_HISTORY);
    return e;
  }
}

// One entry's pane lines: the head ("12:04 alice: ") on the first, continuation lines indented by 2 cells.
export function entryLines(e: ChatEntry, cols: number, measure: Measure = cellWidth): ChatLine[] {
  const head = e.from === 'note' ? `${clock(e.at)} * ` : `${clock(e.at)} ${fitCells(e.name, Math.max(1, Math.floor(cols / 3)), measure)}: `;
  const indent = Math.min(2, Math.max(0, cols - 1));
  const headW = measure(head);
  if (headW >= cols) return [{ text: padCells(head, cols, measure), from: e.from }];
  const parts = wrapCells(e.text, cols - indent, cols - headW, measure);
  return parts.map((p, i) => ({ text: padCells(i === 0 ? head + p : ' '.repeat(indent) + p, cols, measure), from: e.from }));
}

/** One line for the flash over the video: "alice: text", cut to cols (of measure) with … when longer. */
export function flashLine(e: ChatEntry, cols: number, measure: Measure = cellWidth): string {
  const full = `${e.name}: ${e.text}`;
  if (measure(full) <= cols) return full;
  return fitCells(full, Math.max(0, cols - 1), measure) + '…';
}
