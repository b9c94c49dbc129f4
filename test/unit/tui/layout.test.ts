// The call-screen layout: panes inside the terminal, never overlapping, aspect kept, sane at 40x12.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeLayout, fitRect, type Layout } from '../../../src/tui/layout.js';
import type { CellRect } from '../../../src/render/types.js';

// Do two rects share a cell?
function overlap(a: CellRect, b: CellRect): boolean {
  return a.col < b.col + b.cols && b.col < a.col + a.cols && a.row < b.row + b.rows && b.row < a.row + a.rows;
}

// Is a inside b?
function inside(a: CellRect, b: CellRect): boolean {
  return a.col >= b.col && a.row >= b.row && a.col + a.cols <= b.col + b.cols && a.row + a.rows <= b.row + b.rows;
}

// Check the invariants of a layout.
function check(l: Layout): void {
  const screen = { col: 0, row: 0, cols: l.cols, rows: l.rows };
  const body = { col: 0, row: 0, cols: l.cols, rows: l.rows - 1 };
  assert.deepEqual(l.help, { col: 0, row: l.rows - 1, cols: l.cols, rows: 1 }, 'help on the last row');
  assert.ok(inside(l.remote, body), 'remote off the last row');
  assert.ok(inside(l.remote, l.remoteArea), 'remote inside its area');
  assert.ok(inside(l.status, screen));
  assert.ok(!overlap(l.remote, l.status), 'remote and status apart');
  if (l.preview) {
    assert.ok(inside(l.preview, body), 'preview off the last row');
    assert.ok(!overlap(l.preview, l.remote), 'preview and remote apart');
    assert.ok(!overlap(l.preview, l.status) || l.statusMode === 'side', 'preview and bottom status apart');
  }
}

test('layouts for many terminal sizes keep every invariant', () => {
  for (const cols of [20, 40, 60, 80, 100, 120, 160, 200, 300]) {
    for (const rows of [5, 12, 24, 40, 60]) {
      for (const preview of [true, false]) {
        for (const remoteAspect of [4 / 3, 16 / 9, 3 / 4]) check(computeLayout({ cols, rows, preview, remoteAspect }));
      }
    }
  }
});

test('the remote pane keeps the picture aspect (1:2 cells: cols = 2·aspect·rows)', () => {
  const l = computeLayout({ cols: 120, rows: 40, preview: false, remoteAspect: 4 / 3 });
  assert.ok(Math.abs(l.remote.cols - (2 * 4 / 3) * l.remote.rows) <= 1, JSON.stringify(l.remote));
  assert.equal(l.remote.rows, 37, 'as tall as the area allows at 120x40');
});

test('40x12 shows a usable remote pane, the status and the help line', () => {
  const l = computeLayout({ cols: 40, rows: 12, preview: true });
  assert.ok(l.remote.cols >= 20 && l.remote.rows >= 8, JSON.stringify(l.remote));
  assert.equal(l.status.rows, 2);
  check(l);
});

test('a wide terminal puts the status (and the preview) beside the video', () => {
  const l = computeLayout({ cols: 240, rows: 50, preview: true });
  assert.equal(l.statusMode, 'side');
  assert.ok(l.preview && l.preview.col >= l.status.col, 'preview in the side column');
  check(l);
});

test('hiding the preview never shrinks the remote pane', () => {
  for (const [cols, rows] of [[80, 24], [120, 40], [40, 12], [200, 50]] as const) {
    const on = computeLayout({ cols, rows, preview: true });
    const off = computeLayout({ cols, rows, preview: false });
    assert.ok(off.remote.cols * off.remote.rows >= on.remote.cols * on.remote.rows, `${cols}x${rows}`);
  }
});

test('fitRect centres and never leaves the area', () => {
  const r = fitRect({ col: 10, row: 5, cols: 100, rows: 10 }, 4 / 3, 0.5);
  assert.deepEqual(r, { col: 10 + ((100 - 27) >> 1), row: 5, cols: 27, rows: 10 });
  assert.deepEqual(fitRect({ col: 0, row: 0, cols: 0, rows: 5 }, 1, 0.5).cols, 0);
});

