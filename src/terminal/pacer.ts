// Render pacing (pure, clock passed in): a frame-rate cap, an output-rate cap (token bucket) and slow-terminal backoff.
import { TUI_OUTPUT_BURST_MS } from '../shared/limits.js';

export interface PacerOptions {
  /** Most paints per second (0 or absent: no cap). */
  readonly maxFps?: number;
  /** Most kbit/s written to the terminal (0 or absent: no cap). */
  readonly maxKbps?: number;
}

/** Decides when the next paint may start; never queues anything itself. */
export class PaintPacer {
  private lastPaintAt = Number.NEGATIVE_INFINITY;
  private lastWriteMs = 0;
  private tokens: number;
  private tokensAt = 0;
  private readonly minGapMs: number;
  private readonly bytesPerMs: number;
  private readonly burstBytes: number;

  constructor(opts: PacerOptions = {}) {
    this.minGapMs = opts.maxFps && opts.maxFps > 0 ? 1000 / opts.maxFps : 0;
    this.bytesPerMs = opts.maxKbps && opts.maxKbps > 0 ? (opts.maxKbps * 1000) / 8 / 1000 : 0;
    this.burstBytes = this.bytesPerMs * TUI_OUTPUT_BURST_MS;
    this.tokens = this.burstBytes;
  }

  // Milliseconds until a paint may start (0: now).
  delayMs(now: number): number {
    let wait = this.lastPaintAt + Math.max(this.minGapMs, this.lastWriteMs) - now;
    if (this.bytesPerMs > 0) {
      const tokens = this.tokensNow(now);
      if (tokens < 0) wait = Math.max(wait, -tokens / this.bytesPerMs);
    }
    return Math.max(0, Math.ceil(wait));
  }

  // Note a paint of `bytes` that started at `now` and whose write took writeMs (a slow terminal blocks the write).
  record(now: number, bytes: number, writeMs: number): void {
    this.lastPaintAt = now;
    // a write that blocked this long means the terminal is behind: leave it at least as long again
    this.lastWriteMs = writeMs > 2 ? writeMs : 0;
    if (this.bytesPerMs > 0) {
      this.tokens = this.tokensNow(now) - bytes;
      this.tokensAt = now;
    }
  }

  // Token balance at `now` (bytes that may still be written; negative: in debt).
  private tokensNow(now: number): number {
    return Math.min(this.burstBytes, this.tokens + (now - this.tokensAt) * this.bytesPerMs);
  }
}
