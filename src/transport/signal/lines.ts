// The SSH signalling line protocol: bounded line reading and the few requests (docs/signalling.md).
import type { Readable } from 'node:stream';
import { ERROR_CODES, ProtocolError, type ErrorCode } from '../../shared/errors.js';
import { MAX_SIGNAL_LINE_BYTES } from '../../shared/limits.js';

/** The answering side's first line (the digit is the protocol version). */
export const SIGNAL_HELLO = 'TERMCALL-SIGNAL 1';
/** Requests and replies, one per line: "OFFER <code>", "ANSWER <code>", "ERROR <ERR_CODE> <text>", "BYE". */
export type SignalLine =
  | { readonly type: 'hello'; readonly version: number }
  | { readonly type: 'offer'; readonly code: string }
  | { readonly type: 'answer'; readonly code: string }
  | { readonly type: 'error'; readonly code: ErrorCode; readonly text: string }
  | { readonly type: 'bye' }
  | { readonly type: 'other'; readonly text: string };

/** Parse one line (without its newline). */
export function parseSignalLine(line: string): SignalLine {
  const m = /^(\S+)(?: (.*))?$/.exec(line.replace(/\r$/, ''));
  const word = m?.[1] ?? '';
  const rest = m?.[2] ?? '';
  if (word === 'TERMCALL-SIGNAL' && /^\d+$/.test(rest)) return { type: 'hello', version: Number(rest) };
  if (word === 'OFFER' && rest) return { type: 'offer', code: rest };
  if (word === 'ANSWER' && rest) return { type: 'answer', code: rest };
  if (word === 'BYE' && !rest) return { type: 'bye' };
  if (word === 'ERROR') {
    const e = /^(ERR_[A-Z0-9_]+) ?(.*)$/.exec(rest);
    const code = e?.[1] && e[1] in ERROR_CODES ? (e[1] as ErrorCode) : 'ERR_SIGNAL';
    return { type: 'error', code, text: (e?.[2] ?? rest).slice(0, 500) };
  }
  return { type: 'other', text: line.slice(0, 200) };
}

/** Format a line (newline included); text is kept to one line of printable characters. */
export function formatSignalLine(l: Exclude<SignalLine, { type: 'other' } | { type: 'hello' }> | { type: 'hello' }): string {
  switch (l.type) {
    case 'hello': return `${SIGNAL_HELLO}\n`;
    case 'offer': return `OFFER ${l.code}\n`;
    case 'answer': return `ANSWER ${l.code}\n`;
    case 'bye': return 'BYE\n';
    case 'error': return `ERROR ${l.code} ${l.text.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 500)}\n`;
  }
}

/** Lines from a stream, one at a time, with a bound on line length; pauses the stream while nobody asks for a line. */
export class LineReader {
  private buf = '';
  private readonly lines: string[] = [];
  private waiter: { resolve: (l: string | null) => void; reject: (e: Error) => void } | null = null;
  private ended = false;
  private error: Error | null = null;

  constructor(private readonly input: Readable, private readonly what: string, private readonly maxBytes = MAX_SIGNAL_LINE_BYTES) {
    input.setEncoding('latin1');
    input.on('data', (chunk: string) => this.onData(chunk));
    input.on('end', () => this.finish(null));
    input.on('close', () => this.finish(null));
    input.on('error', (e: Error) => this.finish(e));
  }

  /** The next line, or null at the end of the stream; rejects with ERR_SIGNAL for an over-long line. */
  next(): Promise<string | null> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.error) return Promise.reject(this.error);
    if (this.ended) return Promise.resolve(null);
    this.input.resume();
    return new Promise((resolve, reject) => { this.waiter = { resolve, reject }; });
  }

  // Split what came into lines; stop reading when one is waiting unread, or a line grows past the bound.
  private onData(chunk: string): void {
    this.buf += chunk;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 1);
      if (line.length > this.maxBytes) return this.tooLong();
      this.deliver(line);
    }
    if (this.buf.length > this.maxBytes) return this.tooLong();
    if (this.lines.length > 0) this.input.pause();
  }

  // A line past the bound: an error, and no more reading (the buffer is dropped: memory stays bounded).
  private tooLong(): void {
    this.buf = '';
    this.lines.length = 0;
    this.input.pause();
    this.finish(new ProtocolError('ERR_SIGNAL', `${this.what} sent a line longer than ${this.maxBytes} bytes`));
  }

  // Hand a line to the waiting next(), or queue it.
  private deliver(line: string): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w.resolve(line);
    } else {
      this.lines.push(line);
    }
  }

  // The stream ended or failed.
  private finish(err: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    if (err) this.error = err;
    const w = this.waiter;
    this.waiter = null;
    if (!w) return;
    if (err) w.reject(err);
    else w.resolve(null);
  }
}
