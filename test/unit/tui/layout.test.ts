// The call-screen layout: everything inside the terminal, text areas never overlapping the video, the preview a
// picture-in-picture inside the video area, aspect kept, the four sizes the issue names, full-window video.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeLayout, CORNERS, fitRect, overlaps, type Layout } from '../../../src/tui/layout.js';
import type { CellRect } from '../../../src/render/types.js';

// Is a inside b?
function inside(a: CellRect, b: CellRect): boolean {
  return a.col >= b.col && a.row >= b.row && a.col + a.cols <= b.col + b.cols && a.row + a.rows <= b.row + b.rows;
}

// Check the invariants of a layout.
function check(l: Layout, what: string): void {
  const screen = { col: 0, row: 0, cols: l.cols, rows: l.rows };
  const body = { col: 0, row: 0, cols: l.cols, rows: l.rows - 1 };
  if (l.help) assert.deepEqual(l.help, { col: 0, row: l.rows - 1, cols: l.cols, rows: 1 }, `help on the last row: ${what}`);
  assert.ok(inside(l.remoteArea, body), `video area off the last row: ${what}`);
  assert.ok(inside(l.remote, l.remoteArea), `remote inside its area: ${what}`);
  assert.ok(inside(l.strip, screen), `strip inside: ${what}`);
  // text widgets never share a cell with the video area or each other
  const text = [l.status, l.chat, l.strip, l.help].filter((r): r is CellRect => r !== null && r.rows > 0);
  for (const t of text) {
    assert.ok(inside(t, screen), `${JSON.stringify(t)} inside: ${what}`);
    assert.ok(!overlaps(t, l.remoteArea), `${JSON.stringify(t)} apart from the video: ${what}`);
    for (const u of text) if (u !== t) assert.ok(!overlaps(t, u), `${JSON.stringify(t)} / ${JSON.stringify(u)}: ${what}`);
  }
  if (l.preview) assert.ok(inside(l.preview, l.remoteArea), `preview over the video area: ${what}`);
}

test('layouts for many terminal sizes, corners, chat and full mode keep every invariant', () => {
  for (const cols of [20, 40, 60, 80, 100, 120, 160, 200, 300]) {
    for (const rows of [5, 12, 24, 40, 60]) {
      for (const preview of [true, false]) {
        for (const remoteAspect of [4 / 3, 16 / 9, 3 / 4]) {
          for (const corner of CORNERS) {
            for (const chat of [true, false]) {
              for (const full of [false, true]) {
                const what = JSON.stringify({ cols, rows, preview, remoteAspect, corner, chat, full });
                check(computeLayout({ cols, rows, preview, remoteAspect, corner, chat, full }), what);
              }
            }
          }
        }
      }
    }
  }
});

test('the remote pane keeps the picture aspect (1:2 cells: cols = 2·aspect·rows)', () => {
  const l = computeLayout({ cols: 200, rows: 60, preview: false, remoteAspect: 4 / 3 });
  assert.ok(Math.abs(l.remote.cols - (2 * 4 / 3) * l.remote.rows) <= 1, JSON.stringify(l.remote));
});

test('80x24: status below, chat beside the video, preview in the bottom-right corner', () => {
  const l = computeLayout({ cols: 80, rows: 24, preview: true });
  assert.equal(l.mode, 'bottom');
  assert.ok(l.chat && l.chat.cols >= 20, 'chat pane beside the video');
  assert.ok(l.remote.rows >= 18, JSON.stringify(l.remote));
  assert.ok(l.preview && l.preview.col + l.preview.cols === l.remoteArea.col + l.remoteArea.cols);
});

test('120x40 and 200x60: status panel (with graphs) and chat pane beside the video', () => {
  for (const [cols, rows] of [[120, 40], [200, 60]] as const) {
    const l = computeLayout({ cols, rows, preview: true });
    assert.equal(l.mode, 'side', `${cols}x${rows}`);
    assert.ok(l.status && l.status.rows >= 19 && l.chat && l.chat.rows >= 4, JSON.stringify(l));
  }
  assert.ok(computeLayout({ cols: 200, rows: 60, preview: true }).remote.rows >= 55, 'the video takes the height');
});

test('40x12: a usable remote pane, the status and the help line; no room for a chat pane', () => {
  const l = computeLayout({ cols: 40, rows: 12, preview: true });
  assert.ok(l.remote.cols >= 20 && l.remote.rows >= 8, JSON.stringify(l.remote));
  assert.equal(l.status?.rows, 2);
  assert.equal(l.chat, null);
});

test('full-window video: nothing but the video and the strip row', () => {
  const l = computeLayout({ cols: 120, rows: 40, preview: true, full: true });
  assert.equal(l.mode, 'full');
  assert.equal(l.status, null);
  assert.equal(l.chat, null);
  assert.equal(l.help, null);
  assert.equal(l.preview, null);
  assert.deepEqual(l.remoteArea, { col: 0, row: 0, cols: 120, rows: 39 });
});

test('P cycles the preview through the four corners of the video area', () => {
  const seen = new Set<string>();
  for (const corner of CORNERS) {
    const l = computeLayout({ cols: 120, rows: 40, preview: true, corner });
    assert.ok(l.preview);
    seen.add(`${l.preview.col},${l.preview.row}`);
  }
  assert.equal(seen.size, 4);
});

test('hiding the chat pane never shrinks the remote pane', () => {
  for (const [cols, rows] of [[80, 24], [120, 40], [40, 12], [200, 60]] as const) {
    const on = computeLayout({ cols, rows, preview: true, chat: true });
    const off = computeLayout({ cols, rows, preview: true, chat: false });
    assert.ok(off.remote.cols * off.remote.rows >= on.remote.cols * on.remote.rows, `${cols}x${rows}`);
  }
});

test('fitRect centres and never leaves the area', () => {
  const r = fitRect({ col: 10, row: 5, cols: 100, rows: 10 }, 4 / 3, 0.5);
  assert.deepEqual(r, { col: 10 + ((100 - 27) >> 1), row: 5, cols: 27, rows: 10 });
  assert.deepEqual(fitRect({ col: 0, row: 0, cols: 0, rows: 5 }, 1, 0.5).cols, 0);
});
