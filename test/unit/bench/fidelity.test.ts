// The fidelity bench's viewer model: glyph masks, metrics, and its rasterization checked against independent ones
// (@xterm/headless parses the same bytes; the `sixel` package decodes the encoder's output).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import xtermHeadless from '@xterm/headless';
import sharp from 'sharp';
import { CellScreen, rasterizeCells, type RgbImage } from '../../../src/bench/cell-screen.js';
import { blurLumaPsnr, psnrRgb, ssimLuma, FIDELITY_PSNR_CAP_DB } from '../../../src/bench/fidelity-metrics.js';
import { sixelViewer } from '../../../src/bench/fidelity-viewers.js';
import { benchFidelityTarget } from '../../../src/bench/fidelity.js';
import { frameRgb, referencePicture } from '../../../src/bench/fidelity-reference.js';
import { glyphCoverage, sextantCodePoint } from '../../../src/render/glyph-masks.js';
import { createRenderer } from '../../../src/render/table.js';
import { XTERM256_RGB } from '../../../src/render/palette.js';
import type { RendererKind } from '../../../src/render/types.js';
import { testFrame } from '../../helpers/render-screen.js';
import { needTools } from '../../helpers/require-tool.js';

const { Terminal } = xtermHeadless;

// Sum of a mask's coverage, as a fraction of the cell.
function area(cp: number, cw = 8, ch = 16): number {
  const m = glyphCoverage(cp, cw, ch);
  assert.ok(m, `mask of U+${cp.toString(16)}`);
  return m.reduce((s, v) => s + v, 0) / (cw * ch);
}

test('glyph masks: halves, eighths, quadrants and sextants cover what their names say', () => {
  assert.equal(area(0x20), 0);
  assert.equal(area(0x2588), 1);
  assert.equal(area(0x2580), 0.5);
  assert.equal(area(0x2584), 0.5);
  assert.equal(area(0x2581), 1 / 8);
  assert.equal(area(0x258f), 1 / 8);
  assert.equal(area(0x259a), 0.5);
  assert.equal(area(0x2599), 0.75);
  assert.equal(sextantCodePoint(1), 0x1fb00);
  assert.equal(sextantCodePoint(62), 0x1fb3b);
  assert.equal(sextantCodePoint(21), 0x258c);
  assert.equal(sextantCodePoint(42), 0x2590);
  for (let m = 1; m < 63; m++) {
    const bits = [...m.toString(2)].filter((b) => b === '1').length;
    assert.ok(Math.abs(area(sextantCodePoint(m), 8, 15) - bits / 6) < 1e-6, `sextant mask ${m}`);
  }
  const upper = glyphCoverage(0x1fb00, 8, 15)!;
  assert.equal(upper[0], 1, 'sextant 1 is the top-left sixth');
  assert.equal(upper[7], 0);
  assert.ok(area(0x2500) > 0 && area(0x2500) < 0.2, 'a light line is thin');
  assert.equal(glyphCoverage(0x41, 8, 16), null, 'letters have no geometric mask');
});

test('metrics: identical pictures are capped, noise lowers PSNR by the expected amount, SSIM is 1 for equal', () => {
  const a = frameRgb(testFrame(64, 48, 0));
  assert.equal(psnrRgb(a, a), FIDELITY_PSNR_CAP_DB);
  assert.equal(blurLumaPsnr(a, a), FIDELITY_PSNR_CAP_DB);
  assert.ok(Math.abs(ssimLuma(a, a) - 1) < 1e-6);
  const b = { ...a, data: a.data.map((v, i) => Math.max(0, Math.min(255, v + (i % 2 ? 8 : -8)))) };
  const p = psnrRgb(a, b);
  assert.ok(Math.abs(p - 10 * Math.log10(255 ** 2 / 64)) < 0.3, `psnr ${p}`);
  assert.ok(blurLumaPsnr(a, b) > p, 'blurring cancels an alternating error');
  assert.ok(ssimLuma(a, b) < 1);
});

/** What @xterm/headless shows: cells with their code point and RGB colours, as a CellScreen. */
async function xtermCells(chunks: readonly Uint8Array[], cols: number, rows: number): Promise<CellScreen> {
  const term = new Terminal({ cols, rows, allowProposedApi: true, convertEol: true });
  for (const c of chunks) await new Promise<void>((resolve) => term.write(c, resolve));
  const s = new CellScreen(cols, rows);
  const buf = term.buffer.active;
  const colour = (mode: 'fg' | 'bg', cell: NonNullable<ReturnType<NonNullable<ReturnType<typeof buf.getLine>>['getCell']>>): number => {
    const rgb = mode === 'fg' ? cell.isFgRGB() : cell.isBgRGB();
    const pal = mode === 'fg' ? cell.isFgPalette() : cell.isBgPalette();
    const v = mode === 'fg' ? cell.getFgColor() : cell.getBgColor();
    if (rgb) return v;
    if (pal) return paletteRgb(v);
    return mode === 'fg' ? 0xe5e5e5 : 0;
  };
  for (let y = 0; y < rows; y++) {
    const line = buf.getLine(y);
    for (let x = 0; x < cols; x++) {
      const cell = line?.getCell(x);
      if (!cell) continue;
      const i = y * cols + x;
      const chars = cell.getChars();
      s.ch[i] = chars === '' ? 0x20 : chars.codePointAt(0) ?? 0x20;
      let fg = colour('fg', cell);
      let bg = colour('bg', cell);
      if (cell.isInverse()) [fg, bg] = [bg, fg];
      s.fg[i] = fg;
      s.bg[i] = bg;
    }
  }
  term.dispose();
  return s;
}

// xterm's 256-colour palette entry as 0xRRGGBB (same table the renderers use).
function paletteRgb(i: number): number {
  return XTERM256_RGB[i] as number;
}

// The bench's rasterization of some writes, and the same rasterization of what @xterm/headless shows.
async function bothPictures(chunks: readonly Uint8Array[], cols: number, rows: number): Promise<[RgbImage, RgbImage]> {
  const ours = new CellScreen(cols, rows);
  for (const c of chunks) ours.write(c);
  const theirs = await xtermCells(chunks, cols, rows);
  return [rasterizeCells(ours, 8, 16), rasterizeCells(theirs, 8, 16)];
}

for (const kind of ['truecolor', '256', '16'] as RendererKind[]) {
  test(`the bench's cell model of ${kind} output matches what @xterm/headless shows, frame after frame`, async () => {
    const r = createRenderer(kind, { width: 8, height: 16 });
    const rect = { col: 0, row: 0, cols: 40, rows: 15 };
    const chunks = [0, 1, 2].map((i) => r.render(testFrame(160, 120, i, 6), rect));
    const [ours, theirs] = await bothPictures(chunks, 40, 15);
    assert.equal(psnrRgb(ours, theirs), FIDELITY_PSNR_CAP_DB, 'identical pictures');
  });
}

test("the bench's cell model of chafa's output matches what @xterm/headless shows", { skip: needTools('chafa') }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fid-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = testFrame(320, 240, 3, 6);
  const png = join(dir, 'f.png');
  writeFileSync(png, await sharp(Buffer.from(frameRgb(f).data), { raw: { width: 320, height: 240, channels: 3 } }).png().toBuffer());
  for (const syms of [[], ['--symbols', 'block+sextant']]) {
    const out = execFileSync('chafa', ['-f', 'symbols', '-c', 'full', '--stretch', '-s', '40x15', ...syms, png]);
    const [ours, theirs] = await bothPictures([out], 40, 15);
    assert.equal(psnrRgb(ours, theirs), FIDELITY_PSNR_CAP_DB, `chafa ${syms.join(' ')}`);
    assert.ok(psnrRgb(ours, referencePicture(f, 320, 240)) > 20, 'and it resembles the frame');
  }
});

test('the sixel viewer shows exactly what the sixel package decodes, at the CUP position', () => {
  const r = createRenderer('sixel', { width: 8, height: 16 });
  const f = testFrame(160, 120, 0, 6);
  const out = r.render(f, { col: 2, row: 1, cols: 10, rows: 5 });
  const v = sixelViewer({ cols: 14, rows: 7, cellWidthPx: 8, cellHeightPx: 16 });
  v.write(out);
  const pic = v.picture();
  assert.equal(v.stats.badImages, 0);
  // the image is 80x80 px at (16, 16); outside it the canvas stays black
  assert.equal(pic.data[0], 0);
  const inside = pic.data.subarray(((16 + 40) * pic.width + 16 + 40) * 3, ((16 + 40) * pic.width + 16 + 40) * 3 + 3);
  assert.ok(inside[0]! + inside[1]! + inside[2]! > 0, 'the picture is drawn inside the pane');
});

test('fidelity entry: shape, and a renderer measured against the frame it drew', () => {
  const frames = Array.from({ length: 4 }, (_, i) => testFrame(160, 120, i, 6));
  const e = benchFidelityTarget(frames, { kind: 'truecolor', cols: 40, rows: 15, cell: [8, 16] }, 2, 'test');
  assert.equal(e.width, 320);
  assert.equal(e.height, 240);
  assert.equal(e.measuredFrames, 2);
  assert.ok(e.psnrDb > 20 && e.psnrDb < 99, `psnr ${e.psnrDb}`);
  assert.ok(e.ssim > 0.5 && e.ssim <= 1);
  assert.ok(e.firstFrameBytes! > e.bytesPerFrame);
});
