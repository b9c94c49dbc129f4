// The chat of the call screen: the input (open/close, keys, send through CallSide), received messages (sanitised,
// unread while the pane is hidden, flashed, notified, logged with --chat-log), and the notes it shows in the strip.
import fs from 'node:fs';
import type { CallSide } from '../calls/call-side.js';
import { messageOf } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { sanitizeChat } from '../shared/chat-text.js';
import { TUI_CHAT_FLASH_MS } from '../shared/limits.js';
import type { Notifier } from '../terminal/notify.js';
import { ChatModel, type ChatEntry } from './chat-model.js';
import type { KeyPress } from './form-model.js';
import { LineEditor } from './line-editor.js';

/** How long a note (refused message, chat not available) stays in the strip. */
const NOTE_MS = 6_000;

/** What the chat needs from the app. */
export interface ChatHost {
  readonly calls: CallSide;
  readonly log: Logger;
  readonly notifier: Notifier;
  /** My display name and the peer's, as of now. */
  myName(): string;
  peerName(): string;
  /** Is the chat pane on screen right now? */
  paneVisible(): boolean;
  /** Something the call screen shows changed: redraw it. */
  changed(): void;
  /** --chat-log FILE, or undefined. */
  readonly chatLog?: string;
}

/** The chat of the current call. */
export class CallChat {
  readonly model = new ChatModel();
  readonly editor = new LineEditor();
  private open = false;
  private noteText: string | null = null;
  private noteTimer: NodeJS.Timeout | null = null;
  private flashTimer: NodeJS.Timeout | null = null;
  private received = 0;

  constructor(private readonly h: ChatHost) {}

  /** Is the input open (every key goes to it)? */
  get inputOpen(): boolean {
    return this.open;
  }

  /** The note shown in the strip, or null. */
  get note(): string | null {
    return this.noteText;
  }

  /** The peer's newest message while it flashes, or null. */
  flash(): ChatEntry | null {
    return this.model.flash();
  }

  /** A new call: empty history, input closed. */
  reset(): void {
    this.model.reset();
    this.editor.clear();
    this.open = false;
    this.setNote(null);
  }

  /** Enter / c: open the input, or say why chat is not available. */
  openInput(): void {
    const why = this.h.calls.chatUnavailable;
    if (why) return this.setNote(why);
    this.open = true;
    this.h.changed();
  }

  /** Close the input (the text typed so far is kept for the next open). */
  closeInput(): void {
    this.open = false;
    this.h.changed();
  }

  /** A key while the input is open: edit, send, or close. */
  key(ch: string | undefined, key: KeyPress): void {
    // blessed reports Enter as 'enter' and then 'return': act on 'return' only, so one press sends once
    if (key.name === 'enter') return;
    const r = this.editor.key(ch, key.name === 'linefeed' ? { ...key, full: 'return' } : key);
    if (r.type === 'close') return this.closeInput();
    if (r.type === 'refused') return this.setNote(r.note);
    if (r.type === 'send') this.send(r.text);
    else if (r.type === 'edit' && this.noteText) this.setNote(null);
    this.h.changed();
  }

  /** A message from the peer. */
  receive(text: string): void {
    const visible = this.h.paneVisible();
    const e = this.model.received(this.h.peerName(), text, visible);
    this.h.log.info(`chat from ${e.name}: ${e.text.length} chars`);
    this.logLine(e);
    this.h.notifier.notify(`chat:${++this.received}`, `termcall: ${e.name}`, e.text);
    if (!visible) {
      if (this.flashTimer) clearTimeout(this.flashTimer);
      this.flashTimer = setTimeout(() => {
        this.flashTimer = null;
        this.h.changed();
      }, TUI_CHAT_FLASH_MS + 50);
      this.flashTimer.unref?.();
    }
    this.h.changed();
  }

  /** The pane became visible: everything is read. */
  seen(): void {
    this.model.seen();
  }

  /** Stop the timers (quitting). */
  stop(): void {
    if (this.noteTimer) clearTimeout(this.noteTimer);
    if (this.flashTimer) clearTimeout(this.flashTimer);
    this.noteTimer = this.flashTimer = null;
  }

  // Send through the call side; a refusal becomes a note and the text stays in the input.
  private send(text: string): void {
    try {
      this.h.calls.sendChat(text);
    } catch (err) {
      this.setNote(`not sent: ${messageOf(err)}`);
      return;
    }
    const e = this.model.sent(this.h.myName(), text);
    this.logLine(e);
    this.editor.clear();
    this.setNote(null);
  }

  // Show a note in the strip for a while (null clears it).
  private setNote(text: string | null): void {
    if (this.noteTimer) clearTimeout(this.noteTimer);
    this.noteTimer = null;
    this.noteText = text === null ? null : sanitizeChat(text);
    if (text !== null) {
      this.model.note(text);
      this.noteTimer = setTimeout(() => {
        this.noteTimer = null;
        this.noteText = null;
        this.h.changed();
      }, NOTE_MS);
      this.noteTimer.unref?.();
    }
    this.h.changed();
  }

  // Append a line to --chat-log (ISO time, name, sanitised text); a failure is logged once per message, not fatal.
  private logLine(e: ChatEntry): void {
    if (!this.h.chatLog) return;
    try {
      fs.appendFileSync(this.h.chatLog, `${e.at.toISOString()} ${e.from === 'me' ? '>' : '<'} ${e.name}: ${e.text}\n`);
    } catch (err) {
      this.h.log.warn(`chat log ${this.h.chatLog}: ${messageOf(err)}`);
    }
  }
}
