// Block renderers checked through an independent terminal (@xterm/headless): colours, glyphs, pane bounds, no scroll.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBlockRenderer, type BlockRenderer } from '../../../src/render/blocks.js';
import { FrameScaler } from '../../../src/render/scale.js';
import { ASCII_RAMP } from '../../../src/render/ascii.js';
import type { BlockKind, CellRect } from '../../../src/render/types.js';
import { RENDER_TOLERANCE_RMS } from '../../../src/shared/limits.js';
import type { Frame } from '../../../src/shared/frame.js';
import { Screen, rgbDist2, testFrame } from '../../helpers/render-screen.js';

const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';

// The exact picture (RGB per half-block pixel) a pane should show for a frame.
function target(frame: Frame, rect: CellRect): Int32Array {
  const g = new FrameScaler().scale(frame, rect.cols, rect.rows * 2, 1);
  const out = new Int32Array(g.width * g.height);
  for (let i = 0; i < out.length; i++) out[i] = ((g.data[3 * i] as number) << 16) | ((g.data[3 * i + 1] as number) << 8) | (g.data[3 * i + 2] as number);
  return out;
}

// Check the frame's bytes: one synchronized write, reset at the end, no newline or carriage return.
function checkEnvelope(buf: Buffer): void {
  if (buf.length === 0) return;
  const s = buf.toString('latin1');
  assert.ok(s.startsWith(BSU), 'starts with BSU');
  assert.ok(s.endsWith('\x1b[0m' + ESU), 'ends with SGR reset + ESU');
  assert.equal(buf.indexOf(0x0a), -1, 'no LF');
  assert.equal(buf.indexOf(0x0d), -1, 'no CR');
}

// Every cell outside rect still shows the marker; nothing scrolled.
function checkOutside(screen: Screen, rect: CellRect, also?: CellRect): void {
  assert.equal(screen.baseY, 0, 'screen did not scroll');
  for (let r = 0; r < screen.rows; r++) {
    for (let c = 0; c < screen.cols; c++) {
      const inside = (q: CellRect | undefined): boolean =>
        q !== undefined && c >= q.col && c < q.col + q.cols && r >= q.row && r < q.row + q.rows;
      if (inside(rect) || inside(also)) continue;
      const cell = screen.cell(c, r);
      assert.equal(cell.ch, 'x', `cell ${c},${r} outside the pane was overwritten`);
      assert.equal(cell.bg, -1, `cell ${c},${r} outside the pane changed colour`);
    }
  }
}

// Compare the terminal's pane with the renderer's model (exactly) and with the picture (within maxDist2).
function checkPane(screen: Screen, r: BlockRenderer, rect: CellRect, want: Int32Array | null, maxDist2: number): void {
  const m = r.model();
  for (let row = 0; row < rect.rows; row++) {
    for (let col = 0; col < rect.cols; col++) {
      const px = screen.halfPixels(rect.col + col, rect.row + row);
      assert.ok(px, `cell ${col},${row} shows a half-block glyph`);
      const p0 = 2 * row * rect.cols + col;
      const p1 = p0 + rect.cols;
      assert.equal(px[0], m.shown[p0], `top pixel of ${col},${row} matches the model`);
      assert.equal(px[1], m.shown[p1], `bottom pixel of ${col},${row} matches the model`);
      const e0 = want ? (want[p0] as number) : (m.exact[p0] as number);
      const e1 = want ? (want[p1] as number) : (m.exact[p1] as number);
      assert.ok(rgbDist2(px[0], e0) <= maxDist2, `top ${col},${row}: ${px[0].toString(16)} vs ${e0.toString(16)}`);
      assert.ok(rgbDist2(px[1], e1) <= maxDist2, `bottom ${col},${row}: ${px[1].toString(16)} vs ${e1.toString(16)}`);
    }
  }
}

const TOL2 = 3 * RENDER_TOLERANCE_RMS * RENDER_TOLERANCE_RMS;

test('truecolor: frames, a rect change and a full redraw match the picture in xterm', async () => {
  const screen = new Screen(48, 20);
  await screen.fill();
  const r = createBlockRenderer('truecolor');
  let rect: CellRect = { col: 3, row: 2, cols: 30, rows: 10 };
  for (let i = 0; i < 6; i++) {
    const f = testFrame(160, 120, i);
    const out = r.render(f, rect);
    checkEnvelope(out);
    await screen.write(out);
    checkPane(screen, r, rect, target(f, rect), TOL2);
    checkOutside(screen, rect);
  }
  const old = rect;
  rect = { col: 10, row: 5, cols: 36, rows: 14 }; // moved and resized: must repaint all of it
  const f = testFrame(160, 120, 7);
  const out = r.render(f, rect);
  checkEnvelope(out);
  await screen.write(out);
  checkPane(screen, r, rect, target(f, rect), TOL2);
  checkOutside(screen, rect, old);
  // full redraw after the screen was wiped
  await screen.fill();
  const full = r.render(testFrame(160, 120, 8), rect, { full: true });
  await screen.write(full);
  checkPane(screen, r, rect, target(testFrame(160, 120, 8), rect), TOL2);
  checkOutside(screen, rect);
  screen.dispose();
});

test('truecolor: a still picture converges to exact through the drift band', async () => {
  const screen = new Screen(40, 12);
  const r = createBlockRenderer('truecolor');
  const rect = { col: 0, row: 0, cols: 40, rows: 12 };
  const still = testFrame(80, 48, 3, 20);
  for (let i = 0; i < rect.rows + 1; i++) await screen.write(r.render(still, rect));
  checkPane(screen, r, rect, target(still, rect), 0);
  assert.equal(r.render(still, rect).length, 0, 'nothing left to send once exact');
  screen.dispose();
});

test('truecolor: on noise, the tolerance sends far fewer bytes than an exact diff (timg-style)', () => {
  const rect = { col: 0, row: 0, cols: 80, rows: 24 };
  // same picture (no motion), new noise each frame
  const still = (seed: number): Frame => ({ ...testFrame(320, 240, 0, 12, seed), seq: seed });
  const steady = (r: BlockRenderer): number => {
    r.render(still(1), rect);
    let n = 0;
    for (let s = 2; s < 12; s++) n += r.render(still(s), rect).length;
    return n / 10;
  };
  const tolerant = steady(createBlockRenderer('truecolor'));
  const exact = steady(createBlockRenderer('truecolor', { tolerance: 0, reuseTolerance: 0, driftRowsPerFrame: 0 }));
  assert.ok(tolerant < exact * 0.25, `tolerant ${tolerant} B/frame vs exact ${exact} B/frame`);
});

for (const kind of ['256', '16'] as const satisfies readonly BlockKind[]) {
  test(`${kind}: the terminal shows the renderer's palette colours, within the pane`, async () => {
    const screen = new Screen(40, 14);
    await screen.fill();
    const r = createBlockRenderer(kind);
    const rect = { col: 2, row: 1, cols: 34, rows: 12 };
    for (let i = 0; i < 5; i++) {
      const out = r.render(testFrame(120, 90, i), rect, { full: i === 3 });
      checkEnvelope(out);
      assert.doesNotMatch(out.toString('latin1'), /38;2;|48;2;/, 'no truecolor SGR');
      await screen.write(out);
      // shown palette colours equal the model; the model stays near the exact (nearest palette) picture
      checkPane(screen, r, rect, null, 3 * 255 * 255);
      checkOutside(screen, rect);
    }
    // a still picture converges to the nearest palette colours
    const still = testFrame(120, 90, 9, 0);
    for (let i = 0; i < rect.rows + 1; i++) await screen.write(r.render(still, rect));
    checkPane(screen, r, rect, null, 0);
    screen.dispose();
  });
}

test('ascii: ramp characters only, default colours, within the pane', async () => {
  const screen = new Screen(30, 10);
  await screen.fill();
  const r = createBlockRenderer('ascii');
  const rect = { col: 1, row: 1, cols: 27, rows: 8 };
  for (let i = 0; i < 4; i++) {
    const out = r.render(testFrame(90, 60, i), rect);
    checkEnvelope(out);
    assert.doesNotMatch(out.toString('latin1'), /\x1b\[[0-9;]*[34]8;/, 'no colour SGR');
    await screen.write(out);
    checkOutside(screen, rect);
  }
  const m = r.model();
  for (let row = 0; row < rect.rows; row++) {
    for (let col = 0; col < rect.cols; col++) {
      const c = screen.cell(rect.col + col, rect.row + row);
      assert.ok(ASCII_RAMP.includes(c.ch === '' ? ' ' : c.ch), `ramp glyph at ${col},${row}`);
      assert.equal(c.fg, -1);
      assert.equal(c.bg, -1);
      const level = ASCII_RAMP.indexOf(c.ch === '' ? ' ' : c.ch);
      const grey = Math.round(((level + 0.5) * 255) / ASCII_RAMP.length);
      assert.equal((m.shown[2 * row * rect.cols + col] as number) & 255, grey, 'model matches the glyph');
    }
  }
  screen.dispose();
});

test('an empty pane or an unchanged picture produces no bytes; invalidate() repaints everything', () => {
  const r = createBlockRenderer('truecolor', { driftRowsPerFrame: 0 });
  const f = testFrame(64, 48, 0, 0);
  assert.equal(r.render(f, { col: 0, row: 0, cols: 0, rows: 5 }).length, 0);
  const rect = { col: 0, row: 0, cols: 16, rows: 6 };
  const first = r.render(f, rect).length;
  assert.ok(first > 0);
  assert.equal(r.render(f, rect).length, 0);
  r.invalidate();
  assert.equal(r.render(f, rect).length, first);
});

test('bad pixel data (short buffer) is dropped without throwing', () => {
  const r = createBlockRenderer('truecolor');
  const bad: Frame = { data: new Uint8Array(10), width: 640, height: 480, captureTs: 0, seq: 0 };
  const out = r.render(bad, { col: 0, row: 0, cols: 10, rows: 4 });
  assert.ok(Buffer.isBuffer(out));
});
