// The receiving half of a call: decodes the newest frame only (latest wins) and acknowledges every frame.
import type { Frame } from '../shared/frame.js';
import { nowMs } from '../shared/frame.js';
import type { AckMsg, VideoMsg } from '../protocol/messages.js';
import { DirectionCounters } from './stats.js';

/** Decodes a JPEG into BGR pixels, ideally off the main thread (the media worker's decodeJpeg). */
export type DecodeFn = (jpeg: Uint8Array) => Promise<Frame>;

/** A decoded remote frame with what is known about its trip. */
export interface RemoteFrameInfo {
  /** Capture → decoded estimate in ms (uses the ping clock offset). */
  readonly latencyMs: number;
  readonly quality: number;
  readonly jpegBytes: number;
}

/** What the receiver needs from the session. */
export interface ReceiverLink {
  sendAck(m: AckMsg): void;
  /** Peer clock minus local clock, ms. */
  clockOffsetMs(): number;
  /** A frame is decoded (frame.captureTs is on the local clock). */
  onFrame(frame: Frame, info: RemoteFrameInfo): void;
  /** A frame could not be decoded (it is dropped and counted, the call goes on). */
  onDecodeError(err: unknown): void;
}

/** Latest-wins receive path: one decode at a time, at most one frame waiting; older waiting frames are dropped. */
export class VideoReceiver {
  readonly counters = new DirectionCounters();
  private decoding = false;
  private pending: VideoMsg | null = null;
  private lastSeq = -1;
  private stopped = false;

  constructor(private readonly link: ReceiverLink, private readonly decode: DecodeFn | null) {}

  /** Stop decoding; frames arriving later are ignored. */
  stop(): void {
    this.stopped = true;
    this.pending = null;
  }

  /** A video message arrived. */
  onVideo(m: VideoMsg): void {
    if (this.stopped) return;
    // A frame older than one already seen (reordered on a lossy lane): too late to show, acked as dropped.
    if (m.seq <= this.lastSeq) {
      this.counters.skippedByReceiver++;
      this.link.sendAck({ type: 'ack', seq: m.seq, status: 'dropped', latencyMs: Number.NaN });
      return;
    }
    if (this.lastSeq >= 0 && m.seq > this.lastSeq + 1) this.counters.skippedBySender += m.seq - this.lastSeq - 1;
    this.lastSeq = m.seq;
    this.counters.addFrame(m.jpeg.length, m.quality, m.width, m.height);
    if (!this.decoding) {
      void this.run(m);
      return;
    }
    if (this.pending) {
      this.counters.skippedByReceiver++;
      this.link.sendAck({ type: 'ack', seq: this.pending.seq, status: 'dropped', latencyMs: Number.NaN });
    }
    this.pending = m;
  }

  /** Capture → now on the local clock, for a frame captured at captureTs on the peer's clock. */
  private latency(captureTs: number): number {
    return nowMs() - (captureTs - this.link.clockOffsetMs());
  }

  /** Decode m, then whatever became pending meanwhile. */
  private async run(first: VideoMsg): Promise<void> {
    this.decoding = true;
    let m: VideoMsg | null = first;
    while (m && !this.stopped) {
      const localCapture = m.captureTs - this.link.clockOffsetMs();
      try {
        // Without a decoder, frames are acked as decoded at once (nothing is shown).
        const f = this.decode ? await this.decode(m.jpeg) : null;
        if (this.stopped) break;
        const latencyMs = this.latency(m.captureTs);
        this.counters.addLatency(latencyMs);
        this.link.sendAck({ type: 'ack', seq: m.seq, status: 'decoded', latencyMs });
        if (f) {
          this.link.onFrame({ data: f.data, width: f.width, height: f.height, captureTs: localCapture, seq: m.seq, jpeg: m.jpeg },
            { latencyMs, quality: m.quality, jpegBytes: m.jpeg.length });
        }
      } catch (err) {
        if (this.stopped) break;
        this.counters.decodeErrors++;
        this.link.sendAck({ type: 'ack', seq: m.seq, status: 'dropped', latencyMs: Number.NaN });
        this.link.onDecodeError(err);
      }
      m = this.pending;
      this.pending = null;
    }
    this.decoding = false;
  }
}
