// The listener side of a secure call: tell an encrypted caller from a plain one by its first byte, then run TLS-PSK.
import type net from 'node:net';
import type tls from 'node:tls';
import { ProtocolError } from '../../shared/errors.js';
import { FIRST_BYTE_TIMEOUT_MS } from '../../shared/limits.js';
import { encodeMessage, encodePreamble } from '../../protocol/codec.js';
import { endWithBye } from '../../call/end-with-bye.js';
import { classifyFirstByte, secureServer } from './tls.js';

/** A connection refused before it became a session. */
export interface RejectedInfo { readonly address: string; readonly error: ProtocolError }
/** A connection held back because its address failed before. */
export interface ThrottledInfo { readonly address: string; readonly delayMs: number; readonly failures: number }
/** Why serveSecure gave up; failed: the attempt counts towards the address's slowdown. */
export interface SecureRefusal { readonly error: ProtocolError; readonly failed: boolean }

/** What a secure listener tells a plain termcall caller, in a BYE with reason needsSecret. */
export const PLAIN_CALLER_BYE_TEXT = 'this listener requires a passphrase (an encrypted call): call it with the same --secret';

/** Serve one accepted connection on a listener with a passphrase: resolves with the TLS stream once both proved it. */
export function serveSecure(sock: net.Socket, psk: Buffer, who: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const refuse = (error: ProtocolError, failed: boolean): void => reject({ error, failed } satisfies SecureRefusal);
    const timer = setTimeout(() => {
      sock.destroy();
      refuse(new ProtocolError('ERR_HANDSHAKE_TIMEOUT', `${who} sent nothing within ${FIRST_BYTE_TIMEOUT_MS} ms`), false);
    }, FIRST_BYTE_TIMEOUT_MS);
    const onClose = (): void => {
      clearTimeout(timer);
      refuse(new ProtocolError('ERR_PEER_CLOSED', `${who} closed the connection before the handshake`), false);
    };
    sock.once('close', onClose);
    sock.once('data', (first: Buffer) => {
      sock.pause();
      clearTimeout(timer);
      sock.off('close', onClose);
      const kind = classifyFirstByte(first[0]);
      if (kind === 'plain') {
        refusePlain(sock);
        refuse(new ProtocolError('ERR_PEER_HAS_NO_SECRET', `${who} does not use a passphrase; this listener requires one`), false);
      } else if (kind === 'garbage') {
        sock.destroy();
        refuse(new ProtocolError('ERR_BAD_MAGIC', `${who} is not speaking termcall (neither TLS nor the termcall magic)`), true);
      } else {
        secureServer(sock, first, psk, who).then(resolve, (error: ProtocolError) => refuse(error, error.code === 'ERR_AUTH_FAILED' || error.code === 'ERR_SECURE_HANDSHAKE'));
      }
    });
  });
}

/** Answer a plain caller in its own protocol: preamble and a BYE that says a passphrase is required, then close. */
function refusePlain(sock: net.Socket): void {
  endWithBye(sock, Buffer.concat([encodePreamble(), encodeMessage({ type: 'bye', reason: 'needsSecret', text: PLAIN_CALLER_BYE_TEXT })]));
}
