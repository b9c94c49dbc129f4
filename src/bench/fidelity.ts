// The `fidelity` section of `termcall bench --json`: what a viewer sees of each renderer's output (cells rasterized
// with glyph masks, sixel decoded) against the source frame scaled to the same pixel size, beside chafa and
// img2sixel run on the same frames in the same run (see ../shared bench-format).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Frame } from '../shared/frame.js';
import { median } from '../shared/median.js';
import { createRenderer } from '../render/table.js';
import { SIXEL_ADAPTIVE_REGISTERS } from '../shared/limits.js';
import { FrameScaler } from '../render/scale.js';
import type { RendererKind } from '../render/types.js';
import type { RgbImage } from './cell-screen.js';
import { blurLumaPsnr, psnrRgb, ssimLuma } from './fidelity-metrics.js';
import { cellViewer, sixelViewer, viewerFor, type ViewGeometry, type ViewerFactory } from './fidelity-viewers.js';
import { frameRgb, referencePicture } from './fidelity-reference.js';

/** One entry of the `fidelity` section: a renderer of termcall, or an anchor (another tool). */
export interface FidelityEntry {
  renderer?: string;
  /** How the renderer's input differs from the clip's frames, when it does. */
  input?: string;
  anchor?: string;
  args?: string;
  clip: string;
  cols?: number;
  rows?: number;
  width: number;
  height: number;
  cellPx?: [number, number];
  psnrDb: number;
  blurPsnrDb: number;
  ssim: number;
  /** Mean bytes per frame after the first (termcall renderers: steady state with damage tracking). */
  bytesPerFrame: number;
  firstFrameBytes?: number;
  msPerFrame: number;
  timedAs: 'in-process' | 'process';
  /** Frames whose picture was measured (all frames are rendered, in order). */
  measuredFrames: number;
  /** Sixel: the colour registers the palette could use (the terminal's count). */
  registers?: number;
  /** Cells whose glyph had no known shape (drawn as a blend): a sign the figure is approximate. */
  unknownGlyphCells?: number;
}

/** A termcall renderer to measure: kind, grid and cell size. */
export interface FidelityTarget {
  kind: RendererKind;
  cols: number;
  rows: number;
  cell: [number, number];
  /** Sixel: colour registers the terminal has (default: the renderer's, SIXEL_ADAPTIVE_REGISTERS). */
  registers?: number;
  /** Feed the renderer frames shrunk by this factor (as a sender under congestion sends them); default 1. */
  shrink?: number;
}

/** Defaults: 128x48 cells of 8x16 px for cell renderers (1024x768 px), 80x30 for sixel (640x480 px). */
export const FIDELITY_GRID: [number, number] = [128, 48];
export const FIDELITY_CELL: [number, number] = [8, 16];
export const FIDELITY_SIXEL_GRID: [number, number] = [80, 30];
/** chafa runs (same grid as the cell renderers). */
export const CHAFA_VARIANTS: readonly string[] = ['', '--symbols block+sextant', '--symbols block', '--symbols vhalf'];

/** Options of a fidelity run. */
export interface FidelityOptions {
  /** Measure every nth frame (all are rendered); default: about 12 frames of the clip. */
  every?: number;
  /** Name of the clip in the entries. */
  clip?: string;
  /** termcall renderers (default: every table entry that is measured by default). */
  targets?: readonly FidelityTarget[];
  /** Run chafa and img2sixel (default true; skipped with a log line when missing). */
  anchors?: boolean;
  log?: (s: string) => void;
}

// Default targets: every cell renderer at 128x48 and sixel at 640x480.
export function defaultTargets(kinds: readonly RendererKind[]): FidelityTarget[] {
  // pixel renderers (sixel, kitty, iTerm2) draw a 640x480 pane
  const px = (k: RendererKind): boolean => k === 'sixel' || k === 'kitty' || k === 'iterm2';
  const list: FidelityTarget[] = kinds.map((kind) => ({
    kind, cols: px(kind) ? FIDELITY_SIXEL_GRID[0] : FIDELITY_GRID[0], rows: px(kind) ? FIDELITY_SIXEL_GRID[1] : FIDELITY_GRID[1],
    cell: FIDELITY_CELL,
  }));
  // half-blocks fed frames a quarter of the pane's pixel size (what a congested sender sends): the enlarging matters
  // sixel on a terminal with 256 colour registers (xterm -xrm 'XTerm*numColorRegisters: 256', foot, mlterm …)
  if (kinds.includes('sixel')) list.push({ kind: 'sixel', cols: FIDELITY_SIXEL_GRID[0], rows: FIDELITY_SIXEL_GRID[1], cell: FIDELITY_CELL, registers: 256 });
  if (kinds.includes('truecolor')) list.push({ kind: 'truecolor', cols: FIDELITY_GRID[0], rows: FIDELITY_GRID[1], cell: FIDELITY_CELL, shrink: 10 });
  // sextants fed what a call asks the sender for at this grid (512x384 from the 640x480 clip: table.ts symbolImagePx)
  if (kinds.includes('sextants')) list.push({ kind: 'sextants', cols: FIDELITY_GRID[0], rows: FIDELITY_GRID[1], cell: FIDELITY_CELL, shrink: 1.25 });
  return list;
}

/** The three figures of one picture against its reference. */
export interface Fidelity {
  psnrDb: number;
  blurPsnrDb: number;
  ssim: number;
}

// PSNR, blurred-luma PSNR and SSIM of a shown picture against the reference.
export function measure(shown: RgbImage, ref: RgbImage): Fidelity {
  return { psnrDb: psnrRgb(shown, ref), blurPsnrDb: blurLumaPsnr(shown, ref), ssim: ssimLuma(shown, ref) };
}

// Mean of the figures over frames, rounded.
function meanFidelity(list: readonly Fidelity[]): Fidelity {
  const m = (f: (x: Fidelity) => number): number => list.reduce((s, x) => s + f(x), 0) / Math.max(1, list.length);
  return { psnrDb: round(m((x) => x.psnrDb), 2), blurPsnrDb: round(m((x) => x.blurPsnrDb), 2), ssim: round(m((x) => x.ssim), 4) };
}

// Render every frame with one termcall renderer, in order, and measure what a viewer sees on the sampled frames.
export function benchFidelityTarget(frames: readonly Frame[], t: FidelityTarget, every: number, clip: string, viewer?: ViewerFactory): FidelityEntry {
  const cell = { width: t.cell[0], height: t.cell[1] };
  const r = createRenderer(t.kind, cell, t.registers ? { sixelRegisters: t.registers } : {});
  const g: ViewGeometry = { cols: t.cols, rows: t.rows, cellWidthPx: t.cell[0], cellHeightPx: t.cell[1] };
  const v = (viewer ?? viewerFor(t.kind))(g);
  const rect = { col: 0, row: 0, cols: t.cols, rows: t.rows };
  const W = t.cols * t.cell[0];
  const H = t.rows * t.cell[1];
  const times: number[] = [];
  const figs: Fidelity[] = [];
  let first = 0;
  let steady = 0;
  let unknown = 0;
  const shrink = t.shrink && t.shrink > 1 ? t.shrink : 1;
  const scaler = new FrameScaler();
  frames.forEach((f, i) => {
    let input = f;
    if (shrink > 1) {
      // area-averaged to 1/shrink (RGB back to BGR, as frames travel)
      const g = scaler.scale(f, Math.round(f.width / shrink), Math.round(f.height / shrink), 1);
      const d = new Uint8Array(g.data.length);
      for (let k = 0; k < d.length; k += 3) {
        d[k] = g.data[k + 2] as number;
        d[k + 1] = g.data[k + 1] as number;
        d[k + 2] = g.data[k] as number;
      }
      input = { ...f, data: d, width: g.width, height: g.height };
    }
    const t0 = performance.now();
    const out = r.render(input, rect);
    times.push(performance.now() - t0);
    if (i === 0) first = out.length;
    else steady += out.length;
    v.write(out);
    if (i % every === 0) {
      figs.push(measure(v.picture(), referencePicture(f, W, H)));
      unknown += v.stats.unknownGlyphCells;
    }
  });
  return {
    renderer: t.kind, ...(t.kind === 'sixel' ? { registers: t.registers ?? SIXEL_ADAPTIVE_REGISTERS } : {}), ...(shrink > 1 ? { input: `frames shrunk ${shrink}x (${Math.round((frames[0]?.width ?? 0) / shrink)}x${Math.round((frames[0]?.height ?? 0) / shrink)})` } : {}), clip, cols: t.cols, rows: t.rows, width: W, height: H, cellPx: [...t.cell],
    ...meanFidelity(figs),
    bytesPerFrame: Math.round(frames.length > 1 ? steady / (frames.length - 1) : first),
    firstFrameBytes: first, msPerFrame: round(median(times), 3), timedAs: 'in-process', measuredFrames: figs.length,
    ...(unknown > 0 ? { unknownGlyphCells: unknown } : {}),
  };
}

/** An external tool run on a PNG of the frame: its command, the viewer of its output and the pane it draws. */
interface AnchorSpec {
  tool: 'chafa' | 'img2sixel';
  args: string[];
  geometry: ViewGeometry;
  viewer: ViewerFactory;
}

// Run one anchor on the sampled frames (each frame written as a PNG first; the time is the whole process).
async function benchAnchor(frames: readonly Frame[], a: AnchorSpec, every: number, clip: string, dir: string): Promise<FidelityEntry> {
  const W = a.geometry.cols * a.geometry.cellWidthPx;
  const H = a.geometry.rows * a.geometry.cellHeightPx;
  const figs: Fidelity[] = [];
  const times: number[] = [];
  let bytes = 0;
  let unknown = 0;
  for (let i = 0; i < frames.length; i += every) {
    const f = frames[i] as Frame;
    const png = join(dir, `f${i}.png`);
    const rgb = frameRgb(f);
    writeFileSync(png, await sharp(Buffer.from(rgb.data), { raw: { width: f.width, height: f.height, channels: 3 } }).png().toBuffer());
    const t0 = performance.now();
    const out = execFileSync(a.tool, [...a.args, png], { maxBuffer: 64 * 1024 * 1024 });
    times.push(performance.now() - t0);
    bytes += out.length;
    const v = a.viewer(a.geometry);
    v.write(out);
    figs.push(measure(v.picture(), referencePicture(f, W, H)));
    unknown += v.stats.unknownGlyphCells;
  }
  return {
    anchor: a.tool, args: a.args.join(' '), clip, width: W, height: H,
    ...(a.tool === 'chafa' ? { cols: a.geometry.cols, rows: a.geometry.rows, cellPx: [a.geometry.cellWidthPx, a.geometry.cellHeightPx] as [number, number] } : {}),
    ...meanFidelity(figs), bytesPerFrame: Math.round(bytes / Math.max(1, figs.length)), msPerFrame: round(median(times), 3),
    timedAs: 'process', measuredFrames: figs.length, ...(unknown > 0 ? { unknownGlyphCells: unknown } : {}),
  };
}

// Is a tool on PATH?
function haveTool(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// The anchors at the default grids: chafa (each variant) at 128x48, img2sixel at 640x480.
export function anchorSpecs(): AnchorSpec[] {
  const [cols, rows] = FIDELITY_GRID;
  const cellG: ViewGeometry = { cols, rows, cellWidthPx: FIDELITY_CELL[0], cellHeightPx: FIDELITY_CELL[1] };
  const sixG: ViewGeometry = { cols: FIDELITY_SIXEL_GRID[0], rows: FIDELITY_SIXEL_GRID[1], cellWidthPx: FIDELITY_CELL[0], cellHeightPx: FIDELITY_CELL[1] };
  return [
    ...CHAFA_VARIANTS.map((v): AnchorSpec => ({
      tool: 'chafa', geometry: cellG, viewer: cellViewer,
      args: ['-f', 'symbols', '-c', 'full', '--stretch', '-s', `${cols}x${rows}`, ...(v ? v.split(' ') : [])],
    })),
    { tool: 'img2sixel', args: [], geometry: sixG, viewer: sixelViewer },
  ];
}

// The fidelity section on one clip: termcall's renderers, then the anchors.
export async function benchFidelity(frames: readonly Frame[], kinds: readonly RendererKind[], opts: FidelityOptions = {}): Promise<FidelityEntry[]> {
  const every = Math.max(1, opts.every ?? Math.ceil(frames.length / 12));
  const clip = opts.clip ?? 'clip';
  const log = opts.log ?? (() => undefined);
  const out: FidelityEntry[] = [];
  for (const t of opts.targets ?? defaultTargets(kinds)) {
    log(`fidelity: ${t.kind} ${t.cols}x${t.rows}${t.registers ? ` ${t.registers} registers` : ''} (${clip})`);
    out.push(benchFidelityTarget(frames, t, every, clip));
  }
  if (opts.anchors === false) return out;
  const dir = mkdtempSync(join(tmpdir(), 'termcall-fidelity-'));
  try {
    for (const a of anchorSpecs()) {
      if (!haveTool(a.tool)) {
        log(`fidelity: ${a.tool} not found (apt-get install ${a.tool === 'chafa' ? 'chafa' : 'libsixel-bin'}): anchor skipped`);
        continue;
      }
      log(`fidelity: anchor ${a.tool} ${a.args.join(' ')} (${clip})`);
      out.push(await benchAnchor(frames, a, every, clip, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

// Round to a number of decimals.
function round(x: number, d: number): number {
  const k = 10 ** d;
  return Math.round(x * k) / k;
}
