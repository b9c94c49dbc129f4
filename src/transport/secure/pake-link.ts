// The PAKE on a WebRTC link: CPace over the reliable channel, bound to both DTLS fingerprints, before the termcall
// handshake (16b's LinkAuthenticator). A man in the middle with its own DTLS certificates fails it.
import type { Duplex } from 'node:stream';
import { PAKE_FAIL_GRACE_MS } from '../../shared/limits.js';
import { runPake } from './pake.js';

/** What the authenticator needs of a link: its reliable stream and the binding (both fingerprints, offerer's first). */
export interface PakeLink { readonly stream: Duplex; readonly binding: Uint8Array }

/** A LinkAuthenticator for the passphrase: resolves once both sides proved it over this very DTLS connection. */
export function pakeAuthenticator(secret: string): (link: PakeLink, role: 'offerer' | 'answerer') => Promise<void> {
  return async (link, role) => {
    try {
      await runPake(link.stream, secret, role === 'offerer' ? 'initiator' : 'responder', link.binding, { who: 'the WebRTC peer' });
    } catch (e) {
      // runPake told the peer why (a fail message): let it leave before the caller closes the link
      await new Promise((resolve) => setTimeout(resolve, PAKE_FAIL_GRACE_MS));
      throw e;
    }
    // The PAKE left the stream paused with any early bytes unshifted; the Session attaches its reader synchronously
    // after this resolves, then the stream flows again.
    setImmediate(() => link.stream.resume());
  };
}
