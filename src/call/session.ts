// A call over one full-duplex stream: handshake, accept, video both ways, pings, stats, and clean failure.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { FrameSource } from '../shared/frame-source.js';
import { ProtocolError, messageOf } from '../shared/errors.js';
import { nowMs } from '../shared/frame.js';
import { fitInside } from '../shared/fit.js';
import {
  AUDIO_BACKLOG_RESERVE_BYTES, DEFAULT_JPEG_QUALITY, DEFAULT_SEND_FPS, HANDSHAKE_TIMEOUT_MS, MAX_PANE_SIDE_PX, PING_INTERVAL_MS, PING_TIMEOUT_MS,
  PROTOCOL_VERSION, RING_TIMEOUT_MS, STATS_INTERVAL_MS,
} from '../shared/limits.js';
import { PingClock } from './clock.js';
import { asProtocolError, encodeMessage, encodePreamble } from '../protocol/codec.js';
import { WireDecoder } from '../protocol/decoder.js';
import { endWithBye } from './end-with-bye.js';
import type { LossyLane, PathInfo } from './lanes.js';
import { decodeWholeMessage } from '../protocol/datagram.js';
import {
  FEATURE, PAKE_MAGIC, type AudioMsg, type AudioStateMsg, type ByeReason, type DecodedItem, type HelloMsg, type Message,
} from '../protocol/messages.js';
import {
  ALLOWED, type CloseInfo, type PeerInfo, type SessionEvents, type SessionOptions, type SessionRole, type SessionState,
} from './session-types.js';
import { VideoReceiver } from './video-receiver.js';
import { VideoSender } from './video-sender.js';

/** A bye text that starts with one of these codes (a secure listener refusing a plain caller) carries that code. */

export type { CloseInfo, PeerAudioState, PeerInfo, SessionEvents, SessionOptions, SessionRole, SessionState } from './session-types.js';

// A pane size the wire can carry: whole pixels, each side at most MAX_PANE_SIDE_PX (aspect kept), 0x0 stays 0x0.
function clampPane(width: number, height: number): { width: number; height: number } {
  const w = Number.isFinite(width) && width > 0 ? Math.round(width) : 0;
  const h = Number.isFinite(height) && height > 0 ? Math.round(height) : 0;
  if (w === 0 || h === 0) return { width: w, height: h };
  return fitInside(w, h, MAX_PANE_SIDE_PX, MAX_PANE_SIDE_PX);
}

/** The path of a call without a lossy lane: everything on one TCP (or TLS) stream. */
const TCP_PATH: PathInfo = { kind: 'tcp', candidates: '', rttMs: Number.NaN };

/**
 * One call over any Duplex stream (net.Socket, a TLS-PSK stream, a WebRTC reliable data channel), plus an optional
 * lossy lane that then carries video and acks (so a lost packet never stalls the picture). Never throws into the event loop.
 */
export class Session extends EventEmitter<SessionEvents> {
  readonly role: SessionRole;
  readonly label: string;
  /** True when the call runs over TLS-PSK (encrypted and authenticated by the shared passphrase). */
  readonly secure: boolean;
  /** Resolves when the call is active; rejects with the close error if it ends first. */
  readonly established: Promise<PeerInfo>;
  /** Resolves with how the call ended. */
  readonly closed: Promise<CloseInfo>;
  private st: SessionState = 'handshake';
  private peerInfo: PeerInfo | null = null;
  private peerVersion = -1;
  private sentAccept = false;
  private firstBytes: Buffer = Buffer.alloc(0);
  private readonly decoder = new WireDecoder();
  private readonly clock = new PingClock();
  private readonly sender: VideoSender;
  private readonly receiver: VideoReceiver;
  private readonly version: number;
  private timers: NodeJS.Timeout[] = [];
  private stateTimer: NodeJS.Timeout | null = null;
  private lastRxAt = nowMs();
  private lastStatsAt = nowMs();
  private audioTxBytes = 0;
  private audioState: AudioStateMsg | null = null;
  private resolveEst!: (p: PeerInfo) => void;
  private rejectEst!: (e: Error) => void;
  private resolveClosed!: (c: CloseInfo) => void;

  /** Lossy-lane messages that did not decode or came when not allowed (dropped, never fatal), total. */
  private laneRejected = 0;

  constructor(private readonly stream: Duplex, private readonly opts: SessionOptions, private readonly lane: LossyLane | null = null) {
    super();
    this.role = opts.role;
    this.label = opts.label ?? 'peer';
    this.secure = opts.secure ?? false;
    this.version = opts.protocolVersion ?? PROTOCOL_VERSION;
    this.established = new Promise((res, rej) => { this.resolveEst = res; this.rejectEst = rej; });
    this.established.catch(() => undefined);
    this.closed = new Promise((res) => { this.resolveClosed = res; });
    this.sender = new VideoSender({
      send: (m) => this.writeMedia(m),
      // While audio flows, video stops short of the backlog limit: an audio packet never waits behind a full backlog.
      backlogBytes: () => (this.lane ? this.lane.backlogBytes() : this.stream.writableLength) +
        (this.audioFlows() ? AUDIO_BACKLOG_RESERVE_BYTES : 0),
      onSourceError: (err) => this.emit('sourceError', err instanceof Error ? err : new Error(messageOf(err))),
    }, clampInt(opts.quality ?? DEFAULT_JPEG_QUALITY, 1, 100), clampInt(opts.fps ?? DEFAULT_SEND_FPS, 1, 60), lane !== null);
    this.sender.setSource(opts.source ?? null);
    this.receiver = new VideoReceiver({
      sendAck: (m) => this.writeMedia(m),
      clockOffsetMs: () => this.clock.offsetMs,
      onFrame: (f, info) => this.emit('frame', f, info),
      onDecodeError: (err) => this.emit('decodeError', err, this.receiver.counters.decodeErrors),
    }, opts.decode ?? null);
    if ('setNoDelay' in stream && typeof stream.setNoDelay === 'function') (stream as { setNoDelay(v: boolean): void }).setNoDelay(true);
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('end', () => this.onPeerGone(null));
    stream.on('close', () => this.onPeerGone(null));
    stream.on('error', (err) => this.onPeerGone(err));
    stream.on('drain', () => this.sender.wake());
    lane?.onMessage((b) => this.onLaneMessage(b));
    this.setStateTimer(HANDSHAKE_TIMEOUT_MS, () => this.fail(
      new ProtocolError('ERR_HANDSHAKE_TIMEOUT', `${this.label} did not complete the handshake within ${HANDSHAKE_TIMEOUT_MS} ms`), 'timeout'));
    this.rawWrite(encodePreamble(this.version));
    const pane = clampPane(opts.pane.width, opts.pane.height);
    this.write({
      type: 'hello', name: opts.name, renderer: opts.renderer ?? '',
      features: FEATURE.chat | (this.secure ? FEATURE.secure : 0) | (opts.audio ? FEATURE.audio : 0),
      paneWidth: pane.width, paneHeight: pane.height,
    });
  }

  /** handshake → ringing → active → closed. */
  get state(): SessionState {
    return this.st;
  }

  /** What the peer announced (null before its HELLO). */
  get peer(): PeerInfo | null {
    return this.peerInfo;
  }

  /** Listener: take the call (video starts both ways). */
  accept(): void {
    if (this.role !== 'listener' || this.st !== 'ringing' || this.sentAccept) return;
    this.sentAccept = true;
    this.write({ type: 'accept' });
    this.activate();
  }

  /** Listener: refuse the call (reason 'busy' when another call is on). */
  decline(reason: 'declined' | 'busy' = 'declined'): void {
    if (this.role !== 'listener' || this.st !== 'ringing') return;
    this.write({ type: 'decline', reason });
    this.finish({ reason, byPeer: false, text: reason === 'busy' ? 'busy with another call' : 'call declined' });
  }

  /** End the call normally. */
  hangup(text = 'hangup'): void {
    this.finish({ reason: 'hangup', byPeer: false, text });
  }

  /** Switch my video source (null: stop sending video). */
  setSource(source: FrameSource | null): void {
    this.sender.setSource(source);
  }

  /** Pause or resume my video; the peer is told. */
  setVideoPaused(paused: boolean): void {
    this.sender.setPaused(paused);
    if (this.st === 'ringing' || this.st === 'active') this.write({ type: 'videoState', paused });
  }

  /** My pane changed size: the peer sends frames that fit it from now on. */
  resize(width: number, height: number): void {
    const pane = clampPane(width, height);
    if (this.st === 'ringing' || this.st === 'active') this.write({ type: 'resize', paneWidth: pane.width, paneHeight: pane.height });
  }

  /** Both sides announced audio: audio messages may be sent (and video leaves room for them). */
  audioFlows(): boolean {
    return (this.opts.audio ?? false) && ((this.peerInfo?.features ?? 0) & FEATURE.audio) !== 0;
  }

  /** Send one Opus frame (active calls with audio on both sides only); written at once, ahead of any waiting video. */
  sendAudio(seq: number, captureTs: number, opus: Uint8Array): void {
    if (this.st !== 'active' || !this.audioFlows()) return;
    const m: AudioMsg = { type: 'audio', seq, captureTs, opus };
    this.audioTxBytes += opus.length;
    this.writeMedia(m);
  }

  /** Tell the peer my microphone/speaker state (muted, none). */
  setAudioState(state: Omit<AudioStateMsg, 'type'>): void {
    this.audioState = { type: 'audioState', ...state };
    if ((this.st === 'ringing' || this.st === 'active') && this.audioFlows()) this.write(this.audioState);
  }

  /** Peer clock minus local clock, ms (from the pings). */
  get clockOffsetMs(): number {
    return this.clock.offsetMs;
  }

  /** Opus payload bytes sent so far (for the audio stats). */
  get audioBytesSent(): number {
    return this.audioTxBytes;
  }

  /** Send a chat line (UTF-8, at most MAX_CHAT_BYTES; throws ProtocolError when longer). */
  sendChat(text: string): void {
    if (this.st !== 'active') return;
    this.write({ type: 'chat', text });
  }

  /** True once the call has ended (a method, so checks after awaits and callbacks are not narrowed away). */
  isClosed(): boolean {
    return this.st === 'closed';
  }

  /** Encode and write a message unless the stream is gone. */
  private write(m: Message): void {
    this.rawWrite(encodeMessage(m));
  }

  /** Video, audio and acks: on the lossy lane when there is one, else on the stream. */
  private writeMedia(m: Message): void {
    if (!this.lane) return this.write(m);
    if (this.st === 'closed') return;
    this.lane.send(encodeMessage(m));
  }

  /** A whole message from the lossy lane: only video, audio and acks, only while active; anything else is dropped and counted. */
  private onLaneMessage(b: Buffer): void {
    if (this.st !== 'active') {
      if (this.st !== 'closed') this.laneRejected++;
      return;
    }
    this.lastRxAt = nowMs();
    let m: Message;
    try {
      m = decodeWholeMessage(b);
    } catch {
      this.laneRejected++;
      return;
    }
    if (m.type === 'video') this.receiver.onVideo(m);
    else if (m.type === 'ack') this.sender.onAck(m); // an ack for a frame already counted lost is fine here
    else if (m.type === 'audio') this.emit('audio', m);
    else this.laneRejected++;
  }

  /** The call's network path (TCP, or what the WebRTC lane reports). */
  get path(): PathInfo {
    return this.lane ? this.lane.path() : TCP_PATH;
  }

  /** Write bytes unless the stream is gone. */
  private rawWrite(b: Buffer): void {
    if (this.stream.destroyed || this.stream.writableEnded) return;
    this.stream.write(b);
  }

  /** Bytes arrived: decode and dispatch; a violation ends the call with a bye. */
  private onData(chunk: Buffer): void {
    if (this.st === 'closed') return;
    this.lastRxAt = nowMs();
    if (this.firstBytes.length < PAKE_MAGIC.length) this.firstBytes = Buffer.concat([this.firstBytes, chunk.subarray(0, PAKE_MAGIC.length)]);
    // Messages that came whole before bad bytes are acted on first (a BYE's reason is not lost), then the error.
    const { items, error } = this.decoder.pushAll(chunk);
    for (const m of items) {
      if (this.isClosed()) return;
      try {
        this.dispatch(m);
      } catch (err) {
        this.fail(asProtocolError(err), 'protocolError');
        return;
      }
    }
    if (error && !this.isClosed()) this.fail(this.explainBadMagic(error), 'protocolError');
  }

  /** Act on one decoded message, enforcing the state machine. */
  private dispatch(m: DecodedItem): void {
    if (m.type === 'preamble') {
      this.peerVersion = m.version;
      if (m.version !== this.version) {
        this.fail(new ProtocolError('ERR_VERSION_MISMATCH',
          `${this.label} speaks termcall protocol v${m.version}, this side speaks v${this.version}`), 'versionMismatch',
        `protocol version mismatch: you speak v${m.version}, this side speaks v${this.version}`);
      }
      return;
    }
    if (m.type === 'bye') return this.onBye(m.reason, m.text);
    if (!ALLOWED[this.st].has(m.type)) {
      throw new ProtocolError('ERR_UNEXPECTED_MESSAGE', `${m.type} message not allowed while ${this.st}`);
    }
    switch (m.type) {
      case 'hello': return this.onHello(m);
      case 'accept':
        if (this.role !== 'dialer') throw new ProtocolError('ERR_UNEXPECTED_MESSAGE', 'only the listener may accept');
        return this.activate();
      case 'decline':
        if (this.role !== 'dialer') throw new ProtocolError('ERR_UNEXPECTED_MESSAGE', 'only the listener may decline');
        return this.finish({ reason: m.reason, byPeer: true, text: m.reason === 'busy' ? 'busy with another call' : 'call declined',
          error: new ProtocolError('ERR_CALL_DECLINED', m.reason === 'busy' ? `${this.label} is busy with another call` : `${this.label} declined the call`) });
      case 'video': return this.receiver.onVideo(m);
      case 'ack':
        if (!this.sender.onAck(m)) throw new ProtocolError('ERR_UNEXPECTED_MESSAGE', `ack for frame ${m.seq}, which is not in flight`);
        return;
      case 'ping': return this.write({ type: 'pong', id: m.id, echoTs: m.ts, ts: nowMs() });
      case 'pong': return this.clock.onPong(m.echoTs, m.ts, nowMs());
      case 'resize':
        this.sender.setBox(m.paneWidth, m.paneHeight);
        this.emit('peerResize', { width: m.paneWidth, height: m.paneHeight });
        return;
      case 'videoState': this.emit('peerVideo', { paused: m.paused }); return;
      case 'chat': this.emit('chat', m.text); return;
      case 'audio': this.emit('audio', m); return;
      case 'audioState':
        this.emit('peerAudio', { micMuted: m.micMuted, noMic: m.noMic, speakerOff: m.speakerOff });
        return;
    }
  }

  /** Peer HELLO: handshake done, start pings, ring. */
  private onHello(m: HelloMsg): void {
    this.peerInfo = {
      name: m.name, renderer: m.renderer, paneWidth: m.paneWidth, paneHeight: m.paneHeight,
      features: m.features, version: this.peerVersion,
    };
    this.sender.setBox(m.paneWidth, m.paneHeight);
    this.st = 'ringing';
    this.startTimers();
    const ringMs = this.opts.ringTimeoutMs ?? RING_TIMEOUT_MS;
    this.setStateTimer(ringMs, () => this.fail(
      new ProtocolError('ERR_RING_TIMEOUT', `${this.label}: the call was not accepted within ${ringMs} ms`), 'timeout'));
    this.emit('handshake', this.peerInfo);
    if (this.isClosed()) return; // a 'handshake' listener ended the call (e.g. the listener is busy)
    if (this.role === 'dialer') this.emit('ringing', this.peerInfo);
    else if (this.opts.autoAccept) this.accept();
    else this.emit('incoming', this.peerInfo);
  }

  /** The call is accepted: media flows. */
  private activate(): void {
    if (this.st !== 'ringing' || !this.peerInfo) return;
    this.st = 'active';
    this.clearStateTimer();
    this.sender.start();
    if (this.audioState && this.audioFlows()) this.write(this.audioState);
    this.resolveEst(this.peerInfo);
    this.emit('connected', this.peerInfo);
  }

  /** Ping, liveness and stats timers (after the handshake). */
  private startTimers(): void {
    const ping = setInterval(() => {
      const p = this.clock.nextPing(nowMs());
      this.write({ type: 'ping', id: p.id, ts: p.ts });
    }, PING_INTERVAL_MS);
    const live = setInterval(() => {
      const quiet = nowMs() - this.lastRxAt;
      if (quiet > PING_TIMEOUT_MS) {
        this.fail(new ProtocolError('ERR_PING_TIMEOUT', `${this.label} sent nothing for ${Math.round(quiet)} ms (link dead or half-open)`), 'timeout');
      }
    }, 250);
    const stats = setInterval(() => this.emitStats(), STATS_INTERVAL_MS);
    this.timers.push(ping, live, stats);
  }

  /** Emit one 'stats' event covering the time since the last one. */
  private emitStats(): void {
    const now = nowMs();
    const elapsed = now - this.lastStatsAt;
    this.lastStatsAt = now;
    this.emit('stats', {
      ts: now,
      peer: this.peerInfo?.name ?? '',
      rttMs: this.clock.rttMs,
      path: this.path,
      lossy: this.lane ? { lostFrames: this.sender.lostCount, droppedMessages: this.lane.droppedCount() + this.laneRejected } : null,
      clockOffsetMs: Math.round(this.clock.offsetMs * 10) / 10,
      tx: { ...this.sender.counters.snapshot(elapsed), targetFps: this.sender.cc.fps, inFlight: this.sender.inFlightCount },
      rx: this.receiver.counters.snapshot(elapsed),
    });
  }

  /**
   * The PAKE magic (or a 0.1 caller's TLS ClientHello, 0x16; on WebRTC a PAKE frame, whose u16 length starts with 0)
   * where the magic should be: the caller uses a passphrase and this side does not.
   */
  private explainBadMagic(e: ProtocolError): ProtocolError {
    const pake = this.firstBytes.subarray(0, PAKE_MAGIC.length).equals(PAKE_MAGIC) || (this.lane !== null && this.firstBytes[0] === 0);
    if (e.code !== 'ERR_BAD_MAGIC' || !(pake || this.firstBytes[0] === 0x16) || this.secure) return e;
    return new ProtocolError('ERR_PEER_NEEDS_SECRET',
      `${this.label} uses a passphrase (an encrypted call) and this side has none: use the same --secret on both sides`);
  }

  /** The peer said bye. */
  private onBye(reason: ByeReason, text: string): void {
    let error: ProtocolError | undefined;
    if (reason === 'needsSecret') error = new ProtocolError('ERR_PEER_NEEDS_SECRET', `${this.label}: ${text}`);
    else if (reason === 'versionMismatch') error = new ProtocolError('ERR_VERSION_MISMATCH', `${this.label}: ${text}`);
    else if (reason === 'declined' || reason === 'busy') error = new ProtocolError('ERR_CALL_DECLINED', `${this.label} declined the call (${reason})`);
    else if (reason !== 'hangup') error = new ProtocolError('ERR_PEER_CLOSED', `${this.label} ended the call (${reason}): ${text}`);
    this.finish({ reason, byPeer: true, text, ...(error ? { error } : {}) });
  }

  /** The stream ended or broke without a bye. */
  private onPeerGone(err: Error | null): void {
    if (this.st === 'closed') return;
    const how = this.decoder.midMessage ? 'mid-message' : 'without saying bye';
    this.finish({
      reason: 'goingAway', byPeer: true, text: err ? err.message : 'connection closed',
      error: new ProtocolError('ERR_PEER_CLOSED', `${this.label} closed the connection ${how}${err ? `: ${err.message}` : ''}`, { cause: err ?? undefined }),
    });
  }

  /** This side detected a problem: bye with the reason (when the stream still works), then close. */
  private fail(error: ProtocolError, reason: ByeReason, text = `${error.code}: ${error.message}`): void {
    this.finish({ reason, byPeer: false, text, error });
  }

  /** End the call once: say bye if we are the one ending it, stop everything, close the stream, emit 'close'. */
  private finish(info: CloseInfo): void {
    if (this.st === 'closed') return;
    this.st = 'closed';
    this.clearStateTimer();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.sender.stop();
    this.receiver.stop();
    if (!info.byPeer && !this.stream.destroyed && !this.stream.writableEnded) {
      endWithBye(this.stream, encodeMessage({ type: 'bye', reason: info.reason, text: info.text }));
    } else {
      this.stream.destroy();
    }
    if (info.error) this.rejectEst(info.error);
    else this.rejectEst(new ProtocolError('ERR_PEER_CLOSED', `the call ended (${info.reason}) before it was connected`));
    this.resolveClosed(info);
    this.emit('close', info);
  }

  /** Arm the one state timer (handshake or ring). */
  private setStateTimer(ms: number, fn: () => void): void {
    this.clearStateTimer();
    this.stateTimer = setTimeout(fn, ms);
  }

  /** Disarm the state timer. */
  private clearStateTimer(): void {
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.stateTimer = null;
  }
}

/** Clamp to an integer range. */
function clampInt(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(v)));
}
