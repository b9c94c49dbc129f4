// The start screen's form as pure state: fields, focus, the peers list, and what each key does.
import type { PeerEntry } from './options.js';
import { DEFAULT_PORT } from '../protocol/messages.js';
import { parseSshTarget, type SshTarget } from '../transport/signal/ssh.js';
import { CODE_PREFIX, decodeCallCode, type CallCode } from '../transport/signal/call-code.js';
import { MAX_CALL_CODE_CHARS } from '../shared/limits.js';
import { messageOf } from '../shared/errors.js';

export type FieldName = 'host' | 'port' | 'name';
export type FocusName = FieldName | 'call' | 'peers';

/** The order Tab walks through. */
export const FOCUS_ORDER: readonly FocusName[] = ['host', 'port', 'name', 'call', 'peers'];

/** Longest text a field takes (the host field: a pasted call code may be longer, up to MAX_CALL_CODE_CHARS). */
const MAX_FIELD_CHARS: Record<FieldName, number> = { host: 255, port: 5, name: 64 };

// Whether a host field's text is (the start of) a call code.
const isCode = (text: string): boolean => text.startsWith(CODE_PREFIX.offer) || text.startsWith(CODE_PREFIX.answer);

/** A key as blessed reports it (name and the typed character). */
export interface KeyPress {
  readonly name?: string;
  readonly full?: string;
  readonly ch?: string;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly shift?: boolean;
}

/** What a key asks the app to do. */
export type FormAction =
  | { readonly type: 'none' }
  | { readonly type: 'quit' }
  | { readonly type: 'call'; readonly host: string; readonly port: number; readonly name: string; readonly peerName?: string }
  /** ssh://[USER@]HOST[:PORT] in the host field: a WebRTC call signalled through the user's ssh. */
  | { readonly type: 'ssh'; readonly target: SshTarget; readonly url: string; readonly name: string }
  /** Ctrl-O: make a call code (a WebRTC offer) to send by any channel. */
  | { readonly type: 'offer-code'; readonly name: string }
  /** A call code pasted into the host field: answer it (the answer code is shown to send back). */
  | { readonly type: 'answer-code'; readonly offer: CallCode; readonly name: string }
  | { readonly type: 'invalid'; readonly message: string };

/** State of the start-screen form. */
export class FormModel {
  values: Record<FieldName, string>;
  focus: FocusName = 'host';
  /** The focused field's text is "selected": the first character typed replaces it. */
  fresh = true;
  selected = 0;

  constructor(init: { host?: string; port: number; name: string }, readonly peers: readonly PeerEntry[]) {
    this.values = { host: init.host ?? '', port: String(init.port || DEFAULT_PORT), name: init.name };
  }

  /** Move focus to the next (+1) or previous (-1) item; the peers list is skipped when empty. */
  move(dir: 1 | -1): void {
    const order = FOCUS_ORDER.filter((f) => f !== 'peers' || this.peers.length > 0);
    const i = order.indexOf(this.focus);
    this.focus = order[(i + dir + order.length) % order.length] ?? 'host';
    this.fresh = true;
  }

  /** Handle one key. */
  key(ch: string | undefined, key: KeyPress): FormAction {
    const name = key.name ?? '';
    if (key.full === 'C-c') return { type: 'quit' };
    if (key.full === 'C-o') return { type: 'offer-code', name: this.displayName() };
    if (name === 'return' || name === 'linefeed') return { type: 'none' };
    if (name === 'tab') {
      this.move(key.shift ? -1 : 1);
      return { type: 'none' };
    }
    if (this.focus === 'peers') return this.peersKey(name);
    if (name === 'up') {
      this.move(-1);
      return { type: 'none' };
    }
    if (name === 'down') {
      this.move(1);
      return { type: 'none' };
    }
    if (name === 'enter') return this.submit();
    if (this.focus === 'call') return name === 'q' || name === 'escape' ? { type: 'quit' } : { type: 'none' };
    if (name === 'escape') return { type: 'quit' };
    return this.edit(this.focus, ch, key);
  }

  /** Keys on the peers list: arrows pick, Enter calls the picked peer. */
  private peersKey(name: string): FormAction {
    if (name === 'up') {
      if (this.selected === 0) this.move(-1);
      else this.selected--;
    } else if (name === 'down') {
      this.selected = Math.min(this.peers.length - 1, this.selected + 1);
    } else if (name === 'enter') {
      const p = this.peers[this.selected];
      if (!p) return { type: 'none' };
      this.values.host = p.host;
      this.values.port = String(p.port);
      return { ...this.submit(), ...(p.name ? { peerName: p.name } : {}) };
    } else if (name === 'q' || name === 'escape') {
      return { type: 'quit' };
    }
    return { type: 'none' };
  }

  /** Edit a text field: printable characters, Backspace, Ctrl-U (clear); Right/End keep the text and append. */
  private edit(field: FieldName, ch: string | undefined, key: KeyPress): FormAction {
    const name = key.name ?? '';
    if (name === 'backspace') {
      this.values[field] = this.fresh ? '' : this.values[field].slice(0, -1);
      this.fresh = false;
      return { type: 'none' };
    }
    if (key.full === 'C-u') {
      this.values[field] = '';
      this.fresh = false;
      return { type: 'none' };
    }
    if (name === 'right' || name === 'end') {
      this.fresh = false;
      return { type: 'none' };
    }
    if (!ch || key.ctrl || key.meta || ch.length !== 1 || ch < ' ' || ch === '\x7f') return { type: 'none' };
    if (field === 'port' && !/[0-9]/.test(ch)) return { type: 'none' };
    const base = this.fresh ? '' : this.values[field];
    this.fresh = false;
    if (base.length >= (field === 'host' && isCode(base) ? MAX_CALL_CODE_CHARS : MAX_FIELD_CHARS[field])) return { type: 'none' };
    this.values[field] = base + ch;
    return { type: 'none' };
  }

  /** The name calls announce: the Name field, or "me" when it is empty. */
  displayName(): string {
    return this.values.name.trim() || 'me';
  }

  /** Validate and ask for a call. */
  private submit(): FormAction {
    const host = this.values.host.trim();
    const port = Number(this.values.port);
    const name = this.displayName();
    if (host === '') {
      this.focus = 'host';
      this.fresh = false;
      return { type: 'invalid', message: 'type the host to call or ssh://USER@HOST, paste a call code, or press Ctrl-O to make one' };
    }
    if (/^ssh:\/\//i.test(host)) {
      const target = parseSshTarget(host);
      if (target) return { type: 'ssh', target, url: host, name };
      this.focus = 'host';
      this.fresh = false;
      return { type: 'invalid', message: `"${host}" is not an ssh://[USER@]HOST[:PORT] address` };
    }
    if (host.startsWith(CODE_PREFIX.answer)) {
      this.focus = 'host';
      this.fresh = true;
      return { type: 'invalid', message: 'that is an answer code: it goes into the dialog of the call code it answers (Ctrl-O makes a call code)' };
    }
    if (host.startsWith(CODE_PREFIX.offer)) {
      this.focus = 'host';
      try {
        return { type: 'answer-code', offer: decodeCallCode(host, 'offer'), name };
      } catch (err) {
        // cut or altered: say so and keep the text (a paste that came in pieces goes on)
        this.fresh = false;
        return { type: 'invalid', message: messageOf(err) };
      }
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      this.focus = 'port';
      this.fresh = true;
      return { type: 'invalid', message: 'the port must be 1–65535' };
    }
    return { type: 'call', host, port, name };
  }
}
