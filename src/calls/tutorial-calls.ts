// The call side for the Python tutorial wires (pickle, raw): a tutorial program's TCP link shown like a call.
//
// These wires have no handshake, so there is nothing to ask a caller for: an incoming connection is held unread
// (pauseOnConnect: no byte parsed, none sent) while the accept prompt is up, and becomes a TutorialLink only once
// accepted (or at once with --auto-accept). Dialing a tutorial sender connects at once. With `send`, our source is
// sent to the program (scaled and letterboxed to the raw size on the raw wire); without it termcall only views.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { hostPort } from '../transport/connect.js';
import type { CloseInfo, PeerInfo } from '../call/session.js';
import { connectTutorial, TutorialLink, tutorialPeerLabel, type TutorialStats } from '../tutorial/link.js';
import { ProtocolError, TermcallError, messageOf } from '../shared/errors.js';
import { padInto } from '../shared/fit.js';
import { reportSourceError, type AudioState, type CallContext, type CallEvents, type CallSide, type TutorialSettings } from './call-side.js';
import type { Logger } from '../shared/log.js';
import { TUTORIAL_HANGUP_GRACE_MS } from '../shared/limits.js';


// A tutorial program has no name and announces no pane: the label says what it is.
function tutorialPeer(): PeerInfo {
  return { name: '', renderer: '', paneWidth: 0, paneHeight: 0, features: 0, version: 0 };
}

// A link's close reason as the ProtocolError CloseInfo carries.
function asProtocolError(err: TermcallError): ProtocolError {
  return err instanceof ProtocolError ? err : new ProtocolError(err.code, err.message, { cause: err });
}

/** How a link's end reads to the app: our hang-up, the program closing, or an error (bad stream, reset). */
export function tutorialCloseInfo(err: TermcallError | undefined, byUs: boolean): CloseInfo {
  if (err) return { reason: 'protocolError', byPeer: !byUs, text: err.message, error: asProtocolError(err) };
  return byUs ? { reason: 'hangup', byPeer: false, text: 'hangup' } : { reason: 'hangup', byPeer: true, text: 'the tutorial program closed the connection' };
}

/** Frames per second sent between two stats events (NaN when not sending). */
export function sendRate(sentBefore: number, sentNow: number, ms: number): number {
  return ms > 0 ? ((sentNow - sentBefore) * 1000) / ms : Number.NaN;
}

/** A listener for tutorial programs and at most one link, with the same events as termcall calls. */
export class TutorialCalls extends EventEmitter<CallEvents> implements CallSide {
  private server: net.Server | null = null;
  private link: TutorialLink | null = null;
  /** An incoming connection held unread until the prompt is answered. */
  private waiting: net.Socket | null = null;
  /** Removes our listeners from the waiting socket before a TutorialLink takes it over. */
  private release: () => void = () => undefined;
  private address = '';
  private dialing = false;
  /** hangup() came while a dial was still connecting: the link it brings is closed at once. */
  private abandon = false;
  refuseIncoming = false;
  private autoAccept = false;
  private paused = false;
  private stopped = false;

  private readonly t: TutorialSettings;

  constructor(private readonly ctx: CallContext, private readonly log: Logger) {
    super();
    if (!ctx.tutorial) throw new TypeError('TutorialCalls needs the tutorial wire settings');
    this.t = ctx.tutorial;
  }

  /** Is a link (or a dial, or an unanswered connection) on? */
  get busy(): boolean {
    return this.link !== null || this.waiting !== null || this.dialing;
  }

  /** "tutorial (pickle)" / "tutorial (raw)". */
  get label(): string {
    return tutorialPeerLabel(this.t.wire);
  }
  /** The tutorial wires have no encryption. */
  get encrypted(): boolean {
    return false;
  }

  /** A tutorial link reports no path. */
  get path(): null {
    return null;
  }

  /** No WebRTC on the tutorial wires. */
  readonly webrtc = null;


  /** Listen for tutorial programs; resolves with the bound address. */
  async listen(port: number, bind: string, autoAccept: boolean): Promise<{ host: string; port: number }> {
    this.autoAccept = autoAccept;
    const server = net.createServer({ pauseOnConnect: true }, (s) => this.onConnection(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, bind, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log.error('tutorial listener', err));
    this.server = server;
    const a = server.address();
    return typeof a === 'object' && a !== null ? { host: a.address, port: a.port } : { host: bind, port };
  }

  /** Connect to a tutorial program (a sender, usually). Rejects (refused, unreachable) before any link exists. */
  async dial(host: string, port: number): Promise<void> {
    if (this.busy) throw new Error('a call is already on');
    const address = hostPort(host, port);
    this.log.info(`dialing ${address} (${this.t.wire} wire)`);
    this.dialing = true;
    this.abandon = false;
    let link: TutorialLink;
    try {
      link = await connectTutorial({ host, port, wire: this.t.wire, rawSize: this.t.rawSize });
    } finally {
      this.dialing = false;
    }
    if (this.stopped || this.abandon) {
      this.abandon = false;
      return void link.destroy();
    }
    this.adopt(link, address);
  }

  /** Accept the waiting connection: only now is its stream read (and ours sent). */
  accept(): void {
    const s = this.waiting;
    if (!s) return;
    this.waiting = null;
    this.release();
    this.log.info(`accepting ${this.label} from ${this.address}`);
    s.setNoDelay(true);
    const link = new TutorialLink(s, { wire: this.t.wire, rawSize: this.t.rawSize });
    this.adopt(link, this.address);
    s.resume();
  }

  /** Decline the waiting connection: closed unread. */
  decline(): void {
    const s = this.waiting;
    if (!s) return;
    this.waiting = null;
    this.log.info(`declining ${this.label} from ${this.address}`);
    s.destroy();
    this.emit('ended', { reason: 'declined', byPeer: false, text: 'declined' }, false);
  }

  /** Hang up: the app is told at once; the link finishes the frame it is writing, then closes. */
  hangup(): void {
    const link = this.link;
    if (this.dialing) this.abandon = true;
    if (!link) return;
    this.link = null;
    this.closeGently(link);
    this.log.info(`hung up on ${this.label} at ${this.address}`);
    this.emit('ended', tutorialCloseInfo(undefined, true), true);
  }

  /** Pause or resume sending my video. */
  /** Tutorial wires carry no audio. */
  setMicMuted(_muted: boolean): void {}
  setSpeakerMuted(_muted: boolean): void {}
  get audioState(): AudioState {
    return { on: false, micMuted: false, speakerMuted: false, peerMicMuted: false };
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  /** The tutorial wires carry only frames: no chat. */
  get chatUnavailable(): string {
    return `chat not available on this wire (${this.label} carries only video)`;
  }

  /** Always refused: the tutorial wires have no chat message. */
  sendChat(): void {
    throw new TermcallError('ERR_CHAT_UNAVAILABLE', this.chatUnavailable);
  }

  /** These wires cannot tell the program a pane size: nothing to do. */
  resize(): void {
    // no resize message on the tutorial wires
  }

  /** Close the link and stop listening. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting?.destroy();
    this.waiting = null;
    const link = this.link;
    this.link = null;
    const closed = link && !link.isClosed ? new Promise<void>((r) => link.once('close', () => r())) : Promise.resolve();
    if (link) this.closeGently(link);
    const server = this.server;
    this.server = null;
    await Promise.all([closed, server ? new Promise<void>((r) => server.close(() => r())) : undefined]);
    this.emit('stopped');
  }

  /** Viewing only: destroy at once. Sending: link.close() finishes the frame being written; destroy if the program lingers. */
  private closeGently(link: TutorialLink): void {
    if (!this.t.send) return link.destroy();
    link.close();
    setTimeout(() => link.destroy(), TUTORIAL_HANGUP_GRACE_MS).unref();
  }

  /** A program connected: refused when busy; else held unread and the app asked (or accepted at once). */
  private onConnection(s: net.Socket): void {
    const address = hostPort(s.remoteAddress ?? '?', s.remotePort ?? 0);
    if (this.busy || this.stopped || this.refuseIncoming) {
      this.log.info(`refusing ${this.label} from ${address}: busy`);
      s.destroy();
      return;
    }
    this.waiting = s;
    this.address = address;
    const onError = (err: Error): void => this.log.warn(`${this.label} from ${address}: ${messageOf(err)}`);
    const onClose = (): void => {
      if (this.waiting !== s) return;
      this.waiting = null;
      this.emit('ended', { reason: 'hangup', byPeer: true, text: 'left before being accepted' }, false);
    };
    s.on('error', onError);
    s.once('close', onClose);
    this.release = () => {
      s.off('error', onError);
      s.off('close', onClose);
    };
    this.log.info(`incoming ${this.label} connection from ${address}${this.autoAccept ? ', auto-accepted' : ''}`);
    if (this.autoAccept) this.accept();
    else this.emit('incoming', tutorialPeer(), address);
  }

  /** Make link the current one: forward frames and stats, send if asked, report its end. */
  private adopt(link: TutorialLink, address: string): void {
    this.link = link;
    this.address = address;
    this.paused = false;
    let sentBefore = 0;
    let at = performance.now();
    link.on('frame', (f) => {
      if (this.link === link) this.emit('frame', f);
    });
    link.on('stats', (st: TutorialStats) => {
      const now = performance.now();
      const out = this.t.send ? sendRate(sentBefore, st.framesSent, now - at) : Number.NaN;
      sentBefore = st.framesSent;
      at = now;
      if (this.link === link) this.emit('linkStats', st, out);
    });
    link.on('close', (err) => {
      const s = link.stats();
      const out = this.t.send ? sendRate(sentBefore, s.framesSent, performance.now() - at) : Number.NaN;
      this.emit('linkStats', s, out);
      this.log.info(`${link.peer} at ${address} closed${err ? `: ${err.message} [${err.code}]` : ''}; ` +
        `received ${s.framesReceived} frames, sent ${s.framesSent}, dropped ${s.framesDropped}`);
      if (this.link !== link) return; // we hung up: the app was told already
      this.link = null;
      this.emit('ended', tutorialCloseInfo(err, false), true);
    });
    this.log.info(`connected to ${link.peer} at ${address}, ${this.t.send ? 'sending my video too' : 'viewing only'}`);
    this.emit('connected', tutorialPeer(), address);
    if (this.t.send) void this.sendLoop(link);
  }

  /** Pull the newest frame of my source and hand it to the link (latest wins) until the link is no longer current. */
  private async sendLoop(link: TutorialLink): Promise<void> {
    const source = this.ctx.source();
    if (!source) return;
    const raw = this.t.wire === 'raw' ? this.t.rawSize : null;
    const box = raw ? { maxWidth: raw.width, maxHeight: raw.height } : { maxWidth: source.info.width, maxHeight: source.info.height };
    let seq = -1;
    try {
      while (this.link === link) {
        const r = await source.pull({ afterSeq: seq, raw: box });
        if (this.link !== link || !r.frame) break;
        seq = r.seq;
        if (!this.paused) link.send(raw ? padInto(r.frame, raw.width, raw.height) : r.frame);
      }
    } catch (err) {
      // after a hang-up or stop the source may be closed under the loop: that is no failure
      if (this.link === link) reportSourceError(this, this.log, err);
    }
  }
}
