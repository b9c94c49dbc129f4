// The rate frames really arrive at from a live source, for streams that state none (HTTP MJPEG carries no timing).

/** Frames counted in the measurement window at most (2 s at 60 fps). */
const MAX_SAMPLES = 120;
/** Arrivals older than this (ms) no longer count. */
const WINDOW_MS = 2_000;
/** No rate is claimed from fewer gaps than this, or from a span shorter than MIN_SPAN_MS. */
const MIN_GAPS = 4;
const MIN_SPAN_MS = 250;

/** Frames per second over the last WINDOW_MS of arrivals: (arrivals - 1) / span. Pure; the clock is the caller's. */
export class ArrivalRate {
  private readonly times: number[] = [];

  /** Counts one frame that arrived at time ms (monotonic, e.g. performance.now()). */
  add(ms: number): void {
    this.times.push(ms);
    while (this.times.length > MAX_SAMPLES || (this.times.length > 1 && ms - (this.times[0] as number) > WINDOW_MS)) this.times.shift();
  }

  /** The measured rate in frames per second, or null while too few frames came to say. */
  fps(): number | null {
    const n = this.times.length;
    if (n - 1 < MIN_GAPS) return null;
    const span = (this.times[n - 1] as number) - (this.times[0] as number);
    if (span < MIN_SPAN_MS) return null;
    return ((n - 1) * 1000) / span;
  }
}
