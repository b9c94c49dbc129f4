// The sending half of a call: pulls the newest frame at the size the peer asked for (or smaller under congestion),
// keeps few frames in flight.
import type { FrameSource } from '../shared/frame-source.js';
import { messageOf } from '../shared/errors.js';
import { nowMs } from '../shared/frame.js';
import {
  CONGESTION_WINDOW_MS, LOSSY_ACK_TIMEOUT_MS, MAX_FRAMES_IN_FLIGHT, MAX_FRAMES_IN_FLIGHT_LONG_PATH, MAX_SOCKET_BACKLOG_BYTES,
} from '../shared/limits.js';
import { CongestionControl, minSendScale, scaledBox } from './congestion.js';
import type { AckMsg, VideoMsg } from '../protocol/messages.js';
import { DirectionCounters } from './stats.js';

/** What the sender needs from the session. */
export interface SenderLink {
  /** Write a video message to the peer. */
  send(m: VideoMsg): void;
  /** Bytes written but not yet handed to the OS. */
  backlogBytes(): number;
  /** The source failed (ended, worker died): the sender stops sending video until a new source is set. */
  onSourceError(err: unknown): void;
}

/**
 * The unacked frames allowed: MAX_FRAMES_IN_FLIGHT plus those the uncongested round trip holds at this frame rate
 * (without them a 100 ms path could carry at most 20 fps), at most MAX_FRAMES_IN_FLIGHT_LONG_PATH.
 */
export function framesInFlightAllowed(baseAckDelayMs: number, fps: number): number {
  const path = Number.isFinite(baseAckDelayMs) && baseAckDelayMs > 0 ? Math.floor((baseAckDelayMs * fps) / 1000) : 0;
  return Math.min(MAX_FRAMES_IN_FLIGHT_LONG_PATH, MAX_FRAMES_IN_FLIGHT + path);
}

/** Sends video with flow control: a few unacked frames (framesInFlightAllowed); never queues, skips at the source. */
export class VideoSender {
  readonly counters = new DirectionCounters();
  readonly cc: CongestionControl;
  private source: FrameSource | null = null;
  private box = { width: 0, height: 0 };
  private paused = false;
  private running = false;
  private stopped = false;
  private lastSeq = -1;
  /** Wire seq = source seq + offset, so seqs keep rising across source switches. */
  private seqOffset = 0;
  private lastWireSeq = -1;
  private newSource = true;
  private nextSendAt = 0;
  /** Frames sent and not yet acked: wire seq → when sent and when captured (local clock). */
  private inFlight = new Map<number, { sentAt: number; captureTs: number }>();
  private wakeFn: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastAckAt = 0;

  /** Frames given up as lost (lossy lane only): never acked within LOSSY_ACK_TIMEOUT_MS, or overtaken by a later ack. */
  lostCount = 0;

  /** lossy: the link may lose frames and acks (a WebRTC unordered channel): unacked frames expire instead of stalling. */
  constructor(private readonly link: SenderLink, quality: number, fps: number, private readonly lossy = false) {
    this.cc = new CongestionControl(quality, fps, nowMs());
  }

  /** Frames sent and not yet acked. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Use this source (null: send no video). */
  setSource(source: FrameSource | null): void {
    this.source = source;
    this.lastSeq = -1;
    this.newSource = true;
    this.wake();
  }

  /** The pane size the peer wants frames for (congestion may send them smaller: cc.scale of it). */
  setBox(width: number, height: number): void {
    this.box = { width, height };
    this.cc.setMinScale(minSendScale(width, height));
    this.wake();
  }

  /** Pause or resume sending (the session tells the peer). */
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.wake();
  }

  /** Start the send loop (after the call is accepted). */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.timer = setInterval(() => this.onTick(), 100);
    void this.loop();
  }

  /** Stop for good. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.wake();
  }

  /** The peer acknowledged a frame; frees a window slot and feeds the congestion control. */
  onAck(m: AckMsg): boolean {
    const sent = this.inFlight.get(m.seq);
    if (sent === undefined) return false;
    const now = nowMs();
    this.inFlight.delete(m.seq);
    this.lastAckAt = now;
    // Acks come in frame order: frames sent before this one and still unacked were lost on a lossy lane.
    if (this.lossy) for (const seq of [...this.inFlight.keys()]) if (seq < m.seq) this.loseFrame(seq);
    // The peer's capture → decoded latency minus our capture → send time: the frame's one-way trip (NaN if dropped).
    this.cc.onAck(now - sent.sentAt, m.latencyMs - (sent.sentAt - sent.captureTs));
    if (m.status === 'dropped') this.counters.skippedByReceiver++;
    this.counters.addLatency(m.latencyMs);
    this.wake();
    return true;
  }

  /** The socket drained: maybe room for another frame. */
  wake(): void {
    const w = this.wakeFn;
    this.wakeFn = null;
    w?.();
  }

  /** Periodic: judge congestion, notice a window stuck without acks. */
  private onTick(): void {
    const now = nowMs();
    if (this.lossy) {
      for (const [seq, t] of [...this.inFlight]) if (now - t.sentAt > LOSSY_ACK_TIMEOUT_MS) this.loseFrame(seq);
    }
    if (this.inFlight.size > 0 && now - Math.max(this.lastAckAt, this.oldestSent()) > CONGESTION_WINDOW_MS) this.cc.markStalled();
    this.cc.tick(now);
  }

  /** A frame (or its ack) was lost: free its slot (the lane's backlog and the acked delays still drive congestion). */
  private loseFrame(seq: number): void {
    if (!this.inFlight.delete(seq)) return;
    this.lostCount++;
    this.wake();
  }

  /** Send time of the oldest frame in flight. */
  private oldestSent(): number {
    for (const t of this.inFlight.values()) return t.sentAt;
    return 0;
  }

  /** Wait until wake() or ms elapse. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.wakeFn = null; resolve(); }, ms);
      this.wakeFn = () => { clearTimeout(t); resolve(); };
    });
  }

  /** Why no frame can be sent right now, or null when one can. */
  private blocked(): string | null {
    if (!this.source || this.paused) return 'idle';
    if (this.box.width === 0 || this.box.height === 0) return 'idle';
    if (this.inFlight.size >= framesInFlightAllowed(this.cc.baseDelayMs(), this.cc.fps)) return 'window';
    if (this.link.backlogBytes() > MAX_SOCKET_BACKLOG_BYTES) return 'backlog';
    return null;
  }

  /** The send loop: wait for room, pace to the target fps, pull the newest frame, send it. */
  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (this.blocked()) {
        await this.sleep(1000);
        continue;
      }
      const interval = 1000 / this.cc.fps;
      const wait = this.nextSendAt - nowMs() - interval * 0.25;
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      const source = this.source;
      if (!source) continue;
      let pulled;
      try {
        pulled = await source.pull({
          afterSeq: this.lastSeq,
          jpeg: { ...scaledBox(this.box.width, this.box.height, this.cc.scale), quality: this.cc.quality },
          raw: false,
        });
      } catch (err) {
        // A source that fails after the call stopped (closed during shutdown) is nobody's news.
        if (this.source === source && !this.stopped) {
          this.source = null;
          this.link.onSourceError(err instanceof Error ? err : new Error(messageOf(err)));
        }
        continue;
      }
      if (this.stopped || this.source !== source) continue;
      if (this.lastSeq >= 0) this.counters.skippedBySender += Math.max(0, pulled.skipped);
      if (this.newSource) {
        this.newSource = false;
        this.seqOffset = this.lastWireSeq + 1 - pulled.seq;
      }
      this.lastSeq = pulled.seq;
      const enc = pulled.encoded;
      if (!enc || this.blocked()) continue;
      const now = nowMs();
      this.nextSendAt = Math.max(now, this.nextSendAt + interval);
      const seq = (enc.seq + this.seqOffset) >>> 0;
      this.lastWireSeq = seq;
      this.inFlight.set(seq, { sentAt: now, captureTs: enc.captureTs });
      this.counters.addFrame(enc.jpeg.length, enc.quality, enc.width, enc.height);
      this.link.send({
        type: 'video', seq, captureTs: enc.captureTs,
        width: enc.width, height: enc.height, quality: enc.quality, jpeg: enc.jpeg,
      });
    }
  }
}
