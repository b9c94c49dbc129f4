// Sparklines: exactly as wide as asked, always spanning the last minute (newest on the right), scaled to the largest
// sample, unknowns blank.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sparkline } from '../../../src/tui/sparkline.js';

test('sparkline width, scale and unknown samples', () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 60), ' '.repeat(52) + '▁▂▃▄▅▆▇█', 'one cell a second at width 60');
  assert.equal(sparkline([1, 1], 5), '    █', 'few samples: right-aligned, 12 s a cell');
  assert.equal(sparkline([Number.NaN, 4], 60).trimStart(), ' █'.trimStart());
  assert.equal(sparkline([Number.NaN, 4], 60).at(-2), ' ', 'an unknown sample is blank');
  assert.equal(sparkline([0, 0, 0], 60).trimStart(), '▁▁▁', 'all zero: the floor');
  assert.equal(sparkline([50], 1, 100), '▅');
  const minute = Array.from({ length: 60 }, (_, i) => i);
  const s = sparkline(minute, 20);
  assert.equal([...s].length, 20);
  assert.equal(s.at(-1), '█', 'the newest bucket is on the right');
  assert.equal(sparkline(minute, 0), '');
});
