// `termcall bench`: measures capture, rendering and the wire on a clip; prints tables or one JSON report
// in the shape of docs/bench.md (sections whose part is not built are left out).
import { media } from '../capture/media.js';
import { benchRender, benchSixel, type RenderBenchEntry } from './render-bench.js';

export interface BenchOptions {
  source: string;
  json: boolean;
  /** Limit the frames used from the clip (default: all). */
  frames?: number;
  /** Sections to run (default: all). */
  only?: readonly string[];
}

/** Runs the benchmark and writes the report; progress goes to stderr. */
export async function runBench(opts: BenchOptions): Promise<number> {
  const m = media();
  const wants = (s: string) => !opts.only || opts.only.length === 0 || opts.only.includes(s);
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  const frames = await m.readAllFrames(opts.source, opts.frames ?? 10_000);
  const report: Record<string, unknown> = { source: opts.source, frames: frames.length, node: process.version };
  if (wants('capture')) {
    log('capture: read + scale to 320x240 + JPEG in the media worker');
    report.capture = await m.benchCapture(opts.source, Math.max(300, frames.length), { maxWidth: 320, maxHeight: 240 }, 60);
  }
  if (wants('render')) {
    log('render: truecolor, 256, 16, ascii at 128x48, 80x24, 200x60');
    report.render = benchRender(frames);
  }
  if (wants('sixel')) {
    log('sixel: 640x480');
    report.sixel = benchSixel(frames);
  }
  if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(formatReport(report) + '\n');
  return 0;
}

// A readable summary of the report for a terminal.
function formatReport(r: Record<string, unknown>): string {
  const lines = [`source ${String(r.source)}: ${String(r.frames)} frames, node ${String(r.node)}`];
  const cap = r.capture as { framesPerSecond: number; width: number; height: number; readMs: number; scaleMs: number; encodeMs: number; jpegBytes: number } | undefined;
  if (cap) {
    lines.push(`capture: ${cap.framesPerSecond.toFixed(0)} frames/s read+scale+JPEG to ${cap.width}x${cap.height} ` +
      `(read ${cap.readMs.toFixed(2)} ms, scale ${cap.scaleMs.toFixed(2)} ms, encode ${cap.encodeMs.toFixed(2)} ms, ${cap.jpegBytes} B)`);
  }
  const render = r.render as RenderBenchEntry[] | undefined;
  if (render) {
    lines.push('renderer    grid     ms/frame  first(B)  steady(B)  PSNR(dB)');
    for (const e of render) {
      lines.push(`${e.renderer.padEnd(10)}  ${`${e.cols}x${e.rows}`.padEnd(7)}  ${e.msPerFrame.toFixed(2).padStart(8)}  ` +
        `${String(e.firstFrameBytes).padStart(8)}  ${String(Math.round(e.steadyBytesPerFrame)).padStart(9)}  ${e.psnrDb === undefined ? '       -' : e.psnrDb.toFixed(1).padStart(8)}`);
    }
  }
  const sixel = r.sixel as { width: number; height: number; msPerFrame: number; bytesPerFrame: number } | undefined;
  if (sixel) lines.push(`sixel ${sixel.width}x${sixel.height}: ${sixel.msPerFrame.toFixed(2)} ms/frame, ${Math.round(sixel.bytesPerFrame)} B/frame`);
  return lines.join('\n');
}
