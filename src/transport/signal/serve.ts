// The answering end of SSH signalling: greets, answers each OFFER line with an ANSWER (or an ERROR), bounded throughout.
import type { Readable, Writable } from 'node:stream';
import { ProtocolError, messageOf, type ErrorCode } from '../../shared/errors.js';
import { MAX_SIGNAL_OFFERS, SIGNAL_TIMEOUT_MS } from '../../shared/limits.js';
import { decodeCallCode, encodeCallCode, type CallCode, type SignalBlob } from './call-code.js';
import { LineReader, formatSignalLine, parseSignalLine, type SignalLine } from './lines.js';

/** Turns an offer into an answer blob (16b's answerCall, or a test's stub); throws a TermcallError to refuse. */
export type SignalAnswerer = (offer: CallCode) => Promise<SignalBlob>;

/** What a serving session did: offers answered, and why it ended. */
export interface ServeResult { readonly answered: number; readonly ended: 'bye' | 'eof' | 'error'; readonly error?: ProtocolError }

export interface ServeOptions {
  /** Who is on the other end, for messages. */
  readonly label?: string;
  /** Idle time allowed between lines (default SIGNAL_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  readonly maxOffers?: number;
}

/** Serve one signalling session over a pair of streams (ssh's stdin/stdout, or a local socket). Never throws. */
export async function serveSignal(input: Readable, output: Writable, answer: SignalAnswerer, opts: ServeOptions = {}): Promise<ServeResult> {
  const label = opts.label ?? 'the caller';
  const reader = new LineReader(input, label);
  const send = (l: Parameters<typeof formatSignalLine>[0]): void => {
    if (!output.destroyed && !output.writableEnded) output.write(formatSignalLine(l));
  };
  const stop = (r: ServeResult): ServeResult => {
    if (!output.destroyed && !output.writableEnded) output.end();
    input.pause();
    return r;
  };
  const fail = (code: ErrorCode, text: string, answered: number): ServeResult => {
    send({ type: 'error', code, text });
    return stop({ answered, ended: 'error', error: new ProtocolError(code, `${label}: ${text}`) });
  };
  send({ type: 'hello' });
  let answered = 0;
  let offers = 0;
  for (;;) {
    let raw: string | null;
    try {
      raw = await withTimeout(reader.next(), opts.timeoutMs ?? SIGNAL_TIMEOUT_MS, `${label} sent nothing`);
    } catch (err) {
      const e = err instanceof ProtocolError ? err : new ProtocolError('ERR_SIGNAL', messageOf(err));
      return fail(e.code, e.message, answered);
    }
    if (raw === null) return stop({ answered, ended: 'eof' });
    const line: SignalLine = parseSignalLine(raw);
    if (line.type === 'bye') return stop({ answered, ended: 'bye' });
    if (line.type !== 'offer') return fail('ERR_SIGNAL', `expected OFFER or BYE, got "${raw.slice(0, 40)}"`, answered);
    if (++offers > (opts.maxOffers ?? MAX_SIGNAL_OFFERS)) return fail('ERR_SIGNAL', `too many offers in one session (at most ${opts.maxOffers ?? MAX_SIGNAL_OFFERS})`, answered);
    try {
      const offer = decodeCallCode(line.code, 'offer');
      const blob = await answer(offer);
      send({ type: 'answer', code: encodeCallCode('answer', blob, { offer }) });
      answered++;
    } catch (err) {
      const code = (err as { code?: ErrorCode }).code ?? 'ERR_SIGNAL';
      send({ type: 'error', code, text: messageOf(err) });
    }
  }
}

/** Reject with ERR_SIGNAL when p takes longer than ms. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_r, reject) => {
    t = setTimeout(() => reject(new ProtocolError('ERR_SIGNAL', `${what} within ${Math.round(ms / 1000)} s`)), ms);
  })]).finally(() => clearTimeout(t));
}
