// Live graphs for the status panel (pure): the last minute of each figure per direction, drawn as block sparklines.
import type { SessionStats } from '../call/stats.js';
import { TUI_SPARKLINE_SECONDS } from '../shared/limits.js';

/** Eighth blocks, lowest first; a sample that is unknown (NaN) draws as a space. */
const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** The figures graphed, per direction. */
export type Series = 'fps' | 'kbps' | 'latency' | 'loss';

/** One direction's samples, one a second. */
type Samples = Record<Series, number[]>;

// Empty samples.
function samples(): Samples {
  return { fps: [], kbps: [], latency: [], loss: [] };
}

/** The last TUI_SPARKLINE_SECONDS stats of a call, both directions. */
export class StatsHistory {
  readonly in: Samples = samples();
  readonly out: Samples = samples();
  private last: { rx: number; rxSkip: number; tx: number; txSkip: number } | null = null;

  /** Forget everything (a new call). */
  reset(): void {
    for (const d of [this.in, this.out]) for (const k of Object.keys(d) as Series[]) d[k].length = 0;
    this.last = null;
  }

  /**
   * Add one stats event. Loss is the share of frames skipped (by the sender at the source or the receiver for a newer
   * one) among those offered in the interval, in percent.
   */
  add(s: SessionStats): void {
    const rxSkip = s.rx.skippedBySender + s.rx.skippedByReceiver;
    const txSkip = s.tx.skippedBySender + s.tx.skippedByReceiver;
    const prev = this.last ?? { rx: s.rx.frames, rxSkip, tx: s.tx.frames, txSkip };
    this.last = { rx: s.rx.frames, rxSkip, tx: s.tx.frames, txSkip };
    push(this.in, s.rx.fps, s.rx.kbps, s.rx.latencyMs, lossPct(s.rx.frames - prev.rx, rxSkip - prev.rxSkip));
    push(this.out, s.tx.fps, s.tx.kbps, s.tx.latencyMs, lossPct(s.tx.frames - prev.tx, txSkip - prev.txSkip));
  }

  /** Add receive-side figures only (a tutorial link: no latency, no loss figure); out gets the send rate alone. */
  addTutorial(fpsIn: number, kbpsIn: number, fpsOut: number): void {
    push(this.in, fpsIn, kbpsIn, Number.NaN, Number.NaN);
    push(this.out, fpsOut, Number.NaN, Number.NaN, Number.NaN);
  }
}

// Skipped among offered, percent (NaN when nothing was offered).
function lossPct(frames: number, skipped: number): number {
  const offered = Math.max(0, frames) + Math.max(0, skipped);
  return offered > 0 ? (100 * Math.max(0, skipped)) / offered : Number.NaN;
}

// Append a sample to every series, keeping the last TUI_SPARKLINE_SECONDS.
function push(d: Samples, fps: number, kbps: number, latency: number, loss: number): void {
  const add = (a: number[], v: number): void => {
    a.push(v);
    if (a.length > TUI_SPARKLINE_SECONDS) a.splice(0, a.length - TUI_SPARKLINE_SECONDS);
  };
  add(d.fps, fps);
  add(d.kbps, kbps);
  add(d.latency, latency);
  add(d.loss, loss);
}

/**
 * A sparkline exactly width cells wide: the newest samples on the right, several samples per cell averaged when there
 * are more than cells, scaled from 0 to the largest sample (or `max` when given, e.g. 100 for a percentage).
 */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  if (width <= 0) return '';
  const per = Math.max(1, Math.ceil(TUI_SPARKLINE_SECONDS / width));
  const cells: number[] = [];
  // buckets from the newest backwards, so the right edge is always "now"
  for (let end = values.length; end > 0 && cells.length < width; end -= per) {
    const bucket = values.slice(Math.max(0, end - per), end).filter((v) => Number.isFinite(v));
    cells.unshift(bucket.length ? bucket.reduce((a, b) => a + b, 0) / bucket.length : Number.NaN);
  }
  const top = max ?? Math.max(0, ...cells.filter((v) => Number.isFinite(v)));
  const drawn = cells.map((v) => {
    if (!Number.isFinite(v)) return ' ';
    if (top <= 0) return BARS[0];
    return BARS[Math.max(0, Math.min(BARS.length - 1, Math.round((v / top) * (BARS.length - 1))))] ?? ' ';
  });
  return ' '.repeat(width - drawn.length) + drawn.join('');
}
