import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawTestPattern } from '../../../src/media/test-pattern.js';

// Sum of absolute differences between two frames.
const diff = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0);

test('the pattern fills a BGR buffer of the asked size at any size', () => {
  for (const [w, h] of [[640, 480], [160, 90], [7, 5], [1, 1]] as const) {
    const px = drawTestPattern(w, h, Date.UTC(2026, 0, 1, 12, 34, 56, 789));
    assert.equal(px.length, w * h * 3);
  }
});

test('the pattern moves and its clock changes with time', () => {
  const t = Date.UTC(2026, 0, 1, 12, 0, 0, 0);
  const a = drawTestPattern(320, 240, t);
  const same = drawTestPattern(320, 240, t);
  const ms = drawTestPattern(320, 240, t + 1);
  const later = drawTestPattern(320, 240, t + 500);
  assert.equal(diff(a, same), 0, 'deterministic for a given time');
  assert.ok(diff(a, ms) > 0, 'the millisecond digits change');
  assert.ok(diff(a, later) > diff(a, ms), 'the ball has moved');
});

test('drawing into a given buffer reuses it', () => {
  const buf = new Uint8Array(64 * 48 * 3);
  assert.equal(drawTestPattern(64, 48, 0, buf), buf);
});
