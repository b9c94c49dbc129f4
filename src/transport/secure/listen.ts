// The listener side of a secure call: tell a PAKE caller from a plain or a 0.1 one by its magic, run CPace, then TLS-PSK.
import type net from 'node:net';
import type tls from 'node:tls';
import { ProtocolError } from '../../shared/errors.js';
import { FIRST_BYTE_TIMEOUT_MS } from '../../shared/limits.js';
import { PAKE_MAGIC } from '../../protocol/messages.js';
import { encodeMessage, encodePreamble } from '../../protocol/codec.js';
import { endWithBye } from '../../call/end-with-bye.js';
import { PakeError, runPake } from './pake.js';
import { TCP_PAKE_BINDING, TLS_PROTOCOL_VERSION_ALERT, classifyCaller, readHead } from './pake-tcp.js';
import { secureServer } from './tls.js';

/** A connection refused before it became a session. */
export interface RejectedInfo { readonly address: string; readonly error: ProtocolError }
/** A connection held back because its address failed before. */
export interface ThrottledInfo { readonly address: string; readonly delayMs: number; readonly failures: number }
/** Why serveSecure gave up; failed: the attempt counts towards the address's slowdown. */
export interface SecureRefusal { readonly error: ProtocolError; readonly failed: boolean }

/** What a secure listener tells a plain termcall caller, in a BYE with reason needsSecret. */
export const PLAIN_CALLER_BYE_TEXT = 'this listener requires a passphrase (an encrypted call): call it with the same --secret';

/**
 * Serve one accepted connection on a listener with a passphrase: resolves with the TLS stream once the caller proved
 * it (CPace with key confirmation, then TLS-PSK keyed by the PAKE). A caller that got a tag to test a guess against
 * and did not finish counts as a failed attempt, however it ends.
 */
export async function serveSecure(sock: net.Socket, secret: string, who: string): Promise<tls.TLSSocket> {
  const refuse = (error: ProtocolError, failed: boolean): never => {
    throw { error, failed } satisfies SecureRefusal;
  };
  const head = readHead(sock, (b) => classifyCaller(b) !== 'more');
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; head.cancel(); }, FIRST_BYTE_TIMEOUT_MS);
  const h = await head.done;
  clearTimeout(timer);
  const kind = classifyCaller(h.bytes);
  if (kind === 'more') {
    sock.destroy();
    if (!timedOut) refuse(new ProtocolError('ERR_PEER_CLOSED', `${who} closed the connection before the handshake`), false);
    refuse(new ProtocolError('ERR_HANDSHAKE_TIMEOUT', `${who} sent no termcall magic within ${FIRST_BYTE_TIMEOUT_MS} ms`), false);
  }
  if (kind === 'plain') {
    sock.resume();
    refusePlain(sock);
    refuse(new ProtocolError('ERR_PEER_HAS_NO_SECRET', `${who} does not use a passphrase; this listener requires one`), false);
  }
  if (kind === 'tls01') {
    endPaused(sock, TLS_PROTOCOL_VERSION_ALERT);
    refuse(new ProtocolError('ERR_VERSION_MISMATCH',
      `${who} runs termcall 0.1, whose passphrase protocol (TLS-PSK without a PAKE) this version no longer speaks: it needs an update`), false);
  }
  if (kind === 'garbage') {
    sock.destroy();
    refuse(new ProtocolError('ERR_BAD_MAGIC', `${who} is not speaking termcall (neither the PAKE nor the termcall magic)`), true);
  }
  sock.unshift(h.bytes.subarray(PAKE_MAGIC.length));
  let key: Uint8Array;
  try {
    key = await runPake(sock, secret, 'responder', TCP_PAKE_BINDING, { who });
  } catch (err) {
    const e = err instanceof PakeError ? err : new PakeError('ERR_SECURE_HANDSHAKE', String(err));
    // The fail message (if any) is on its way: let it leave before the socket goes.
    endPaused(sock, new Uint8Array());
    return refuse(e, e.guessTested);
  }
  try {
    return await secureServer(sock, Buffer.from(key), who);
  } catch (err) {
    const e = err as ProtocolError;
    return refuse(e, e.code === 'ERR_AUTH_FAILED' || e.code === 'ERR_SECURE_HANDSHAKE');
  }
}

/** End a socket the handshake left paused: read (and drop) what comes, so the peer's FIN closes it. */
function endPaused(sock: net.Socket, last: Uint8Array): void {
  sock.on('data', () => undefined);
  sock.resume();
  endWithBye(sock, last);
}

/** Answer a plain caller in its own protocol: preamble and a BYE that says a passphrase is required, then close. */
function refusePlain(sock: net.Socket): void {
  endWithBye(sock, Buffer.concat([encodePreamble(), encodeMessage({ type: 'bye', reason: 'needsSecret', text: PLAIN_CALLER_BYE_TEXT })]));
}
