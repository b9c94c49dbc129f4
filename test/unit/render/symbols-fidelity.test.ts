// What a viewer sees of the cell renderers at their defaults, against chafa on the same frames and against their own
// exact rendering: the sub-cell fit (8x8 atoms, eighths), rate-distortion damage tracking, the 256-colour blends.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createRenderer } from '../../../src/render/table.js';
import { cellViewer } from '../../../src/bench/fidelity-viewers.js';
import { blurLumaPsnr, psnrRgb, ssimLuma } from '../../../src/bench/fidelity-metrics.js';
import { frameRgb, referencePicture } from '../../../src/bench/fidelity-reference.js';
import type { RgbImage } from '../../../src/bench/cell-screen.js';
import type { Frame } from '../../../src/shared/frame.js';
import type { FrameRenderer, RendererKind } from '../../../src/render/types.js';
import { createSymbolRenderer } from '../../../src/render/symbols.js';
import { createBlockRenderer } from '../../../src/render/blocks.js';
import { RENDER_BUDGET_BYTES_PER_CELL } from '../../../src/shared/limits.js';
import { testFrame } from '../../helpers/render-screen.js';
import { needTools } from '../../helpers/require-tool.js';

const COLS = 40;
const ROWS = 15;
const G = { cols: COLS, rows: ROWS, cellWidthPx: 8, cellHeightPx: 16 };
const RECT = { col: 0, row: 0, cols: COLS, rows: ROWS };
const CELL = { width: 8, height: 16 };

// Discs with sharp edges moving over a gradient, with new noise each frame (where glyph shapes and damage matter).
function discs(seq: number, noise = 6, w = 320, h = 240): Frame {
  const data = new Uint8Array(w * h * 3);
  let s = seq * 7919 + 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = (((x + seq * 3) % 37) - 18) ** 2 + ((y % 29) - 14) ** 2 < 120;
      s = (s * 1664525 + 1013904223) >>> 0;
      const n = (s / 4294967296 - 0.5) * 2 * noise;
      const c = inside ? [40, 200, 230] : [180 - x / 4, 60 + y / 4, 20];
      data.set(c.map((v) => Math.max(0, Math.min(255, Math.round(v + n)))), (y * w + x) * 3);
    }
  }
  return { data, width: w, height: h, seq, captureTs: 0 };
}

/** The three figures of a picture against a frame, and the mean bytes of the frames after the first. */
interface Shown {
  psnr: number;
  blur: number;
  ssim: number;
  steadyBytes: number;
  maxSteadyBytes: number;
}

// Render the frames in order with a table renderer; what a viewer sees after the last, against the last frame.
function shown(kind: RendererKind, frames: readonly Frame[]): Shown {
  return shownBy(createRenderer(kind, CELL), frames);
}

// The same with a given renderer.
function shownBy(r: FrameRenderer, frames: readonly Frame[]): Shown {
  const v = cellViewer(G);
  let bytes = 0;
  let max = 0;
  frames.forEach((f, i) => {
    const out = r.render(f, RECT);
    if (i > 0) {
      bytes += out.length;
      max = Math.max(max, out.length);
    }
    v.write(out);
  });
  return { ...figures(v.picture(), frames[frames.length - 1]!), steadyBytes: bytes / Math.max(1, frames.length - 1), maxSteadyBytes: max };
}

// PSNR, blurred-luma PSNR and SSIM of a picture against a frame at the viewer's size.
function figures(pic: RgbImage, f: Frame): { psnr: number; blur: number; ssim: number } {
  const ref = referencePicture(f, COLS * 8, ROWS * 16);
  return { psnr: psnrRgb(pic, ref), blur: blurLumaPsnr(pic, ref), ssim: ssimLuma(pic, ref) };
}

// chafa's picture of a frame with these symbols, at the same grid.
async function chafa(f: Frame, symbols: string): Promise<{ psnr: number; blur: number; ssim: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'termcall-chafa-'));
  try {
    const png = join(dir, 'f.png');
    const rgb = frameRgb(f);
    writeFileSync(png, await sharp(Buffer.from(rgb.data), { raw: { width: f.width, height: f.height, channels: 3 } }).png().toBuffer());
    const out = execFileSync('chafa', ['-f', 'symbols', '-c', 'full', '--stretch', '-s', `${COLS}x${ROWS}`, '--symbols', symbols, png]);
    const v = cellViewer(G);
    v.write(out);
    return figures(v.picture(), f);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('sextants at the defaults show moving, noisy discs at least as well as chafa --symbols block+sextant, in ≤ 2x the half-blocks\' bytes', { skip: needTools('chafa') }, async () => {
  const frames = Array.from({ length: 8 }, (_, i) => discs(i));
  const ours = shown('sextants', frames);
  const half = shown('truecolor', frames);
  const theirs = await chafa(frames[frames.length - 1]!, 'block+sextant');
  const say = `sextants ${ours.psnr.toFixed(2)} / ${ours.blur.toFixed(2)} / ${ours.ssim.toFixed(4)} vs chafa ${theirs.psnr.toFixed(2)} / ${theirs.blur.toFixed(2)} / ${theirs.ssim.toFixed(4)}`;
  assert.ok(ours.psnr >= theirs.psnr, say);
  assert.ok(ours.blur >= theirs.blur, say);
  assert.ok(ours.ssim >= theirs.ssim, say);
  assert.ok(ours.steadyBytes <= 2 * half.steadyBytes, `sextants ${ours.steadyBytes} B/frame vs half-blocks ${half.steadyBytes}`);
});

test('a change below the repaint tolerance is bought from the byte budget: a still picture converges, bytes stay bounded', () => {
  // a picture, then the same one 4 levels brighter (below RENDER_TOLERANCE_RMS), held still for 30 frames; the drift
  // band (which converges too, one row per frame) is off to see the budget alone
  const a = testFrame(320, 240, 0, 0);
  const b = { ...a, data: a.data.map((v) => Math.min(255, v + 4)) };
  const budget = COLS * ROWS * RENDER_BUDGET_BYTES_PER_CELL;
  const frames = [a, ...Array.from({ length: 30 }, () => b)];
  for (const kind of ['sextants', 'truecolor'] as const) {
    const opts = { cellWidthPx: 8, cellHeightPx: 16, driftRowsPerFrame: 0 };
    const make = (budgetBytesPerCell?: number): FrameRenderer => kind === 'sextants'
      ? createSymbolRenderer(kind, { ...opts, set: 'sextants', colours: 'truecolor', ...(budgetBytesPerCell === undefined ? {} : { budgetBytesPerCell }) })
      : createBlockRenderer(kind, { ...opts, ...(budgetBytesPerCell === undefined ? {} : { budgetBytesPerCell }) });
    const withBudget = shownBy(make(), frames);
    const without = shownBy(make(0), frames);
    assert.ok(withBudget.psnr > without.psnr + 2, `${kind}: ${withBudget.psnr.toFixed(2)} dB with the budget vs ${without.psnr.toFixed(2)} dB without`);
    // each frame spends about the budget (nothing must be repainted here), never a full repaint
    assert.ok(withBudget.maxSteadyBytes < 2 * budget + 100, `${kind}: ${withBudget.maxSteadyBytes} B in one frame, budget ${budget}`);
  }
});

test('symbols256 blends palette colours (░▒▓): ≥ 5 dB over the 256-colour half-blocks on a smooth picture', () => {
  const frames = [testFrame(320, 240, 0, 0)];
  const sym = shown('symbols256', frames);
  const half = shown('256', frames);
  assert.ok(sym.blur > half.blur + 5, `symbols256 ${sym.blur.toFixed(2)} dB blurred vs 256 ${half.blur.toFixed(2)} dB`);
  assert.ok(sym.psnr > half.psnr + 5, `symbols256 ${sym.psnr.toFixed(2)} dB vs 256 ${half.psnr.toFixed(2)} dB`);
});
