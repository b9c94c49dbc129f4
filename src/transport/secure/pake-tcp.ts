// The PAKE on a TCP call: the caller opens with "TMPK" and CPace, the listener answers; then TLS-PSK keyed by its output.
import type net from 'node:net';
import type tls from 'node:tls';
import { ProtocolError } from '../../shared/errors.js';
import { BYE_REASON, MAGIC, MSG, PAKE_MAGIC, PREAMBLE_BYTES } from '../../protocol/messages.js';
import { MESSAGE_HEADER_BYTES } from '../../shared/limits.js';
import { endWithBye } from '../../call/end-with-bye.js';
import { duplexChannel, frameMessage, type PakeChannel } from './pake-channel.js';
import { runPake } from './pake.js';
import { secureClient } from './tls.js';

/** Binding bytes of the PAKE on TCP: names the carrier, so a run over TCP cannot be relayed into another carrier's. */
export const TCP_PAKE_BINDING = new TextEncoder().encode('termcall tcp, then TLS 1.2 ECDHE-PSK keyed by the PAKE');
/** A fatal TLS alert "protocol_version" (RFC 5246 §7.2): what a 0.1 caller (TLS-PSK without a PAKE) is answered with. */
export const TLS_PROTOCOL_VERSION_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]);
/** What a caller's first bytes are. */
export type CallerKind = 'pake' | 'plain' | 'tls01' | 'garbage' | 'more';

/** Whether `b` starts with `prefix` (as far as b goes when partial). */
function startsWith(b: Uint8Array, prefix: Uint8Array, partial: boolean): boolean {
  const n = partial ? Math.min(b.length, prefix.length) : prefix.length;
  if (b.length < n) return false;
  for (let i = 0; i < n; i++) if (b[i] !== prefix[i]) return false;
  return true;
}

/** Classify a caller by its first bytes: 'more' while they could still be either magic. */
export function classifyCaller(b: Uint8Array): CallerKind {
  if (b.length === 0) return 'more';
  if (b[0] === 0x16) return 'tls01';
  if (startsWith(b, PAKE_MAGIC, false)) return 'pake';
  if (startsWith(b, MAGIC, false)) return 'plain';
  if (b.length < MAGIC.length && (startsWith(b, PAKE_MAGIC, true) || startsWith(b, MAGIC, true))) return 'more';
  return 'garbage';
}

/** Bytes read from a socket until `enough` says so or it closes; the socket is paused afterwards. */
export interface Head { readonly bytes: Buffer; readonly closed: boolean; cancel(): void }

/** Read from a socket until enough(bytes) or close (no timeout here: the caller bounds the wait). */
export function readHead(sock: net.Socket, enough: (b: Buffer) => boolean): { done: Promise<Head>; cancel(): void } {
  let bytes = Buffer.alloc(0);
  let cancel = (): void => undefined;
  const done = new Promise<Head>((resolve) => {
    const finish = (closed: boolean): void => {
      sock.off('data', onData);
      sock.off('end', onEnd);
      sock.off('close', onEnd);
      sock.pause();
      resolve({ bytes, closed, cancel: () => undefined });
    };
    const onData = (c: Buffer): void => {
      bytes = Buffer.concat([bytes, c]);
      if (enough(bytes)) finish(false);
    };
    const onEnd = (): void => finish(true);
    cancel = () => finish(true);
    sock.on('data', onData);
    sock.on('end', onEnd);
    sock.on('close', onEnd);
    sock.resume();
  });
  return { done, cancel: () => cancel() };
}

/** A listener that answered our PAKE magic in plain termcall: a 0.1 listener with a passphrase, or one without any. */
async function plainReplyError(sock: net.Socket, head: Buffer): Promise<ProtocolError> {
  // Wait for the preamble and the start of a BYE (or the close); both kinds of listener close right after.
  const want = PREAMBLE_BYTES + MESSAGE_HEADER_BYTES + 1;
  if (head.length < want) sock.unshift(head);
  const h = head.length >= want ? { bytes: head } : await readHead(sock, (b) => b.length >= want).done;
  sock.destroy();
  const b = h.bytes;
  if (b[PREAMBLE_BYTES] === MSG.bye && b[PREAMBLE_BYTES + MESSAGE_HEADER_BYTES] === BYE_REASON.needsSecret) {
    return new ProtocolError('ERR_VERSION_MISMATCH',
      'the listener runs termcall 0.1, whose passphrase protocol (TLS-PSK without a PAKE) this version no longer speaks: update termcall there');
  }
  return new ProtocolError('ERR_PEER_HAS_NO_SECRET',
    'the listener does not use a passphrase, this side does: the call would not be encrypted (drop --secret, or set it on both sides)');
}

/** The caller's PAKE carrier: sends at once, and recognises a plain-termcall answer before reading PAKE frames. */
function callerChannel(sock: net.Socket): PakeChannel {
  let inner: PakeChannel | null = null;
  // A PAKE frame starts with a u16 length far below 0x544d ("TM"): two bytes tell the answers apart.
  const head = readHead(sock, (b) => b.length >= 2);
  return {
    send: (m) => (inner ? inner.send(m) : void sock.write(frameMessage(m))),
    receive: async () => {
      if (!inner) {
        const h = await head.done;
        if (h.bytes.length >= 2 && startsWith(h.bytes, MAGIC.subarray(0, 2), false)) throw await plainReplyError(sock, h.bytes);
        if (h.bytes.length) sock.unshift(h.bytes);
        inner = duplexChannel(sock);
      }
      return inner.receive();
    },
    release: () => (inner ? inner.release() : head.cancel()),
  };
}

/** Dialer: "TMPK", CPace as initiator, then TLS-PSK keyed by the PAKE's key. Rejects with the PAKE's or TLS's errors. */
export async function pakeClient(sock: net.Socket, secret: string, who: string): Promise<tls.TLSSocket> {
  sock.setNoDelay(true);
  // Errors of the raw socket show as its close (the PAKE and TLS report those); an unheard 'error' must not crash.
  sock.on('error', () => undefined);
  sock.write(PAKE_MAGIC);
  try {
    const key = await runPake(callerChannel(sock), secret, 'initiator', TCP_PAKE_BINDING, { who });
    return await secureClient(sock, Buffer.from(key), who);
  } catch (err) {
    // A fail message may be on its way to the listener (so it can say why): end gracefully, destroy soon after.
    sock.on('data', () => undefined);
    sock.resume();
    endWithBye(sock, new Uint8Array());
    throw err;
  }
}
