// Congestion control for the video sender: under sustained queueing it steps JPEG quality down to a floor, then the
// frame size, then quality below the floor, then the frame rate; on a clear link it climbs back in reverse order.
import {
  CLEAR_ACK_DELAY_MS,
  CONGESTED_ACK_DELAY_MS,
  CONGESTION_WINDOW_MS,
  FLOOR_JPEG_QUALITY,
  MIN_JPEG_QUALITY,
  MIN_SEND_FPS,
  MIN_SEND_SCALE,
  MIN_SEND_SIDE_PX,
} from '../shared/limits.js';

/** Windows of clear link needed before stepping up again. */
const CLEAR_WINDOWS_TO_STEP_UP = 3;
/** How much of the pane (each side) one size step takes away or gives back. */
const SCALE_STEP = 0.25;
/** Quality steps: down by this much, up by half of it. */
const QUALITY_STEP_DOWN = 10;
const QUALITY_STEP_UP = 5;

/** The smallest scale congestion may use for a pane of this size: MIN_SEND_SCALE, or more for a small pane. */
export function minSendScale(paneWidth: number, paneHeight: number): number {
  const shorter = Math.min(paneWidth, paneHeight);
  if (shorter <= 0) return 1;
  return Math.min(1, Math.max(MIN_SEND_SCALE, MIN_SEND_SIDE_PX / shorter));
}

/** The box a frame is fitted into: the pane scaled by k (each side at least 1 px). */
export function scaledBox(paneWidth: number, paneHeight: number, k: number): { maxWidth: number; maxHeight: number } {
  return { maxWidth: Math.max(1, Math.round(paneWidth * k)), maxHeight: Math.max(1, Math.round(paneHeight * k)) };
}
/** How many past windows the base (uncongested) ack delay is taken from. */
const BASE_DELAY_WINDOWS = 30;

/** What the controller decided after a window. */
export type CongestionVerdict = 'congested' | 'clear' | 'hold' | 'idle';

/**
 * Judges queueing from the delay between sending a frame and its ack, relative to the lowest delay seen lately
 * (so a long but idle path is not taken for congestion). When acks also say how long the frame took to arrive
 * (one way, relative to its own lowest), that trip decides whether a queueing link is congested: acks stuck behind
 * the peer's own video on the way back (a full uplink at the far end) are not congestion of this direction, and a
 * forward queue the ack delay under-reads (its lowest was never seen uncongested) still is. The one-way time rests on
 * the peer's clock-offset estimate, so the ack delay must show queueing too (above CLEAR_ACK_DELAY_MS), and only the
 * ack delay makes the link clear. Pure: time is passed in.
 */
export class CongestionControl {
  quality: number;
  fps: number;
  /** Fraction of the peer's pane (each side) frames are sent at: 1 down to minScale. */
  scale = 1;
  /** Quality is lowered to this before the frame shrinks; below it only once the frame is as small as allowed. */
  readonly floorQuality: number;
  private minScale = MIN_SEND_SCALE;
  private delays: number[] = [];
  private forward: number[] = [];
  private stalled = false;
  private windowStart: number;
  private baseMins: number[] = [];
  private forwardBaseMins: number[] = [];
  private clearRun = 0;

  constructor(readonly maxQuality: number, readonly maxFps: number, now: number) {
    this.quality = maxQuality;
    this.fps = maxFps;
    this.floorQuality = Math.min(maxQuality, FLOOR_JPEG_QUALITY);
    this.windowStart = now;
  }

  /** The smallest scale allowed for the current pane (minSendScale); a smaller current scale is raised to it. */
  setMinScale(k: number): void {
    this.minScale = Math.min(1, Math.max(MIN_SEND_SCALE, k));
    if (this.scale < this.minScale) this.scale = this.minScale;
  }

  /**
   * Record one ack: delayMs from sending the frame to its ack arriving; forwardMs (when known) from sending it to
   * the peer decoding it, on our clock as the peer's clock offset estimate puts it (only its changes matter).
   */
  onAck(delayMs: number, forwardMs = Number.NaN): void {
    this.delays.push(delayMs);
    if (Number.isFinite(forwardMs)) this.forward.push(forwardMs);
  }

  /** The uncongested ack delay (lowest per-window minimum lately), ms; NaN before the first window with acks. */
  baseDelayMs(): number {
    return this.baseMins.length > 0 ? Math.min(...this.baseMins) : Number.NaN;
  }

  /** Note that frames have been in flight without any ack for a whole window (counts as congestion). */
  markStalled(): void {
    this.stalled = true;
  }

  /**
   * A window's queueing from its delay samples: their median minus the uncongested delay, the lowest per-window
   * minimum of the last BASE_DELAY_WINDOWS windows (mins, updated here). Null without samples.
   */
  private static queueing(samples: number[], mins: number[]): number | null {
    if (samples.length === 0) return null;
    const d = samples.sort((a, b) => a - b);
    mins.push(d[0] ?? 0);
    if (mins.length > BASE_DELAY_WINDOWS) mins.shift();
    return (d[Math.floor(d.length / 2)] ?? 0) - Math.min(...mins);
  }

  /** Call often; once per window it judges the link and may change quality/fps. Returns the verdict when it judged. */
  tick(now: number): CongestionVerdict | null {
    if (now - this.windowStart < CONGESTION_WINDOW_MS) return null;
    this.windowStart = now;
    const ackQueueing = CongestionControl.queueing(this.delays, this.baseMins);
    const forwardQueueing = CongestionControl.queueing(this.forward, this.forwardBaseMins);
    this.delays = [];
    this.forward = [];
    const stalled = this.stalled;
    this.stalled = false;
    let verdict: CongestionVerdict;
    if (ackQueueing === null) {
      verdict = stalled ? 'congested' : 'idle';
    } else {
      const queued = forwardQueueing === null
        ? ackQueueing > CONGESTED_ACK_DELAY_MS
        : forwardQueueing > CONGESTED_ACK_DELAY_MS && ackQueueing > CLEAR_ACK_DELAY_MS;
      const congested = stalled || queued;
      verdict = congested ? 'congested' : ackQueueing < CLEAR_ACK_DELAY_MS ? 'clear' : 'hold';
    }
    if (verdict === 'congested') {
      this.clearRun = 0;
      this.stepDown();
    } else if (verdict === 'clear') {
      if (++this.clearRun >= CLEAR_WINDOWS_TO_STEP_UP) {
        this.stepUp();
        this.clearRun = CLEAR_WINDOWS_TO_STEP_UP - 1;
      }
    } else if (verdict === 'hold') {
      this.clearRun = 0;
    }
    return verdict;
  }

  /** One step less: quality to the floor, then size, then quality to MIN_JPEG_QUALITY, then frame rate. */
  private stepDown(): void {
    if (this.quality > this.floorQuality) this.quality = Math.max(this.floorQuality, this.quality - QUALITY_STEP_DOWN);
    else if (this.scale > this.minScale) this.scale = Math.max(this.minScale, this.scale - SCALE_STEP);
    else if (this.quality > MIN_JPEG_QUALITY) this.quality = Math.max(MIN_JPEG_QUALITY, this.quality - QUALITY_STEP_DOWN);
    else this.fps = Math.max(MIN_SEND_FPS, Math.floor(this.fps * 0.75));
  }

  /** One step more, in reverse: frame rate, quality back to the floor, size, then quality above the floor. */
  private stepUp(): void {
    if (this.fps < this.maxFps) this.fps = Math.min(this.maxFps, Math.ceil(this.fps * 1.25));
    else if (this.quality < this.floorQuality) this.quality = Math.min(this.floorQuality, this.quality + QUALITY_STEP_UP);
    else if (this.scale < 1) this.scale = Math.min(1, (Math.floor(this.scale / SCALE_STEP + 1e-9) + 1) * SCALE_STEP); // back onto 1, 0.75, 0.5
    else if (this.quality < this.maxQuality) this.quality = Math.min(this.maxQuality, this.quality + QUALITY_STEP_UP);
  }
}
