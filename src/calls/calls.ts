// The termcall call side: one listener, at most one call, its session events turned into call-side ones.
import { EventEmitter } from 'node:events';
import { dial, hostPort, listen, type CallListener, type CallOptions } from '../transport/connect.js';
import type { Session } from '../call/session.js';
import { messageOf, ProtocolError, TermcallError } from '../shared/errors.js';
import { MAX_CHAT_BYTES } from '../shared/limits.js';
import { chatBytes } from '../shared/chat-text.js';
import type { Logger } from '../shared/log.js';
import { reportSourceError, type AudioState, type CallContext, type CallEvents, type CallSide } from './call-side.js';
import { AudioCall } from './audio-call.js';
import { WebrtcCalls } from './webrtc-calls.js';
import type { PathInfo } from '../call/lanes.js';
import { loadEchoCancel } from '../audio/device-admin.js';
import { openAudioInput, openAudioOutput, type AudioInput, type AudioOutput } from '../audio/devices.js';

/** Decode errors logged one by one before the log only notes every DECODE_ERROR_LOG_EVERY-th. */
const DECODE_ERRORS_LOGGED = 3;
const DECODE_ERROR_LOG_EVERY = 100;

/** Holds the listener and the current call. */
export class Calls extends EventEmitter<CallEvents> implements CallSide {
  private listener: CallListener | null = null;
  private session: Session | null = null;
  private address = '';
  private connected = false;
  private prompting = false;
  private dialing = false;
  /** hangup() came while a dial was still connecting: the session it brings is hung up at once. */
  private abandon = false;
  refuseIncoming = false;
  private autoAccept = false;
  private stopped = false;
  private audioCall: AudioCall | null = null;
  private micMuted = false;
  private speakerMuted = false;
  private peerMicMuted = false;

  /** Calls over WebRTC: call codes, ssh signalling, browsers joining. */
  readonly webrtc: WebrtcCalls;

  constructor(private readonly ctx: CallContext, private readonly log: Logger) {
    super();
    this.micMuted = ctx.audio?.micMuted ?? false;
    this.webrtc = new WebrtcCalls(this, ctx, log, () => this.callOptions(false));
  }

  /** Is a call (or call attempt, an incoming prompt, a call code waiting for its answer or connection) on? */
  get busy(): boolean {
    return this.session !== null || this.dialing || this.webrtc.waiting;
  }

  /** termcall peers say their name in the handshake: no extra label. */
  get label(): string {
    return '';
  }

  /** The current call runs over TLS-PSK (or WebRTC with the passphrase proven). */
  get encrypted(): boolean {
    return this.session?.secure ?? false;
  }

  /** The current call's network path (tcp, or WebRTC direct/relayed), or null with no call. */
  get path(): PathInfo | null {
    return this.session?.path ?? null;
  }

  /** Session options as of now (pane size, renderer and source are read at call time). */
  private callOptions(autoAccept: boolean): CallOptions {
    const ctx = this.ctx;
    const opts = {
      autoAccept,
      decode: ctx.decode,
      fps: ctx.fps,
      audio: this.audioWanted(),
      // getters: the listener copies its options for each connection, so each HELLO carries the values of that moment
      get name() { return ctx.name(); },
      get renderer() { return ctx.renderer(); },
      get pane() { return ctx.pane(); },
      get source() { return ctx.source(); },
    };
    return opts;
  }

  /** Listen for calls; resolves with the bound address. */
  async listen(port: number, bind: string, autoAccept: boolean): Promise<{ host: string; port: number }> {
    // auto-accept is applied here, not by the session, so a second caller is still declined as busy
    this.autoAccept = autoAccept;
    this.listener = await listen({ port, host: bind, call: this.callOptions(false), ...(this.ctx.secret ? { secret: this.ctx.secret } : {}) });
    this.listener.on('session', (s) => this.onIncoming(s));
    this.listener.on('error', (err) => this.log.error('listener', err));
    this.listener.on('rejected', (r) => this.log.warn(`refused ${r.address}: ${r.error.message} [${r.error.code}]`));
    this.listener.on('throttled', (r) => this.log.warn(`slowing down ${r.address}: ${r.failures} failed attempts, next in ${r.delayMs} ms`));
    return this.listener.address();
  }

  /** Dial a peer. Rejects (unreachable, refused) before any session exists. */
  async dial(host: string, port: number): Promise<void> {
    await this.dialWith(hostPort(host, port), () => dial(host, port, { ...this.callOptions(false), ...(this.ctx.secret ? { secret: this.ctx.secret } : {}) }));
  }

  /**
   * Place a call whose session connect() brings (TCP, or WebRTC once signalled): busy meanwhile, then the call's
   * events like any dialed call. Rejects (unreachable, refused, a bad answer code) before any session exists.
   */
  async dialWith(address: string, connect: () => Promise<Session>): Promise<void> {
    if (this.busy) throw new Error('a call is already on');
    this.log.info(`dialing ${address}`);
    this.dialing = true;
    this.abandon = false;
    let s;
    try {
      s = await connect();
    } finally {
      this.dialing = false;
    }
    if (this.stopped || this.abandon) {
      this.abandon = false;
      s.hangup(this.stopped ? 'quitting' : 'hangup');
      return;
    }
    this.adopt(s, address);
    s.on('ringing', (peer) => this.emit('ringing', peer, address));
  }

  /** Accept the waiting incoming call. */
  accept(): void {
    if (!this.prompting || !this.session) return;
    this.prompting = false;
    this.log.info(`accepting call from ${this.address}`);
    this.session.accept();
  }

  /** Decline the waiting incoming call. */
  decline(): void {
    if (!this.prompting || !this.session) return;
    this.prompting = false;
    this.log.info(`declining call from ${this.address}`);
    this.session.decline('declined');
  }

  /** Hang up the current call. */
  hangup(): void {
    if (!this.session && !this.dialing) this.webrtc.cancelOffer();
    if (this.dialing) this.abandon = true;
    this.session?.hangup('hangup');
  }

  /** Pause or resume my video. */
  setPaused(paused: boolean): void {
    this.session?.setVideoPaused(paused);
  }

  /** Chat needs a connected call. */
  get chatUnavailable(): string | null {
    return this.session && this.connected ? null : 'no call: chat messages go to the peer of a call';
  }

  /** Send a chat message to the peer of the current call. */
  sendChat(text: string): void {
    const why = this.chatUnavailable;
    if (why || !this.session) throw new TermcallError('ERR_CHAT_UNAVAILABLE', why ?? 'no call');
    const n = chatBytes(text);
    if (n > MAX_CHAT_BYTES) throw new ProtocolError('ERR_MESSAGE_TOO_LARGE', `chat message of ${n} bytes exceeds ${MAX_CHAT_BYTES}`);
    this.session.sendChat(text);
  }

  /** My pane changed size: tell the peer. */
  resize(size: { width: number; height: number }): void {
    if (this.session && size.width > 0 && size.height > 0) this.session.resize(size.width, size.height);
  }

  /** Mute or unmute my microphone (the peer is told). */
  setMicMuted(muted: boolean): void {
    this.micMuted = muted;
    this.audioCall?.setMicMuted(muted);
    this.emit('audio', this.audioState);
  }

  /** Mute or unmute my speaker. */
  setSpeakerMuted(muted: boolean): void {
    this.speakerMuted = muted;
    this.audioCall?.setSpeakerMuted(muted);
    this.emit('audio', this.audioState);
  }

  /** Audio state of the current call (on: audio flows both ways' capable). */
  get audioState(): AudioState {
    return { on: this.audioCall !== null, micMuted: this.micMuted, speakerMuted: this.speakerMuted, peerMicMuted: this.peerMicMuted };
  }

  /** Does this side announce audio (devices configured, not both none)? */
  private audioWanted(): boolean {
    const a = this.ctx.audio;
    return a !== undefined && (a.input.kind !== 'none' || a.output.kind !== 'none');
  }

  /** The call is up: open the devices and start its audio (failures: a notice, the call goes on without audio). */
  private startAudio(s: Session): void {
    const a = this.ctx.audio;
    if (!a || !s.audioFlows()) return;
    const env = a.env ?? process.env;
    let input: AudioInput | null = null;
    let output: AudioOutput | null = null;
    let devices = { input: a.input, output: a.output };
    if (a.echoCancel) {
      try {
        const ec = loadEchoCancel(a.input, a.output, env);
        devices = ec;
        s.once('close', () => ec.unload());
        this.log.info('echo cancellation: module-echo-cancel loaded for the call');
      } catch (err) {
        this.notice(`echo cancellation off: ${messageOf(err)}`);
      }
    }
    try {
      input = openAudioInput(devices.input, env);
    } catch (err) {
      this.notice(`microphone off: ${messageOf(err)}`);
    }
    try {
      output = openAudioOutput(devices.output, env);
    } catch (err) {
      this.notice(`speaker off: ${messageOf(err)}`);
    }
    // not a warning: a box without sound is normal; the TUI shows it once, headless logs it
    if (!input && !output) this.notice('no sound device, audio off', 'info');
    const call = new AudioCall(s, input, output, {
      notice: (t) => { this.notice(t); this.emit('audio', this.audioState); },
      show: (f) => this.emit('frame', f),
    });
    call.setMicMuted(this.micMuted);
    call.setSpeakerMuted(this.speakerMuted);
    this.audioCall = call;
    s.on('peerAudio', (st) => { this.peerMicMuted = st.micMuted; this.emit('audio', this.audioState); });
    this.log.info(`audio: microphone ${input?.label ?? 'none'}, speaker ${output?.label ?? 'none'}`);
    this.emit('audio', this.audioState);
  }

  /** A line in the log (a warning unless said otherwise) and on screen. */
  private notice(text: string, level: 'warn' | 'info' = 'warn'): void {
    this.log[level](text);
    this.emit('notice', text);
  }

  /** Hang up and stop listening. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.session?.hangup('quitting');
    await this.webrtc.stop();
    await this.listener?.close().catch(() => undefined);
    this.listener = null;
    this.emit('stopped');
  }

  /**
   * A caller connected to our listener. It becomes the current call only once its handshake is done, so a
   * connection that never says anything cannot make us busy; a caller while a call is on is declined as busy.
   */
  private onIncoming(s: Session): void {
    this.takeIncoming(s, this.autoAccept);
  }

  /** An incoming session from any transport (TCP listener, WebRTC answer, a browser): prompt, or accept when autoAccept. */
  takeIncoming(s: Session, autoAccept: boolean): void {
    // A connection that fails before its handshake is done (garbage, a wrong protocol) never becomes a call: say why.
    s.once('close', (info) => {
      if (this.session !== s && info.error) this.log.warn(`refused ${s.label}: ${info.error.message} [${info.error.code}]`);
    });
    s.once('incoming', (peer) => {
      if (this.busy || this.stopped || this.refuseIncoming) {
        this.log.info(`declining ${s.label}: busy`);
        s.decline('busy');
        return;
      }
      this.adopt(s, s.label);
      this.prompting = true;
      this.log.info(`incoming call from ${peer.name} (${s.label})${autoAccept ? ', auto-accepted' : ''}`);
      if (autoAccept) this.accept();
      else this.emit('incoming', peer, s.label);
    });
  }

  /** Make s the current call and forward its events. */
  private adopt(s: Session, address: string): void {
    this.session = s;
    this.address = address;
    this.connected = false;
    s.on('connected', (peer) => {
      this.connected = true;
      this.prompting = false;
      this.log.info(`connected to ${peer.name} (${address}), peer pane ${peer.paneWidth}x${peer.paneHeight}`);
      this.startAudio(s);
      this.emit('connected', peer, address);
    });
    // With audio, frames wait for the audio play-out clock (lip sync); without, they are shown at once.
    s.on('frame', (f) => (this.audioCall ? this.audioCall.videoFrame(f) : this.emit('frame', f)));
    s.on('stats', (st) => this.emit('stats', this.audioCall ? { ...st, audio: this.audioCall.stats() } : st));
    s.on('peerVideo', (v) => this.emit('peerVideo', v.paused));
    s.on('chat', (text) => this.emit('chat', text));
    s.on('sourceError', (err) => reportSourceError(this, this.log, err));
    s.on('decodeError', (err, total) => {
      if (total <= DECODE_ERRORS_LOGGED || total % DECODE_ERROR_LOG_EVERY === 0) {
        this.log.warn(`a frame from ${address} could not be decoded (${total} so far): ${messageOf(err)}`);
      }
    });
    s.once('close', (info) => {
      const was = this.connected;
      this.audioCall?.stop();
      this.audioCall = null;
      this.peerMicMuted = false;
      this.session = null;
      this.prompting = false;
      this.connected = false;
      this.log.info(`call with ${address} ended: ${info.reason}${info.byPeer ? ' (by peer)' : ''}: ${info.text}` +
        `${info.error ? ` [${info.error.code}]` : ''}`);
      this.emit('ended', info, was);
    });
  }
}
