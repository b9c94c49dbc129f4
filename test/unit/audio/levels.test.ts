import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LevelMeter, meterBar, rmsDbfs } from '../../../src/audio/levels.js';

test('rmsDbfs: full-scale square is 0 dBFS, half is -6, silence -Infinity', () => {
  assert.ok(Math.abs(rmsDbfs(Int16Array.from({ length: 100 }, (_, i) => (i % 2 ? 32767 : -32768)))) < 0.01);
  assert.equal(Math.round(rmsDbfs(new Int16Array(100).fill(16384))), -6);
  assert.equal(rmsDbfs(new Int16Array(100)), -Infinity);
});

test('the meter rises at once and falls slowly; the bar has the given width', () => {
  const m = new LevelMeter();
  m.push(new Int16Array(100).fill(16384));
  assert.equal(Math.round(m.db), -6);
  m.push(new Int16Array(100));
  assert.equal(Math.round(m.db * 10) / 10, -7.5);
  assert.equal(meterBar(-30, 10), '█████░░░░░');
  assert.equal(meterBar(-Infinity, 4), '░░░░');
});
