// Render pacing: frame-rate cap, output-rate cap and slow-terminal backoff, on a fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PaintPacer } from '../../../src/terminal/pacer.js';
import { TUI_OUTPUT_BURST_MS } from '../../../src/shared/limits.js';

test('no caps: paint at once', () => {
  const p = new PaintPacer();
  assert.equal(p.delayMs(1000), 0);
  p.record(1000, 50_000, 0);
  assert.equal(p.delayMs(1000), 0);
});

test('--max-fps spaces paints by 1000/fps ms', () => {
  const p = new PaintPacer({ maxFps: 10 });
  p.record(1000, 100, 0);
  assert.equal(p.delayMs(1000), 100);
  assert.equal(p.delayMs(1060), 40);
  assert.equal(p.delayMs(1100), 0);
});

test('--max-output-kbps: a burst is allowed, then the debt is waited out', () => {
  const p = new PaintPacer({ maxKbps: 800 }); // 100 bytes per ms
  const burst = 100 * TUI_OUTPUT_BURST_MS;
  assert.equal(p.delayMs(10_000), 0);
  p.record(10_000, burst + 5_000, 0);
  assert.equal(p.delayMs(10_000), 50, '5000 bytes of debt at 100 B/ms');
  assert.equal(p.delayMs(10_050), 0);
});

test('a write that blocked (slow terminal, ssh) delays the next paint at least as long', () => {
  const p = new PaintPacer({ maxFps: 1000 });
  p.record(0, 100_000, 80);
  assert.ok(p.delayMs(10) >= 70);
  p.record(200, 100, 0.5);
  assert.equal(p.delayMs(202), 0);
});
