// The soak report's arithmetic: the least-squares slope and the first/last windows after the warm-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { growthOf, slope } from '../../../src/bench/soak-report.js';

test('slope: exact for a line, 0 for too few points or a flat series', () => {
  assert.equal(slope([[0, 1], [1, 3], [2, 5]]), 2);
  assert.equal(slope([[5, 7]]), 0);
  assert.equal(slope([[1, 4], [1, 9]]), 0);
  assert.equal(slope([[0, 3], [1, 3], [2, 3]]), 0);
});

test('growthOf: warm-up samples are left out; first and last windows give medians; slope per minute', () => {
  // One sample every 10 s for 10 minutes; RSS 100 MB during the warm-up spike, then growing 1 MB a minute.
  const start = 1_000;
  const samples = Array.from({ length: 61 }, (_v, i) => {
    const t = i * 10_000;
    return { at: start + t, rssBytes: t < 60_000 ? 100e6 : 50e6 + (t / 60_000) * 1e6, fds: t < 60_000 ? 40 : 20 };
  });
  const g = growthOf(samples, (s) => s.rssBytes, start, 60_000, 60_000, 600_000);
  assert.ok(Math.abs(g.first - (50e6 + (8.5 / 6) * 1e6)) < 1, `median of the samples at 60..110 s: ${g.first}`);
  assert.ok(Math.abs(g.last - (50e6 + 9.5e6)) < 1, `median of the samples at 540..600 s: ${g.last}`);
  assert.ok(Math.abs(g.growth - (g.last - g.first)) < 0.02);
  assert.ok(Math.abs(g.slopePerMin - 1e6) < 1, String(g.slopePerMin));
  const f = growthOf(samples, (s) => s.fds, start, 60_000, 60_000, 600_000);
  assert.deepEqual(f, { first: 20, last: 20, growth: 0, firstMin: 20, lastMin: 20, slopePerMin: 0 });
  assert.equal(g.firstMin, 50e6 + 1e6, 'the lowest sample of the first window');
});
