// Per-direction call statistics: counters, the stats event shape, a one-line formatter and the JSON line (pure).
import type { PathInfo } from './lanes.js';

/** Stats for one direction of video over the last interval (rates) and since the call began (totals). */
export interface DirectionStats {
  /** Frames per second delivered (tx: sent; rx: decoded) over the last interval. */
  readonly fps: number;
  /** Video payload kbit/s over the last interval. */
  readonly kbps: number;
  /** Capture → decoded, median and p95 over the interval, ms (NaN when no frame). For tx: as the peer reports it. */
  readonly latencyMs: number;
  readonly latencyP95Ms: number;
  /** Frames the sender skipped at the source, total. */
  readonly skippedBySender: number;
  /** Frames the receiver dropped for a newer one before decoding, total. */
  readonly skippedByReceiver: number;
  /** Frames carried, total. */
  readonly frames: number;
  /** Last frame's JPEG quality and size (0 before the first frame). */
  readonly quality: number;
  readonly width: number;
  readonly height: number;
  /** Mean JPEG bytes per frame over the interval. */
  readonly bytesPerFrame: number;
  /** Received frames that could not be decoded (dropped, the call goes on), total; 0 for tx. */
  readonly decodeErrors: number;
}

/** Audio of a call over the last interval (both directions); absent when the call carries no audio. */
export interface AudioStats {
  /** What this side captures from and plays to ('none' when off). */
  readonly input: string;
  readonly output: string;
  readonly micMuted: boolean;
  readonly speakerMuted: boolean;
  /** The peer said its microphone is muted / it has none. */
  readonly peerMicMuted: boolean;
  readonly peerNoMic: boolean;
  /** Smoothed levels of what I capture and what I play, dBFS (-Infinity: silence). */
  readonly inLevelDb: number;
  readonly outLevelDb: number;
  /** Opus kbit/s sent and received over the interval. */
  readonly txKbps: number;
  readonly rxKbps: number;
  /** Jitter buffer: target play-out delay and what it holds now, ms. */
  readonly jitterTargetMs: number;
  readonly jitterDepthMs: number;
  /** Audio the speaker held, not yet played, at the last tick (ms; NaN when the device does not say). */
  readonly deviceAheadMs: number;
  /** Capture → played (into the device, plus the device lead), median and p95 over the interval, ms. */
  readonly latencyMs: number;
  readonly latencyP95Ms: number;
  /** Longest audible gap over the interval: play-out without a packet (concealed or silent) between two packets, ms. */
  readonly longestGapMs: number;
  /** Longest time between two received packets over the interval (the jitter buffer rides this out), ms. */
  readonly arrivalGapMs: number;
  /** Lip sync over the interval, median of (video capture → shown) − (audio capture → heard), ms: positive, audio
   *  ahead of video (NaN: no frame shown while audio was heard). */
  readonly lipSyncMs?: number;
  /** Totals: frames played from packets, concealed (PLC), late, lost, dropped to shrink the delay, corrupt packets. */
  readonly played: number;
  readonly concealed: number;
  readonly late: number;
  readonly lost: number;
  readonly dropped: number;
  readonly corrupt: number;
  /** Frames lost or late over frames due, percent, over the call. */
  readonly lossPercent: number;
}

/** The 'stats' event of a session (and one line of --stats-file). */
export interface SessionStats {
  /** Local epoch ms when these were taken. */
  readonly ts: number;
  readonly peer: string;
  readonly rttMs: number;
  /** The network path: tcp, or WebRTC direct/relayed with the selected candidate types and the transport's RTT. */
  readonly path?: PathInfo;
  /** With a lossy lane: frames sent that were never acked (lost), and lane messages dropped on receive, totals. */
  readonly lossy?: { readonly lostFrames: number; readonly droppedMessages: number } | null;
  /** Peer clock minus local clock, ms. */
  readonly clockOffsetMs: number;
  readonly tx: DirectionStats & { readonly targetFps: number; readonly inFlight: number };
  readonly rx: DirectionStats;
  /** Audio of the call (added by the call side; absent without audio). */
  readonly audio?: AudioStats;
}

/** Mutable counters for one direction, turned into DirectionStats once per interval. */
export class DirectionCounters {
  frames = 0;
  skippedBySender = 0;
  skippedByReceiver = 0;
  decodeErrors = 0;
  quality = 0;
  width = 0;
  height = 0;
  private intervalFrames = 0;
  private intervalBytes = 0;
  private latencies: number[] = [];

  /** Count one frame of jpegBytes carried in this direction. */
  addFrame(jpegBytes: number, quality: number, width: number, height: number): void {
    this.frames++;
    this.intervalFrames++;
    this.intervalBytes += jpegBytes;
    this.quality = quality;
    this.width = width;
    this.height = height;
  }

  /** Count one capture → decoded latency sample (ms). */
  addLatency(ms: number): void {
    if (Number.isFinite(ms)) this.latencies.push(ms);
  }

  /** Produce the interval's stats over elapsedMs and start a new interval. */
  snapshot(elapsedMs: number): DirectionStats {
    const secs = Math.max(elapsedMs, 1) / 1000;
    const lat = this.latencies.sort((a, b) => a - b);
    const s: DirectionStats = {
      fps: round1(this.intervalFrames / secs),
      kbps: round1((this.intervalBytes * 8) / 1000 / secs),
      latencyMs: round1(quantile(lat, 0.5)),
      latencyP95Ms: round1(quantile(lat, 0.95)),
      skippedBySender: this.skippedBySender,
      skippedByReceiver: this.skippedByReceiver,
      frames: this.frames,
      quality: this.quality,
      width: this.width,
      height: this.height,
      bytesPerFrame: this.intervalFrames ? Math.round(this.intervalBytes / this.intervalFrames) : 0,
      decodeErrors: this.decodeErrors,
    };
    this.intervalFrames = 0;
    this.intervalBytes = 0;
    this.latencies = [];
    return s;
  }
}

/** Quantile q (0..1) of sorted values, NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** Round to one decimal (keeps NaN). */
function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Format a number or '-' when unknown. */
function n(v: number, digits = 0): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

/** One human line for headless mode and the status bar. */
export function formatStatsLine(s: SessionStats): string {
  const dir = (d: DirectionStats): string =>
    `${n(d.fps, 1)}fps ${n(d.kbps)}kbit/s ${d.width}x${d.height} q${d.quality} lat ${n(d.latencyMs)}/${n(d.latencyP95Ms)}ms ` +
    `skip ${d.skippedBySender}/${d.skippedByReceiver}`;
  const errors = s.rx.decodeErrors > 0 ? ` | ${s.rx.decodeErrors} undecodable` : '';
  const path = !s.path || s.path.kind === 'tcp' ? '' : ` | ${s.path.kind} ${s.path.candidates} lost ${s.lossy?.lostFrames ?? 0}`;
  return `tx ${dir(s.tx)} (target ${s.tx.targetFps}fps) | rx ${dir(s.rx)} | rtt ${n(s.rttMs, 1)}ms${path}${errors}` +
    (s.audio ? ` | ${formatAudio(s.audio)}` : '');
}

/** The audio part of a stats line. */
export function formatAudio(a: AudioStats): string {
  const mic = a.input === 'none' ? 'no mic' : a.micMuted ? 'mic muted' : `mic ${n(a.inLevelDb)}dB`;
  const spk = a.output === 'none' ? 'no speaker' : a.speakerMuted ? 'speaker muted' : `spk ${n(a.outLevelDb)}dB`;
  const peer = a.peerMicMuted ? ' peer muted' : a.peerNoMic ? ' peer has no mic' : '';
  return `audio ${mic} ${spk} tx ${n(a.txKbps)} rx ${n(a.rxKbps)}kbit/s lat ${n(a.latencyMs)}/${n(a.latencyP95Ms)}ms ` +
    `jb ${a.jitterDepthMs}/${a.jitterTargetMs}ms dev ${n(a.deviceAheadMs)}ms gap ${n(a.longestGapMs)}ms (net ${n(a.arrivalGapMs)}ms) plc ${a.concealed} loss ${n(a.lossPercent, 1)}%` +
    `${a.lipSyncMs === undefined ? '' : ` sync ${n(a.lipSyncMs)}ms`}${peer}`;
}

/** JSON without NaN: unknown numbers become null. */
export function statsToJson(s: SessionStats): string {
  return JSON.stringify(s, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}
