// The WebRTC calls of the one call controller: call codes (offer / answer), ssh signalling (calling and waiting),
// and browsers joining through one-time links. Each brings a Session that Calls runs like any TCP call (the same
// events, prompt, stats, chat, audio), so the TUI and headless show WebRTC calls exactly as TCP ones.
import type { Session } from '../call/session.js';
import type { CallOptions } from '../transport/connect.js';
import { ProtocolError } from '../shared/errors.js';
import { SIGNAL_TIMEOUT_MS, WEBRTC_ANSWER_WAIT_MS } from '../shared/limits.js';
import type { Logger } from '../shared/log.js';
import { pakeAuthenticator } from '../transport/secure/pake-link.js';
import { AnswerCheck, decodeCallCode, encodeCallCode, type CallCode } from '../transport/signal/call-code.js';
import { listenSignalSocket, signalSocketPath, type SignalSocket } from '../transport/signal/local.js';
import { sshExchange, type SshTarget } from '../transport/signal/ssh.js';
import { answerCall, offerCall, type PendingOffer, type WebrtcCallOptions } from '../transport/webrtc/call.js';
import { listenWeb, type WebListener } from '../transport/webrtc/web-server.js';
import type { CallContext } from './call-side.js';

/** What WebRTC calls need of the call controller (Calls). */
export interface WebrtcHost {
  readonly busy: boolean;
  /** Place a call whose session connect() brings; the call's events follow like a dialed one. */
  dialWith(address: string, connect: () => Promise<Session>): Promise<void>;
  /** An incoming session: prompt, or accept at once. */
  takeIncoming(s: Session, autoAccept: boolean): void;
}

/** ssh:// call settings besides the target. */
export interface SshCallOptions {
  readonly sshCommand?: readonly string[];
  readonly remoteCommand?: string;
  /** The answer came back through ssh (the link is being set up now). */
  readonly onAnswer?: () => void;
}

/** A browser join server: a fresh one-time link (full URL) per call. */
export interface WebJoin {
  newLink(): string;
  readonly port: number;
}

/** The passphrase rule for an offer: both sides use one, or neither. */
export function checkOfferPassphrase(offer: CallCode, secret: string | undefined): void {
  if (offer.passphrase && !secret) throw new ProtocolError('ERR_PEER_NEEDS_SECRET', 'the caller uses a passphrase: answer with the same --secret');
  if (!offer.passphrase && secret) throw new ProtocolError('ERR_PEER_HAS_NO_SECRET', 'the caller does not use a passphrase and this side does: drop --secret, or set it on both sides');
}

/** Offers made, answers given, the ssh socket and the web server of one call side. */
export class WebrtcCalls {
  private offer: { pending: PendingOffer; check: AnswerCheck } | null = null;
  private answers = new Set<() => void>();
  private sshSocket: SignalSocket | null = null;
  private web: WebListener | null = null;

  constructor(private readonly host: WebrtcHost, private readonly ctx: CallContext, private readonly log: Logger,
    private readonly callOptions: () => CallOptions) {}

  /** Options of one WebRTC call (session options read now), authenticated by the passphrase when one is set. */
  private options(label: string): WebrtcCallOptions {
    const { secret: _secret, ...call } = this.callOptions();
    return { ice: this.ctx.ice ?? {}, call, label, ...(this.ctx.secret ? { authenticate: pakeAuthenticator(this.ctx.secret) } : {}) };
  }

  /** Make an offer: the call code (tco1…) to send by any channel; then completeCode() with the answer code. */
  async offerCode(): Promise<string> {
    if (this.host.busy) throw new Error('a call is already on');
    this.cancelOffer();
    const pending = await offerCall(this.options('call code'));
    const code = encodeCallCode('offer', pending.blob, { passphrase: this.ctx.secret !== undefined });
    this.offer = { pending, check: new AnswerCheck(decodeCallCode(code, 'offer')) };
    this.log.info(`call code made (${code.length} characters): ${code}`);
    return code;
  }

  /** Is a call code waiting for its answer, or an answer code for its connection? */
  get waiting(): boolean {
    return this.offer !== null || this.answers.size > 0;
  }

  /**
   * Take the answer code to the current offer and connect. Throws at once (ERR_CALL_CODE …: cut, altered, another
   * offer's answer; the offer stays open for a good one); then the call rings and connects like a dialed one.
   */
  completeCode(answerText: string): Promise<void> {
    const o = this.offer;
    if (!o) throw new ProtocolError('ERR_CALL_CODE', 'no call code is waiting for an answer');
    const answer = o.check.take(answerText);
    this.offer = null;
    this.log.info('answer code taken: connecting over WebRTC');
    return this.host.dialWith('call code', () => o.pending.complete(answer.blob)).catch((err: unknown) => {
      o.pending.cancel();
      throw err;
    });
  }

  /** Give up the offer waiting for an answer (Esc, hang up, quitting). */
  cancelOffer(): void {
    this.offer?.pending.cancel();
    this.offer = null;
  }

  /**
   * Answer a checked offer code (the CLI checked expiry, replay and the passphrase rule): the answer code to send
   * back. Answering is the consent: the call is accepted once it connects. `connected` rejects when it never does.
   */
  async answerCode(offer: CallCode): Promise<{ code: string; connected: Promise<void> }> {
    if (this.host.busy) throw new Error('a call is already on');
    checkOfferPassphrase(offer, this.ctx.secret);
    // a person carries the answer code back: wait as long as the link can (not the usual connect time)
    const pending = await answerCall(offer.blob, { ...this.options('call code'), connectTimeoutMs: WEBRTC_ANSWER_WAIT_MS });
    const cancel = (): void => pending.cancel();
    this.answers.add(cancel);
    const code = encodeCallCode('answer', pending.blob, { offer });
    this.log.info(`answer code made (${code.length} characters): ${code}`);
    const connected = pending.session.then((s) => { this.answers.delete(cancel); this.host.takeIncoming(s, true); });
    connected.catch(() => this.answers.delete(cancel));
    return { code, connected };
  }

  /** Give up the answers still waiting for their connection. */
  cancelAnswers(): void {
    for (const c of this.answers) c();
    this.answers.clear();
  }

  /** Call ssh://target: the offer and answer travel through the user's ssh, then the call connects peer to peer. */
  dialSsh(target: SshTarget, opts: SshCallOptions = {}): Promise<void> {
    const where = `ssh://${target.user ? `${target.user}@` : ''}${target.host}`;
    return this.host.dialWith(where, async () => {
      const pending = await offerCall(this.options(where));
      let answer: Uint8Array;
      try {
        answer = await sshExchange(target, pending.blob, {
          passphrase: this.ctx.secret !== undefined, timeoutMs: SIGNAL_TIMEOUT_MS,
          ...(opts.sshCommand ? { sshCommand: opts.sshCommand } : {}), ...(opts.remoteCommand ? { remoteCommand: opts.remoteCommand } : {}),
        });
      } catch (err) {
        pending.cancel();
        throw err;
      }
      this.log.info(`answer received over ssh from ${target.host}: connecting peer to peer`);
      opts.onAnswer?.();
      return pending.complete(answer);
    });
  }

  /** Wait for calls signalled over ssh (termcall call ssh://this-host): each asks first unless autoAccept. */
  async listenSsh(autoAccept: boolean, env: NodeJS.ProcessEnv = process.env): Promise<string> {
    this.sshSocket = await listenSignalSocket(signalSocketPath(env), async (offer) => {
      checkOfferPassphrase(offer, this.ctx.secret);
      if (this.host.busy) throw new ProtocolError('ERR_CALL_DECLINED', 'busy: already in a call');
      const pending = await answerCall(offer.blob, this.options('ssh-signalled'));
      pending.session.then((s) => this.host.takeIncoming(s, autoAccept), (err: unknown) => this.log.warn(`an ssh-signalled call did not connect: ${String(err)}`));
      return pending.blob;
    });
    return this.sshSocket.path;
  }

  /** Serve one-time join links on bind:port; a browser that joins asks first unless autoAccept. */
  async listenWeb(port: number, bind: string, autoAccept: boolean): Promise<WebJoin> {
    const host = bind === '0.0.0.0' ? '127.0.0.1' : bind;
    const web = await listenWeb(host, port, { ...this.options('browser'), ice: {} }, (s) => this.host.takeIncoming(s, autoAccept),
      (what) => this.log.warn(what));
    this.web = web;
    const origin = `http://${host.includes(':') ? `[${host}]` : host}:${web.port}`;
    return { port: web.port, newLink: () => `${origin}${web.newLink()}` };
  }

  /** Cancel what waits, close the socket and the web server. */
  async stop(): Promise<void> {
    this.cancelOffer();
    this.cancelAnswers();
    await this.sshSocket?.close().catch(() => undefined);
    await this.web?.close().catch(() => undefined);
    this.sshSocket = null;
    this.web = null;
  }
}
