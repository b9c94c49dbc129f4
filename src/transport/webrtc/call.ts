// A termcall call over WebRTC: the offerer dials (role 'dialer'), the answerer takes the call (role 'listener',
// accepts or declines). The blobs travel by whatever signalling the user has (a file, a pipe, a call code, SSH).
import { Session } from '../../call/session.js';
import { encodeMessage, encodePreamble } from '../../protocol/codec.js';
import { ProtocolError } from '../../shared/errors.js';
import type { CallOptions } from '../connect.js';
import type { IceConfig } from './ice-servers.js';
import { WebrtcPeer, type WebrtcLink } from './peer.js';
import type { SignalBlob } from './signal-blob.js';

export type { SignalBlob } from './signal-blob.js';
export type { IceConfig } from './ice-servers.js';

/**
 * Runs on the open link before the termcall handshake; the PAKE of issue 16a binds link.binding (both DTLS
 * fingerprints) here and rejects when the peer cannot prove the secret. Absent: no extra authentication.
 */
export type LinkAuthenticator = (link: WebrtcLink, role: 'offerer' | 'answerer') => Promise<void>;

/** What both sides need besides the session options. */
export interface WebrtcCallOptions {
  readonly ice: IceConfig;
  /** The session's options; a promise lets the media source open while ICE gathers and the blobs travel. */
  readonly call: Omit<CallOptions, 'secret'> | Promise<Omit<CallOptions, 'secret'>>;
  readonly authenticate?: LinkAuthenticator;
  /** Shown in errors and logs (default "webrtc peer"). */
  readonly label?: string;
  /** Answerer: how long to wait for the offerer to take the answer and connect (default WEBRTC_CONNECT_TIMEOUT_MS). */
  readonly connectTimeoutMs?: number;
}

/** An offer made: send blob to the other side, then complete() with its answer. */
export interface PendingOffer {
  readonly blob: SignalBlob;
  /** Take the answer, wait for the channels, run the authenticator, start the session (role 'dialer'). */
  complete(answer: SignalBlob): Promise<Session>;
  /** Give up (the answer never came). */
  cancel(): void;
}

/** Make an offer for a call. */
export async function offerCall(opts: WebrtcCallOptions): Promise<PendingOffer> {
  const { peer, blob } = await WebrtcPeer.offer(opts.ice);
  return {
    blob,
    async complete(answer) {
      try {
        peer.acceptAnswer(answer);
      } catch (err) {
        peer.close();
        throw err;
      }
      return startSession(await peer.connected(), 'offerer', opts);
    },
    cancel: () => peer.close(),
  };
}

/** An offer answered: send blob back; session resolves once connected (role 'listener': accept or decline it). */
export interface PendingAnswer {
  readonly blob: SignalBlob;
  readonly session: Promise<Session>;
  cancel(): void;
}

/** Answer an offer. Rejects at once (ERR_SIGNAL_BLOB) when the offer is malformed. */
export async function answerCall(offer: SignalBlob, opts: WebrtcCallOptions): Promise<PendingAnswer> {
  const { peer, blob } = await WebrtcPeer.answer(opts.ice, offer);
  const session = peer.connected(opts.connectTimeoutMs).then((link) => startSession(link, 'answerer', opts));
  session.catch(() => undefined);
  return { blob, session, cancel: () => peer.close() };
}

/** Answer a browser's SDP offer: the answer SDP to send back, and the session (role 'listener') once connected. */
export async function answerBrowser(sdp: string, opts: WebrtcCallOptions): Promise<{ sdp: string; session: Promise<Session>; cancel(): void }> {
  const { peer, sdp: answer } = await WebrtcPeer.answerSdp(opts.ice, sdp);
  const session = peer.connected().then((link) => startSession(link, 'answerer', opts));
  session.catch(() => undefined);
  return { sdp: answer, session, cancel: () => peer.close() };
}

/** How long the link stays open after the needsSecret bye, so that it reaches the peer before the close. */
const NEEDS_SECRET_BYE_LINGER_MS = 300;

/** Authenticate the link (when asked), then run the call over its stream and lossy lane. */
async function startSession(link: WebrtcLink, role: 'offerer' | 'answerer', opts: WebrtcCallOptions): Promise<Session> {
  try {
    await opts.authenticate?.(link, role);
  } catch (err) {
    if (err instanceof ProtocolError && err.code === 'ERR_PEER_HAS_NO_SECRET') {
      // The peer started the termcall handshake in the clear: tell it, in its protocol, that a passphrase is needed.
      link.stream.on('error', () => undefined); // the peer may have closed already (it saw our PAKE and gave up)
      if (!link.stream.destroyed && link.stream.writable) link.stream.write(Buffer.concat([encodePreamble(), encodeMessage({
        type: 'bye', reason: 'needsSecret', text: 'the other side uses a passphrase and this side has none: set the same --secret on both sides',
      })]));
      setTimeout(() => link.close(), NEEDS_SECRET_BYE_LINGER_MS).unref();
    } else link.close();
    throw err;
  }
  let call: Omit<CallOptions, 'secret'>;
  try {
    call = await opts.call;
  } catch (err) {
    link.close();
    throw err;
  }
  const session = new Session(link.stream, {
    ...call, role: role === 'offerer' ? 'dialer' : 'listener', label: opts.label ?? 'webrtc peer',
    secure: opts.authenticate !== undefined,
  }, link.lane);
  link.stream.resume(); // the authenticator may have paused it (bytes after its last message were put back)
  return session;
}
