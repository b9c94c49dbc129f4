// TLS 1.2 ECDHE-PSK (keyed by the PAKE) under the call session: the client and server ends, and clear errors for each way they fail.
import type net from 'node:net';
import tls from 'node:tls';
import { ProtocolError, messageOf } from '../../shared/errors.js';
import { SECURE_HANDSHAKE_TIMEOUT_MS } from '../../shared/limits.js';

/** The one cipher suite (RFC 7905): ephemeral X25519/P-256 DH mixed with the PSK, ChaCha20-Poly1305 AEAD records. */
export const SECURE_CIPHERS = 'ECDHE-PSK-CHACHA20-POLY1305';
/** Protocol version, pinned (ECDHE-PSK: the key also mixes a fresh Diffie-Hellman secret; docs/security.md). */
export const SECURE_TLS_VERSION = 'TLSv1.2';
/** PSK identity (the client's; no server hint is sent): names the construction, carries nothing about the user. Sent in the clear. */
export const PSK_IDENTITY = 'termcall-pake1';

/** TLS options both ends share. */
const COMMON = {
  minVersion: SECURE_TLS_VERSION, maxVersion: SECURE_TLS_VERSION, ciphers: SECURE_CIPHERS, ecdhCurve: 'X25519:P-256',
} as const;

/** Map a TLS handshake error to a ProtocolError: a MAC/decrypt failure means the passphrases differ. */
export function tlsError(err: unknown, who: string): ProtocolError {
  const code = String((err as NodeJS.ErrnoException | null)?.code ?? '');
  if (/BAD_RECORD_MAC|DECRYPTION_FAILED|DECRYPT_ERROR/.test(code)) {
    return new ProtocolError('ERR_AUTH_FAILED', `${who}: the passphrase does not match the peer's`, { cause: err });
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new ProtocolError('ERR_PEER_CLOSED', `${who} closed the connection during the encrypted handshake`, { cause: err });
  }
  return new ProtocolError('ERR_SECURE_HANDSHAKE', `${who}: the encrypted handshake failed: ${messageOf(err).split('\n')[0] ?? ''}`, { cause: err });
}

/** Settle a TLS handshake: resolve on success, reject (and destroy everything) on error, close or timeout. */
function handshake(sock: tls.TLSSocket, raw: net.Socket, who: string, readyEvent: 'secureConnect' | 'secure'): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    let done = false;
    const fail = (e: ProtocolError): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      raw.destroy();
      reject(e);
    };
    const timer = setTimeout(() => fail(new ProtocolError('ERR_HANDSHAKE_TIMEOUT',
      `${who} did not complete the encrypted handshake within ${SECURE_HANDSHAKE_TIMEOUT_MS} ms ` +
      '(a listener slows down addresses with repeated failed attempts)')), SECURE_HANDSHAKE_TIMEOUT_MS);
    sock.once(readyEvent, () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(sock);
    });
    sock.on('error', (err) => fail(tlsError(err, who)));
    sock.once('close', () => fail(new ProtocolError('ERR_PEER_CLOSED', `${who} closed the connection during the encrypted handshake`)));
  });
}

/** Dialer: run TLS-PSK over a connected socket, keyed by the PAKE's output (pake-tcp.ts ran the PAKE first). */
export function secureClient(raw: net.Socket, psk: Buffer, who: string): Promise<tls.TLSSocket> {
  raw.setNoDelay(true);
  // The PAKE left the socket paused; TLS reads it through its handle, which a paused socket keeps stopped.
  raw.resume();
  const sock = tls.connect({
    ...COMMON, socket: raw,
    pskCallback: () => ({ psk, identity: PSK_IDENTITY }),
    checkServerIdentity: () => undefined,
  });
  return handshake(sock, raw, who, 'secureConnect');
}

/** Listener: run TLS-PSK over an accepted socket (paused, anything unread unshifted back), keyed by the PAKE's output. */
export function secureServer(raw: net.Socket, psk: Buffer, who: string): Promise<tls.TLSSocket> {
  raw.setNoDelay(true);
  // TLSSocket reads pskCallback at run time; @types/node lists it only for tls.createServer.
  const opts: tls.TLSSocketOptions & Pick<tls.TlsOptions, 'pskCallback'> = {
    ...COMMON, isServer: true,
    pskCallback: (_s: tls.TLSSocket, identity: string) => (identity === PSK_IDENTITY ? psk : null),
  };
  const sock = new tls.TLSSocket(raw, opts);
  return handshake(sock, raw, who, 'secure');
}
