// `termcall bench`: measures capture, rendering and the wire on a clip; prints tables or one JSON report
// in the shape of docs/bench.md (sections whose part is not built are left out).
import { media } from '../media/media.js';
import type { CaptureBench } from '../media/messages.js';
import { BENCH_GRIDS, BENCH_RENDERERS, benchRender, benchSixel, type RenderBenchEntry, type SixelBenchEntry } from './render-bench.js';
import { benchStartup, type StartupBench } from './startup-bench.js';
import { benchAudio, type AudioBench } from './audio-bench.js';
import { benchPixel, type PixelBenchEntry } from './pixel-bench.js';
import { benchKittyPaint, type KittyPaintEntry } from './kitty-paint.js';
import { benchReach, type ReachBenchEntry } from './reach-bench.js';
import { benchFidelity, type FidelityEntry } from './fidelity.js';
import { cameraLike } from './fidelity-reference.js';
import { canView } from './fidelity-viewers.js';
import { RENDERER_KINDS } from '../render/table.js';
import { benchLatency, benchWire, type LatencyBench, type WireBenchEntry } from './wire-bench.js';

export interface BenchOptions {
  source: string;
  json: boolean;
  /** Limit the frames used from the clip (default: all). */
  frames?: number;
  /** Sections to run (default: all). */
  only?: readonly string[];
  /** Pane size both sides of the latency runs ask for (default: the clip's full 640x480, the heaviest case). */
  latencyPane?: { width: number; height: number };
  /** Seconds of the throttled latency run (default 60). */
  throttledSeconds?: number;
}

/** The report (docs/bench.md); a section is absent when it was not run. */
interface BenchReport {
  source: string;
  frames: number;
  node: string;
  capture?: CaptureBench;
  render?: RenderBenchEntry[];
  sixel?: SixelBenchEntry;
  wire?: WireBenchEntry[];
  latency?: LatencyBench & { pane: { width: number; height: number } };
  startup?: StartupBench;
  audio?: AudioBench;
  pixel?: PixelBenchEntry[];
  kitty?: KittyPaintEntry[];
  reach?: ReachBenchEntry[];
  fidelity?: FidelityEntry[];
}

/** Runs the benchmark and writes the report; progress goes to stderr. */
export async function runBench(opts: BenchOptions): Promise<number> {
  const m = media();
  const wants = (s: string) => !opts.only || opts.only.length === 0 || opts.only.includes(s);
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  const frames = await m.readAllFrames(opts.source, opts.frames ?? 10_000);
  const report: BenchReport = { source: opts.source, frames: frames.length, node: process.version };
  if (wants('capture')) {
    log('capture: read + scale to 320x240 + JPEG in the media worker');
    report.capture = await m.benchCapture(opts.source, Math.max(300, frames.length), { maxWidth: 320, maxHeight: 240 }, 60);
  }
  if (wants('render')) {
    log(`render: ${BENCH_RENDERERS.join(', ')} at ${BENCH_GRIDS.map(([c, r]) => `${c}x${r}`).join(', ')}`);
    report.render = benchRender(frames);
  }
  if (wants('sixel')) {
    log('sixel: 640x480, 256 and 16 registers, fixed palette; clip and clip+noise6');
    report.sixel = benchSixel(frames, 640, 480, cameraLike(frames));
  }
  if (wants('wire')) {
    log('wire: JPEG at default quality, 320x240 and 640x480');
    report.wire = await benchWire(frames, { encode: (f, box, q) => m.encodeFrame(f, box, q), decode: (j) => m.decodeJpeg(j) });
  }
  if (wants('latency')) {
    const pane = opts.latencyPane ?? { width: 640, height: 480 };
    log(`latency: a real call over 127.0.0.1 (10 s), then through a 1 Mbit/s throttle (${opts.throttledSeconds ?? 60} s), panes ${pane.width}x${pane.height}`);
    report.latency = { pane, ...(await benchLatency({
      openSource: () => m.openSource(opts.source, { fps: 30 }), decode: (j) => m.decodeJpeg(j), pane,
      ...(opts.throttledSeconds ? { throttledSeconds: opts.throttledSeconds } : {}), log,
    })) };
  }
  if (wants('pixel')) {
    log('pixel: kitty payloads (file, zlib, png, raw; 4 Mbit/s budget) and iTerm2 JPEG pass-through, at the clip size');
    report.pixel = await benchPixel(frames, (f, box, q) => m.encodeFrame(f, box, q), (j) => m.decodeJpeg(j));
  }
  if (wants('kitty')) {
    log('kitty: frames painted per second in a real kitty under Xvfb (10 s per payload)');
    const k = await benchKittyPaint(frames, ['file', 'zlib'], 10, log);
    if (k) report.kitty = k;
  }
  if (wants('startup')) {
    log('startup: termcall demo in tmux, process start → first remote frame drawn (5 runs)');
    const st = await benchStartup(5, log);
    if (st) report.startup = st;
  }
  if (wants('fidelity')) {
    // what a viewer sees, on the clip and on a harsher copy of it (sensor noise of sigma 6 levels added); ascii has no
    // colour to compare; pixel protocols join once their payload decoder is in fidelity-viewers.ts VIEWERS
    const kinds = RENDERER_KINDS.filter((k) => k !== 'ascii' && canView(k));
    report.fidelity = [
      ...(await benchFidelity(frames, kinds, { clip: 'clip', log })),
      ...(await benchFidelity(cameraLike(frames), kinds, { clip: 'clip+noise6', log })),
    ];
  }
  if (wants('audio')) {
    log('audio: Opus per frame; speech through a private PulseAudio on loopback and through a 1 Mbit/s throttle with video');
    report.audio = await benchAudio(log);
  }
  // reach needs root and network namespaces: only when asked for by name (--only reach)
  if (opts.only?.includes('reach')) report.reach = await benchReach(log);
  if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(formatReport(report) + '\n');
  return 0;
}

// A readable summary of the report for a terminal.
function formatReport(r: BenchReport): string {
  const lines = [`source ${r.source}: ${r.frames} frames, node ${r.node}`];
  const cap = r.capture;
  if (cap) {
    lines.push(`capture: ${cap.framesPerSecond.toFixed(0)} frames/s read+scale+JPEG to ${cap.width}x${cap.height} ` +
      `(read ${cap.readMs.toFixed(2)} ms, scale ${cap.scaleMs.toFixed(2)} ms, encode ${cap.encodeMs.toFixed(2)} ms, ${cap.jpegBytes} B)`);
  }
  const render = r.render;
  if (render) {
    lines.push('renderer    grid     ms/frame  first(B)  steady(B)  PSNR(dB)');
    for (const e of render) {
      lines.push(`${e.renderer.padEnd(10)}  ${`${e.cols}x${e.rows}`.padEnd(7)}  ${e.msPerFrame.toFixed(2).padStart(8)}  ` +
        `${String(e.firstFrameBytes).padStart(8)}  ${String(Math.round(e.steadyBytesPerFrame)).padStart(9)}  ${e.psnrDb === undefined ? '       -' : e.psnrDb.toFixed(1).padStart(8)}`);
    }
  }
  for (const w of r.wire ?? []) {
    lines.push(`wire ${w.width}x${w.height}: ${Math.round(w.bytesPerFrame)} B/frame, encode ${w.encodeMs.toFixed(2)} ms, decode ${w.decodeMs.toFixed(2)} ms`);
  }
  const lat = r.latency;
  if (lat) {
    lines.push(`latency loopback: p50 ${lat.loopbackP50Ms.toFixed(1)} ms, p95 ${lat.loopbackP95Ms.toFixed(1)} ms; ` +
      `${lat.throttledKbps} kbit/s throttle: p95 first 10 s ${lat.throttledFirstP95Ms.toFixed(1)} ms, last 10 s ${lat.throttledLastP95Ms.toFixed(1)} ms`);
  }
  if (r.audio) lines.push(`audio: ${JSON.stringify(r.audio)}`);
  const st = r.startup;
  if (st) lines.push(`startup: termcall demo draws its first remote frame ${st.demoFirstFrameMs} ms after process start (median of 5)`);
  for (const p of r.pixel ?? []) {
    lines.push(`pixel ${p.renderer} ${p.payload} ${p.width}x${p.height}: ${p.msPerFrame.toFixed(2)} ms/frame, ${Math.round(p.bytesPerFrame)} B/frame` +
      (p.psnrDb !== undefined ? `, ${p.psnrDb.toFixed(1)} dB` : '') + (p.fpsInBudget !== undefined ? `, ${p.fpsInBudget.toFixed(1)} fps in ${p.budgetKbps} kbit/s` : '') +
      (p.bytesPerJpegByte !== undefined ? `, ${p.bytesPerJpegByte.toFixed(3)} B per JPEG byte (${(p.bytesPerBase64Byte ?? 0).toFixed(3)} per base64 byte)` : ''));
  }
  for (const k of r.kitty ?? []) {
    lines.push(`kitty (real) ${k.payload} ${k.width}x${k.height}: ${k.paintedFps.toFixed(1)} painted fps, ${k.cpuMsPerFrame.toFixed(2)} ms CPU/frame, ${k.errors} errors`);
  }
  const sixel = r.sixel;
  for (const s of sixel ? [sixel, ...sixel.variants] : []) {
    lines.push(`sixel ${s.width}x${s.height} ${s.palette} ${s.registers} registers ${s.clip}: ${s.msPerFrame.toFixed(2)} ms/frame ` +
      `(CPU ${s.cpuMsPerFrame.toFixed(2)} ms), ${Math.round(s.bytesPerFrame)} B/frame (max ${s.maxBytesPerFrame})`);
  }
  for (const f of r.fidelity ?? []) {
    lines.push(`fidelity ${(f.renderer ? f.renderer + (f.registers ? ` (${f.registers} registers)` : '') : `${f.anchor} ${f.args}`).padEnd(48)} ${f.clip.padEnd(11)} ${f.psnrDb.toFixed(2)} / ${f.blurPsnrDb.toFixed(2)} dB / SSIM ${f.ssim.toFixed(3)}, ` +
      `${f.bytesPerFrame} B/frame, ${f.msPerFrame.toFixed(2)} ms (${f.timedAs})`);
  }
  return lines.join('\n');
}
