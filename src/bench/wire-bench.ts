// Wire benchmark: the `wire` and `latency` sections of `termcall bench --json` (see ../shared bench-format).
import type { EncodedFrame, FrameSource } from '../shared/frame-source.js';
import type { Frame } from '../shared/frame.js';
import { DEFAULT_JPEG_QUALITY, DEFAULT_PANE_HEIGHT_PX, DEFAULT_PANE_WIDTH_PX } from '../shared/limits.js';
import { median } from '../shared/median.js';
import { listen, dial } from '../transport/connect.js';
import { encodeMessage } from '../protocol/codec.js';
import type { Session } from '../call/session.js';
import { quantile } from '../call/stats.js';
import { startThrottleProxy, type ThrottleProxy } from './throttle-proxy.js';
import type { DecodeFn } from '../call/video-receiver.js';

/** One `wire` entry: frames scaled to width×height and encoded as a call sends them. */
export interface WireBenchEntry {
  width: number;
  height: number;
  /** Mean bytes of a VIDEO_FRAME message (header + fields + JPEG). */
  bytesPerFrame: number;
  /** Median ms to scale + JPEG-encode one frame (through the media worker, as a call does). */
  encodeMs: number;
  /** Median ms to decode one JPEG (through the media worker, as a call does). */
  decodeMs: number;
}

/** The `latency` section. */
export interface LatencyBench {
  loopbackP50Ms: number;
  loopbackP95Ms: number;
  throttledKbps: number;
  throttledFirstP95Ms: number;
  throttledLastP95Ms: number;
}

/** What the wire bench needs from the media worker. */
export interface WireCodec {
  encode(frame: Frame, box: { maxWidth: number; maxHeight: number }, quality: number): Promise<EncodedFrame>;
  decode: DecodeFn;
}

/** Sizes measured by default. */
export const WIRE_BENCH_SIZES: readonly (readonly [number, number])[] = [[320, 240], [640, 480]];

/** Median of numbers (0 for none), rounded to 0.01. */
function med(xs: number[]): number {
  return Math.round(median(xs) * 100) / 100;
}

/** Encode and decode every frame at each size at default quality, in order; bytes and times per frame. */
export async function benchWire(frames: readonly Frame[], codec: WireCodec, sizes = WIRE_BENCH_SIZES): Promise<WireBenchEntry[]> {
  const out: WireBenchEntry[] = [];
  for (const [w, h] of sizes) {
    const enc: number[] = [];
    const dec: number[] = [];
    let bytes = 0;
    for (const f of frames) {
      let t = performance.now();
      const e = await codec.encode(f, { maxWidth: w, maxHeight: h }, DEFAULT_JPEG_QUALITY);
      enc.push(performance.now() - t);
      bytes += encodeMessage({ type: 'video', seq: f.seq, captureTs: f.captureTs, width: e.width, height: e.height, quality: e.quality, jpeg: e.jpeg }).length;
      t = performance.now();
      await codec.decode(e.jpeg);
      dec.push(performance.now() - t);
    }
    out.push({ width: w, height: h, bytesPerFrame: Math.round(bytes / Math.max(1, frames.length)), encodeMs: med(enc), decodeMs: med(dec) });
  }
  return out;
}

/** Options of the latency bench. */
export interface LatencyBenchOptions {
  /** Opens a fresh 30 fps source of the clip (called twice per run: one per side). */
  openSource(): Promise<FrameSource>;
  decode: DecodeFn;
  loopbackSeconds?: number;
  throttledSeconds?: number;
  throttledKbps?: number;
  /** Pane size both sides ask for. Default 320x240. */
  pane?: { width: number; height: number };
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

/** Run a call both ways for seconds (optionally through a throttle); capture → decoded latencies at one side. */
async function runCall(o: LatencyBenchOptions, seconds: number, kbps: number | null): Promise<{ t: number; ms: number }[]> {
  const pane = o.pane ?? { width: DEFAULT_PANE_WIDTH_PX, height: DEFAULT_PANE_HEIGHT_PX };
  const [srcA, srcB] = [await o.openSource(), await o.openSource()];
  const listener = await listen({ port: 0, call: { name: 'bench-a', pane, source: srcA, decode: o.decode, autoAccept: true } });
  let proxy: ThrottleProxy | null = null;
  let b: Session | null = null;
  try {
    const next = listener.nextSession();
    let port = listener.address().port;
    if (kbps !== null) {
      proxy = await startThrottleProxy(port, kbps);
      port = proxy.port;
    }
    b = await dial('127.0.0.1', port, { name: 'bench-b', pane, source: srcB, decode: o.decode });
    await next;
    await b.established;
    const samples: { t: number; ms: number }[] = [];
    const t0 = performance.now();
    b.on('frame', (_f, info) => samples.push({ t: performance.now() - t0, ms: info.latencyMs }));
    if (o.log) b.on('stats', (s) => o.log?.(`rx ${s.rx.fps}fps ${s.rx.kbps}kbit/s q${s.rx.quality} lat ${s.rx.latencyMs}/${s.rx.latencyP95Ms}ms`));
    await new Promise((r) => setTimeout(r, seconds * 1000));
    return samples;
  } finally {
    b?.hangup();
    await listener.close();
    await proxy?.close();
    await srcA.close();
    await srcB.close();
  }
}

/** p95 (ms, rounded to 0.1) of the samples with t in [from, to) seconds. */
function p95(samples: { t: number; ms: number }[], fromS: number, toS: number): number {
  const xs = samples.filter((s) => s.t >= fromS * 1000 && s.t < toS * 1000).map((s) => s.ms).sort((a, b) => a - b);
  return Math.round(quantile(xs, 0.95) * 10) / 10;
}

/** The latency section: loopback ≥ 10 s at 30 fps, then ≥ 60 s through a throttle (first and last 10 s). */
export async function benchLatency(o: LatencyBenchOptions): Promise<LatencyBench> {
  const loopS = Math.max(10, o.loopbackSeconds ?? 10);
  const thrS = Math.max(20, o.throttledSeconds ?? 60);
  const kbps = o.throttledKbps ?? 1000;
  o.log?.(`latency: loopback ${loopS} s`);
  const loop = await runCall(o, loopS, null);
  const sorted = loop.map((s) => s.ms).sort((a, b) => a - b);
  o.log?.(`latency: ${kbps} kbit/s throttle ${thrS} s`);
  const thr = await runCall(o, thrS, kbps);
  return {
    loopbackP50Ms: Math.round(quantile(sorted, 0.5) * 10) / 10,
    loopbackP95Ms: Math.round(quantile(sorted, 0.95) * 10) / 10,
    throttledKbps: kbps,
    throttledFirstP95Ms: p95(thr, 0, 10),
    throttledLastP95Ms: p95(thr, thrS - 10, thrS),
  };
}
