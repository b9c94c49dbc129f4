// Renderer benchmark: the `render` and `sixel` sections of `termcall bench --json` (see ../shared bench-format).

import type { Frame } from '../shared/frame.js';
import { median } from '../shared/median.js';
import { createBlockRenderer } from '../render/blocks.js';
import { createSixelRenderer } from '../render/sixel.js';
import { createRenderer } from '../render/table.js';
import type { BlockKind, RendererKind, ShownModel } from '../render/types.js';
import { applySgr, type SgrPen } from './cell-screen.js';

/** One `render` entry of the bench report. */
export interface RenderBenchEntry {
  renderer: RendererKind;
  cols: number;
  rows: number;
  /** Median wall time of one render call (scale + damage + encode), ms. */
  msPerFrame: number;
  /** Bytes of the first frame drawn on an empty screen. */
  firstFrameBytes: number;
  /** Mean bytes per frame over the remaining frames. */
  steadyBytesPerFrame: number;
  /**
   * Mean PSNR (dB, capped at 99) of what the terminal shows (parsed from the bytes) vs the exact rendering; half-blocks
   * only (the symbol renderers' picture is measured in the fidelity section).
   */
  psnrDb?: number;
}

/** One sixel run: every frame of a clip encoded at width x height. */
export interface SixelRun {
  width: number;
  height: number;
  /** Colour registers the palette could use (the terminal's count). */
  registers: number;
  palette: 'adaptive' | 'fixed';
  clip: string;
  /** Median wall time of one render call (scale when needed + palette + mapping + bands), ms. */
  msPerFrame: number;
  /** CPU time of the process per frame (process.cpuUsage, user + system), less sensitive to other load, ms. */
  cpuMsPerFrame: number;
  bytesPerFrame: number;
  maxBytesPerFrame: number;
}

/** The `sixel` section of the bench report: the run at 256 registers on the clip, and the other runs beside it. */
export interface SixelBenchEntry extends SixelRun {
  variants: SixelRun[];
}

/** Renderers and grids measured by default: the half-blocks, then the sub-cell symbol renderers of the table. */
export const BENCH_RENDERERS: readonly RendererKind[] = ['truecolor', '256', 'ascii', 'sextants', 'symbols', 'symbols256', '16'];
/** Half-block kinds measured through their own screen model (16 colours are the table's symbol renderer now). */
const HALF_BLOCK_KINDS: readonly RendererKind[] = ['truecolor', '256', 'ascii'];
export const BENCH_GRIDS: readonly (readonly [number, number])[] = [[128, 48], [80, 24], [200, 60]];
/** PSNR reported for a frame shown exactly (infinite PSNR). */
export const PSNR_CAP_DB = 99;

// PSNR (dB) of the shown picture against the exact rendering, over all half-block pixels and channels.
export function shownPsnr(m: ShownModel): number {
  let se = 0;
  const n = m.width * m.height;
  for (let i = 0; i < n; i++) {
    const a = m.shown[i] as number;
    const b = m.exact[i] as number;
    const x = a < 0 ? 0 : a;
    const dr = ((x >> 16) & 255) - ((b >> 16) & 255);
    const dg = ((x >> 8) & 255) - ((b >> 8) & 255);
    const db = (x & 255) - (b & 255);
    se += dr * dr + dg * dg + db * db;
  }
  if (se === 0 || n === 0) return PSNR_CAP_DB;
  const mse = se / (n * 3);
  return Math.min(PSNR_CAP_DB, 10 * Math.log10((255 * 255) / mse));
}

/**
 * A minimal terminal for the bench, independent of the renderers' own model: it parses the bytes they emit
 * (CUP, CUF, SGR 0/3x/4x/9x/10x/38;2/48;2/38;5/48;5, BSU/ESU, UTF-8 glyphs) into per-cell glyph + colours and
 * reports the half-block pixels the screen shows. Unknown sequences are skipped.
 */
export class BenchScreen {
  private readonly fg: Int32Array;
  private readonly bg: Int32Array;
  private readonly ch: Int32Array;
  private row = 0;
  private col = 0;
  private readonly pen: SgrPen = { fg: -1, bg: -1, inverse: false };

  constructor(readonly cols: number, readonly rows: number) {
    this.fg = new Int32Array(cols * rows).fill(-1);
    this.bg = new Int32Array(cols * rows).fill(-1);
    this.ch = new Int32Array(cols * rows).fill(0x20);
  }

  // Feed the bytes of one write.
  write(b: Uint8Array): void {
    let i = 0;
    while (i < b.length) {
      const c = b[i] as number;
      if (c === 0x1b && b[i + 1] === 0x5b) {
        let j = i + 2;
        while (j < b.length && ((b[j] as number) < 0x40 || (b[j] as number) > 0x7e)) j++;
        this.csi(Buffer.from(b.subarray(i + 2, j)).toString('latin1'), b[j] ?? 0);
        i = j + 1;
      } else if (c >= 0xc0) {
        const n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        this.put(Buffer.from(b.subarray(i, i + n)).toString('utf8').codePointAt(0) ?? 0x20);
        i += n;
      } else {
        if (c >= 0x20) this.put(c);
        i++;
      }
    }
  }

  // Apply one CSI sequence (params, final byte).
  private csi(p: string, final: number): void {
    if (p.startsWith('?')) return;
    const a = p === '' ? [] : p.split(';').map((x) => (x === '' ? 0 : Number(x)));
    if (final === 0x48) {
      this.row = Math.max(1, a[0] ?? 1) - 1;
      this.col = Math.max(1, a[1] ?? 1) - 1;
    } else if (final === 0x43) {
      this.col += Math.max(1, a[0] ?? 1);
    } else if (final === 0x6d) {
      if (a.length === 0) a.push(0);
      applySgr(a, this.pen); // inverse is never written by the renderers measured here, and not modelled
    }
  }

  // Write one character at the cursor and advance.
  private put(cp: number): void {
    if (this.row < this.rows && this.col < this.cols) {
      const i = this.row * this.cols + this.col;
      this.ch[i] = cp;
      this.fg[i] = this.pen.fg;
      this.bg[i] = this.pen.bg;
    }
    this.col++;
  }

  // The half-block pixels (0xRRGGBB, default colours as black) of a pane, into out (cols x 2*rows).
  halfPixels(col0: number, row0: number, cols: number, rows: number, out: Int32Array): Int32Array {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = (row0 + r) * this.cols + col0 + c;
        const fg = Math.max(0, this.fg[i] as number);
        const bg = Math.max(0, this.bg[i] as number);
        const g = this.ch[i] as number;
        const top = g === 0x2580 || g === 0x2588 ? fg : bg;
        const bottom = g === 0x2584 || g === 0x2588 ? fg : bg;
        out[2 * r * cols + c] = top;
        out[(2 * r + 1) * cols + c] = bottom;
      }
    }
    return out;
  }
}

// Render every frame, in order: the median time of a render call and the bytes of the first and the later frames;
// onFrame (when given) sees each frame's bytes after its render, outside the timing.
function timeRenders(
  frames: readonly Frame[], render: (f: Frame) => Uint8Array, onFrame?: (out: Uint8Array) => void,
): Pick<RenderBenchEntry, 'msPerFrame' | 'firstFrameBytes' | 'steadyBytesPerFrame'> {
  const times: number[] = [];
  let first = 0;
  let steady = 0;
  frames.forEach((f, i) => {
    const t0 = performance.now();
    const out = render(f);
    times.push(performance.now() - t0);
    if (i === 0) first = out.length;
    else steady += out.length;
    onFrame?.(out);
  });
  return {
    msPerFrame: round(median(times), 3), firstFrameBytes: first,
    steadyBytesPerFrame: Math.round(frames.length > 1 ? steady / (frames.length - 1) : 0),
  };
}

// Render every frame, in order, with a renderer of the table (8x16-px cells) into a cols x rows pane: time and bytes.
export function benchTableRenderer(frames: readonly Frame[], kind: RendererKind, cols: number, rows: number): RenderBenchEntry {
  const r = createRenderer(kind, { width: 8, height: 16 });
  const rect = { col: 0, row: 0, cols, rows };
  return { renderer: kind, cols, rows, ...timeRenders(frames, (f) => r.render(f, rect)) };
}

// Render every frame, in order, with one half-block renderer into a cols x rows pane at the top-left; measure it.
export function benchBlockRenderer(frames: readonly Frame[], kind: BlockKind, cols: number, rows: number): RenderBenchEntry {
  const r = createBlockRenderer(kind);
  const rect = { col: 0, row: 0, cols, rows };
  if (kind === 'ascii') return { renderer: kind, cols, rows, ...timeRenders(frames, (f) => r.render(f, rect)) };
  let psnrSum = 0;
  // what a terminal shows is parsed from the bytes (BenchScreen), not taken from the renderer's own model
  const screen = new BenchScreen(cols, rows);
  const shown = new Int32Array(cols * rows * 2);
  const entry: RenderBenchEntry = {
    renderer: kind, cols, rows,
    ...timeRenders(frames, (f) => r.render(f, rect), (out) => {
      screen.write(out);
      screen.halfPixels(0, 0, cols, rows, shown);
      psnrSum += shownPsnr({ width: cols, height: rows * 2, shown, exact: r.model().exact });
    }),
  };
  if (frames.length > 0) entry.psnrDb = round(psnrSum / frames.length, 2);
  return entry;
}

// The `render` section: every default renderer at every default grid.
export function benchRender(
  frames: readonly Frame[],
  renderers: readonly RendererKind[] = BENCH_RENDERERS,
  grids: readonly (readonly [number, number])[] = BENCH_GRIDS,
): RenderBenchEntry[] {
  const out: RenderBenchEntry[] = [];
  for (const [cols, rows] of grids) {
    for (const k of renderers) {
      out.push(HALF_BLOCK_KINDS.includes(k) ? benchBlockRenderer(frames, k as BlockKind, cols, rows) : benchTableRenderer(frames, k, cols, rows));
    }
  }
  return out;
}

// Round to a number of decimals.
function round(x: number, d: number): number {
  const k = 10 ** d;
  return Math.round(x * k) / k;
}

// One sixel run: every frame encoded at width x height with the sixel renderer (the clip twice when short, so the
// median is of warm frames).
export function benchSixelRun(
  frames: readonly Frame[], o: { registers: number; palette?: 'adaptive' | 'fixed'; clip?: string }, width = 640, height = 480,
): SixelRun {
  const palette = o.palette ?? 'adaptive';
  const r = createSixelRenderer({ cellWidthPx: 1, cellHeightPx: 1, maxSidePx: Math.max(width, height), registers: o.registers, palette });
  const rect = { col: 0, row: 0, cols: width, rows: height };
  const times: number[] = [];
  let bytes = 0;
  let most = 0;
  const passes = frames.length < 200 ? 2 : 1;
  const cpu0 = process.cpuUsage();
  for (let p = 0; p < passes; p++) {
    for (const f of frames) {
      const t0 = performance.now();
      const n = r.render(f, rect).length;
      times.push(performance.now() - t0);
      bytes += n;
      most = Math.max(most, n);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const count = Math.max(1, frames.length * passes);
  return {
    width, height, registers: o.registers, palette, clip: o.clip ?? 'clip',
    msPerFrame: round(median(times), 3),
    cpuMsPerFrame: round((cpu.user + cpu.system) / 1000 / count, 3),
    bytesPerFrame: Math.round(frames.length > 0 ? bytes / count : 0),
    maxBytesPerFrame: most,
  };
}

// The `sixel` section: 256 registers on the clip (default 640x480), beside 16 registers, the fixed palette and the
// camera-like copy of the clip (noisy: if given).
export function benchSixel(frames: readonly Frame[], width = 640, height = 480, noisy?: readonly Frame[]): SixelBenchEntry {
  const main = benchSixelRun(frames, { registers: 256 }, width, height);
  const variants = [
    benchSixelRun(frames, { registers: 16 }, width, height),
    benchSixelRun(frames, { registers: 256, palette: 'fixed' }, width, height),
    ...(noisy ? [benchSixelRun(noisy, { registers: 256, clip: 'clip+noise6' }, width, height), benchSixelRun(noisy, { registers: 16, clip: 'clip+noise6' }, width, height)] : []),
  ];
  return { ...main, variants };
}
