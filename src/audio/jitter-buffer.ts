// The receiver's adaptive jitter buffer: holds Opus packets by sequence number and hands out one 20 ms frame per
// play-out tick (a packet, or "conceal" for Opus PLC). Starts at JITTER_MIN_DELAY_MS, grows when packets come late
// (an underrun plays one concealed frame without advancing: the delay grows by a frame), and shrinks back by
// dropping a frame when the buffer stayed fuller than the target for a whole window — which also absorbs clock
// drift between the two sound cards. Pure: time is passed in.
import {
  AUDIO_FRAME_MS, AUDIO_MAX_CONCEALED_FRAMES, JITTER_MAX_DELAY_MS, JITTER_MAX_PACKETS, JITTER_MIN_DELAY_MS,
} from '../shared/limits.js';

/** One received audio packet. */
export interface AudioPacket {
  readonly seq: number;
  /** Capture time on the sender's clock (epoch ms). */
  readonly captureTs: number;
  readonly opus: Uint8Array;
}

/** What one play-out tick plays. */
export type JitterOut =
  | { readonly kind: 'packet'; readonly packet: AudioPacket }
  | { readonly kind: 'conceal' }
  | { readonly kind: 'silence' };

/** Counters of the jitter buffer (totals since the call began). */
export interface JitterCounters {
  received: number;
  played: number;
  concealed: number;
  /** Packets that came after their play-out time (dropped). */
  late: number;
  /** Sequence numbers never received. */
  lost: number;
  /** Frames dropped to shrink the delay back (after a spike, or drift). */
  dropped: number;
  /** Packets refused as duplicates or out of the buffer's range. */
  discarded: number;
}

/** Arrival samples kept for the jitter estimate (3 s of 20 ms packets). */
const JITTER_WINDOW_PACKETS = 150;
/** Play-out ticks over which the buffer must stay above target before one frame is dropped (0.5 s). */
const SHRINK_WINDOW_TICKS = 25;
/** Excess delay over the target above which the buffer shrinks faster. */
const FAR_ABOVE_TARGET_MS = 80;

/** Adaptive jitter buffer; see the file comment. */
export class JitterBuffer {
  readonly counters: JitterCounters = { received: 0, played: 0, concealed: 0, late: 0, lost: 0, dropped: 0, discarded: 0 };
  private readonly packets = new Map<number, AudioPacket>();
  private nextSeq = -1;
  private playing = false;
  private concealedInRow = 0;
  private firstArrival: { at: number; seq: number } | null = null;
  /** Relative transit delays (arrival − expected), newest last. */
  private transit: number[] = [];
  private minDepthInWindow = Infinity;
  private ticksInWindow = 0;
  private targetMs = JITTER_MIN_DELAY_MS;

  /** Current target play-out delay in ms (between JITTER_MIN_DELAY_MS and JITTER_MAX_DELAY_MS). */
  get target(): number {
    return this.targetMs;
  }

  /** Audio held right now, in ms (contiguous or not). */
  get depthMs(): number {
    return this.packets.size * AUDIO_FRAME_MS;
  }

  /** A packet arrived at nowMs (local clock). */
  push(p: AudioPacket, nowMs: number): void {
    this.counters.received++;
    // Late packets count in the jitter estimate too: they are what the target delay must ride out.
    this.noteArrival(p.seq, nowMs);
    if (this.playing && p.seq < this.nextSeq) {
      this.counters.late++;
      return;
    }
    if (this.packets.has(p.seq)) {
      this.counters.discarded++;
      return;
    }
    this.packets.set(p.seq, p);
    // Hold at most JITTER_MAX_PACKETS: the oldest go (the sender is far ahead of play-out, e.g. after a stall).
    while (this.packets.size > JITTER_MAX_PACKETS) {
      const oldest = Math.min(...this.packets.keys());
      this.packets.delete(oldest);
      this.counters.dropped++;
      if (this.playing && oldest >= this.nextSeq) this.nextSeq = oldest + 1;
    }
  }

  /** Track the spread of transit delays and derive the target delay from it. */
  private noteArrival(seq: number, nowMs: number): void {
    if (!this.firstArrival) this.firstArrival = { at: nowMs, seq };
    const rel = nowMs - this.firstArrival.at - (seq - this.firstArrival.seq) * AUDIO_FRAME_MS;
    this.transit.push(rel);
    if (this.transit.length > JITTER_WINDOW_PACKETS) this.transit.shift();
    const sorted = [...this.transit].sort((a, b) => a - b);
    const lo = sorted[0] ?? 0;
    const hi = sorted[Math.max(0, Math.ceil(sorted.length * 0.97) - 1)] ?? 0;
    // Enough delay to ride out the spread of transit times seen lately, plus one frame for the tick's own phase.
    const want = Math.ceil((hi - lo + AUDIO_FRAME_MS) / AUDIO_FRAME_MS) * AUDIO_FRAME_MS;
    this.targetMs = Math.max(JITTER_MIN_DELAY_MS, Math.min(JITTER_MAX_DELAY_MS, want));
  }

  /** One play-out tick (every AUDIO_FRAME_MS of device time): what to play now. */
  pull(): JitterOut {
    if (!this.playing) {
      // Start (or restart after an outage) once the target delay is buffered.
      if (this.packets.size === 0 || this.packets.size * AUDIO_FRAME_MS < this.targetMs) return { kind: 'silence' };
      this.nextSeq = Math.min(...this.packets.keys());
      this.playing = true;
      this.concealedInRow = 0;
      this.resetWindow();
    }
    // Never more than JITTER_MAX_DELAY_MS of delay: after a long stall the oldest frames go at once.
    while (this.packets.size * AUDIO_FRAME_MS > JITTER_MAX_DELAY_MS && this.packets.delete(this.nextSeq)) {
      this.counters.dropped++;
      this.nextSeq++;
    }
    this.trackDepth();
    let p = this.packets.get(this.nextSeq);
    if (p && this.shouldShrink()) {
      // Play one frame less: the buffer held more than the target for a whole window.
      this.packets.delete(this.nextSeq);
      this.counters.dropped++;
      this.nextSeq++;
      p = this.packets.get(this.nextSeq);
    }
    if (p) {
      this.packets.delete(this.nextSeq);
      this.nextSeq++;
      this.concealedInRow = 0;
      this.counters.played++;
      return { kind: 'packet', packet: p };
    }
    this.counters.concealed++;
    this.concealedInRow++;
    if (this.packets.size > 0 && this.packets.size * AUDIO_FRAME_MS >= this.targetMs) {
      // A hole with the target delay of later packets waiting: that frame is lost; conceal it and move on.
      this.counters.lost++;
      this.nextSeq++;
    } else if (this.packets.size > 0) {
      // A hole but less than the target buffered: the packet is late; wait a frame for it (the delay grows).
      return { kind: 'conceal' };
    } else if (this.concealedInRow > AUDIO_MAX_CONCEALED_FRAMES) {
      // A long outage (or the peer muted / stopped sending): go quiet and rebuffer.
      this.playing = false;
      return { kind: 'silence' };
    }
    // An empty buffer: the next packet is late; conceal without advancing, so the delay grows by one frame.
    return { kind: 'conceal' };
  }

  /** Lowest depth seen over the shrink window (ms). */
  private trackDepth(): void {
    let contiguous = 0;
    while (this.packets.has(this.nextSeq + contiguous)) contiguous++;
    this.minDepthInWindow = Math.min(this.minDepthInWindow, contiguous * AUDIO_FRAME_MS);
    this.ticksInWindow++;
  }

  /** True once per window in which the buffer never fell to the target: time to drop a frame. */
  private shouldShrink(): boolean {
    // Far above the target (after a stall), shrink five times faster: a frame every 100 ms instead of every 500 ms.
    const far = this.minDepthInWindow > this.targetMs + FAR_ABOVE_TARGET_MS;
    if (this.ticksInWindow < (far ? SHRINK_WINDOW_TICKS / 5 : SHRINK_WINDOW_TICKS)) return false;
    const over = this.minDepthInWindow > this.targetMs;
    this.resetWindow();
    return over;
  }

  /** Start a new shrink window. */
  private resetWindow(): void {
    this.minDepthInWindow = Infinity;
    this.ticksInWindow = 0;
  }
}
