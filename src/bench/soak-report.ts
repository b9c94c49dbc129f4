// The soak report: growth of RSS and open fds after the warm-up, frames each way from the --stats-file lines,
// and a table for stderr (pure: samples and stats lines in, numbers and text out).
import { readFileSync } from 'node:fs';
import { median } from '../shared/median.js';
import type { SessionStats } from '../call/stats.js';
import type { PeerSample } from './peer-process.js';

/** Growth of one quantity (RSS bytes or fds) between the first and the last window after the warm-up. */
export interface Growth {
  /** Median over the first window after the warm-up. */
  first: number;
  /** Median over the last window. */
  last: number;
  /** last − first. */
  growth: number;
  /** Lowest sample of the first and of the last window (the floor a garbage-collected heap falls back to). */
  firstMin: number;
  lastMin: number;
  /** Least-squares slope over every sample after the warm-up, per minute. */
  slopePerMin: number;
}

/** One peer of the soak. */
export interface SoakPeer {
  role: 'listener' | 'caller';
  pid: number;
  /** True when it ran until the runner stopped it and then exited the documented way. */
  alive: boolean;
  exitCode: number | null;
  exitSignal: string | null;
  /** Why it counts as dead or crashed (absent when it did not). */
  problem?: string;
  samples: number;
  rssBytes: Growth;
  fds: Growth;
  /** Peak RSS over the whole run. */
  rssMaxBytes: number;
}

/** One direction of video, from the sender's and the receiver's stats lines. */
export interface SoakDirection {
  from: 'listener' | 'caller';
  /** Frames the sender sent, total (its last stats line). */
  sent: number;
  /** Frames the receiver got, total (its last stats line). */
  received: number;
  /** Frames the sender skipped at the source (pacing, congestion), total. */
  skippedBySender: number;
  /** Frames the receiver dropped for a newer one before decoding, total. */
  droppedByReceiver: number;
  /** Median receive rate over the stats lines after the warm-up. */
  fps: number;
  /** Median of the receiver's per-second median latency after the warm-up, ms. */
  latencyMs: number;
  /** Stats lines (seconds) after the warm-up in which the receiver got no frame. */
  stalledSeconds: number;
}

/** The "soak" section of the report. */
export interface SoakSection {
  minutes: number;
  sampleSeconds: number;
  warmupSeconds: number;
  windowSeconds: number;
  peers: SoakPeer[];
  video: SoakDirection[];
}

/** Samples at or after warm-up, split into the first and last windows; times relative to start (ms). */
export function growthOf(samples: readonly PeerSample[], pick: (s: PeerSample) => number, start: number,
  warmupMs: number, windowMs: number, endMs: number): Growth {
  const after = samples.filter((s) => s.at - start >= warmupMs);
  const first = after.filter((s) => s.at - start < warmupMs + windowMs).map(pick);
  const last = after.filter((s) => s.at - start >= endMs - windowMs).map(pick);
  const f = median(first), l = median(last);
  const r = (v: number) => Math.round(v * 100) / 100;
  return {
    first: r(f), last: r(l), growth: r(l - f), firstMin: minOf(first), lastMin: minOf(last),
    slopePerMin: r(slope(after.map((s) => [(s.at - start) / 60_000, pick(s)]))),
  };
}

/** The smallest value, 0 for none. */
function minOf(xs: readonly number[]): number {
  return xs.length ? Math.min(...xs) : 0;
}

/** Least-squares slope of y over x (0 with fewer than two distinct x). */
export function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let num = 0, den = 0;
  for (const [x, y] of points) { num += (x - mx) * (y - my); den += (x - mx) ** 2; }
  return den === 0 ? 0 : num / den;
}

/** The JSON lines of a --stats-file (missing or broken lines are skipped). */
export function readStatsLines(path: string): SessionStats[] {
  let text = '';
  try { text = readFileSync(path, 'utf8'); } catch { return []; }
  const out: SessionStats[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try { out.push(JSON.parse(line) as SessionStats); } catch { /* a line cut by a kill */ }
  }
  return out;
}

/** One direction of video: sender's tx totals, receiver's rx totals and rates after the warm-up (epoch ms). */
export function directionOf(from: 'listener' | 'caller', sender: readonly SessionStats[], receiver: readonly SessionStats[],
  warmupEndEpochMs: number): SoakDirection {
  const tx = sender.at(-1)?.tx, rx = receiver.at(-1)?.rx;
  const steady = receiver.filter((s) => s.ts >= warmupEndEpochMs);
  return {
    from,
    sent: tx?.frames ?? 0,
    received: rx?.frames ?? 0,
    skippedBySender: tx?.skippedBySender ?? 0,
    droppedByReceiver: rx?.skippedByReceiver ?? 0,
    fps: median(steady.map((s) => s.rx.fps)),
    latencyMs: median(steady.map((s) => s.rx.latencyMs).filter((v): v is number => typeof v === 'number')),
    stalledSeconds: steady.filter((s) => s.rx.fps === 0).length,
  };
}

/** The human table for stderr. */
export function formatSoak(s: SoakSection): string {
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  const sign = (v: number, d = 1) => `${v >= 0 ? '+' : ''}${v.toFixed(d)}`;
  const lines = [
    `soak: ${s.minutes} min two-way call on 127.0.0.1, sampled every ${s.sampleSeconds} s; growth = median of the last ` +
    `${s.windowSeconds} s − median of the first ${s.windowSeconds} s after a ${s.warmupSeconds} s warm-up`,
    'peer      alive  samples  RSS first→last (MB)  growth (MB)  slope (MB/min)  floor first→last (MB)  max (MB)  fds first→last  growth  slope (/min)',
  ];
  for (const p of s.peers) {
    lines.push(`${p.role.padEnd(8)}  ${(p.alive ? 'yes' : 'NO').padEnd(5)}  ${String(p.samples).padStart(7)}  ` +
      `${`${mb(p.rssBytes.first)}→${mb(p.rssBytes.last)}`.padStart(19)}  ${sign(p.rssBytes.growth / 1048576).padStart(11)}  ` +
      `${sign(p.rssBytes.slopePerMin / 1048576, 2).padStart(14)}  ${`${mb(p.rssBytes.firstMin)}→${mb(p.rssBytes.lastMin)}`.padStart(21)}  ` +
      `${mb(p.rssMaxBytes).padStart(8)}  ` +
      `${`${p.fds.first}→${p.fds.last}`.padStart(14)}  ${sign(p.fds.growth, 0).padStart(6)}  ${sign(p.fds.slopePerMin, 2).padStart(12)}` +
      (p.problem ? `  (${p.problem})` : ''));
  }
  lines.push('video            sent  received  skipped@sender  dropped@receiver  fps  latency (ms)  stalled (s)');
  for (const v of s.video) {
    lines.push(`${`${v.from} → ${v.from === 'caller' ? 'listener' : 'caller'}`.padEnd(18)}${String(v.sent).padStart(5)}  ` +
      `${String(v.received).padStart(8)}  ${String(v.skippedBySender).padStart(14)}  ${String(v.droppedByReceiver).padStart(16)}  ` +
      `${v.fps.toFixed(1).padStart(4)}  ${v.latencyMs.toFixed(1).padStart(12)}  ${String(v.stalledSeconds).padStart(11)}`);
  }
  return lines.join('\n');
}
