// Congestion control for the video sender: steps JPEG quality and frame rate down under sustained queueing, up after.
import {
  CLEAR_ACK_DELAY_MS,
  CONGESTED_ACK_DELAY_MS,
  CONGESTION_WINDOW_MS,
  MIN_JPEG_QUALITY,
  MIN_SEND_FPS,
} from '../shared/limits.js';

/** Windows of clear link needed before stepping up again. */
const CLEAR_WINDOWS_TO_STEP_UP = 3;
/** How many past windows the base (uncongested) ack delay is taken from. */
const BASE_DELAY_WINDOWS = 30;

/** What the controller decided after a window. */
export type CongestionVerdict = 'congested' | 'clear' | 'hold' | 'idle';

/**
 * Judges queueing from the delay between sending a frame and its ack, relative to the lowest delay seen lately
 * (so a long but idle path is not taken for congestion). Pure: time is passed in.
 */
export class CongestionControl {
  quality: number;
  fps: number;
  private delays: number[] = [];
  private stalled = false;
  private windowStart: number;
  private baseMins: number[] = [];
  private clearRun = 0;

  constructor(readonly maxQuality: number, readonly maxFps: number, now: number) {
    this.quality = maxQuality;
    this.fps = maxFps;
    this.windowStart = now;
  }

  /** Record one ack: delayMs from sending the frame to its ack arriving. */
  onAck(delayMs: number): void {
    this.delays.push(delayMs);
  }

  /** Note that frames have been in flight without any ack for a whole window (counts as congestion). */
  markStalled(): void {
    this.stalled = true;
  }

  /** The uncongested ack delay: the lowest per-window minimum of the last BASE_DELAY_WINDOWS windows (0 before any ack). */
  private baseDelay(): number {
    return this.baseMins.length ? Math.min(...this.baseMins) : 0;
  }

  /** Call often; once per window it judges the link and may change quality/fps. Returns the verdict when it judged. */
  tick(now: number): CongestionVerdict | null {
    if (now - this.windowStart < CONGESTION_WINDOW_MS) return null;
    this.windowStart = now;
    const d = this.delays.sort((a, b) => a - b);
    this.delays = [];
    const stalled = this.stalled;
    this.stalled = false;
    let verdict: CongestionVerdict;
    if (d.length === 0) {
      verdict = stalled ? 'congested' : 'idle';
    } else {
      const min = d[0] ?? 0;
      this.baseMins.push(min);
      if (this.baseMins.length > BASE_DELAY_WINDOWS) this.baseMins.shift();
      const median = d[Math.floor(d.length / 2)] ?? 0;
      const queueing = median - this.baseDelay();
      verdict = queueing > CONGESTED_ACK_DELAY_MS || stalled ? 'congested' : queueing < CLEAR_ACK_DELAY_MS ? 'clear' : 'hold';
    }
    if (verdict === 'congested') {
      this.clearRun = 0;
      if (this.quality > MIN_JPEG_QUALITY) this.quality = Math.max(MIN_JPEG_QUALITY, this.quality - 10);
      else this.fps = Math.max(MIN_SEND_FPS, Math.floor(this.fps * 0.75));
    } else if (verdict === 'clear') {
      if (++this.clearRun >= CLEAR_WINDOWS_TO_STEP_UP) {
        if (this.fps < this.maxFps) this.fps = Math.min(this.maxFps, Math.ceil(this.fps * 1.25));
        else if (this.quality < this.maxQuality) this.quality = Math.min(this.maxQuality, this.quality + 5);
        this.clearRun = CLEAR_WINDOWS_TO_STEP_UP - 1;
      }
    } else if (verdict === 'hold') {
      this.clearRun = 0;
    }
    return verdict;
  }
}
