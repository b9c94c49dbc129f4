// ArrivalRate: the measured rate of a live stream that states none (pure; timestamps are given).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalRate } from '../../../src/media/arrival-rate.js';

// Feeds n arrivals every gapMs from t0; returns the time after the last.
function feed(r: ArrivalRate, t0: number, n: number, gapMs: number): number {
  for (let i = 0; i < n; i++) r.add(t0 + i * gapMs);
  return t0 + n * gapMs;
}

test('no rate from too few frames or too short a span', () => {
  const r = new ArrivalRate();
  assert.equal(r.fps(), null);
  feed(r, 0, 4, 33);
  assert.equal(r.fps(), null, 'three gaps are too few');
  const b = new ArrivalRate();
  feed(b, 0, 10, 1);
  assert.equal(b.fps(), null, 'ten frames in 9 ms say nothing yet');
});

test('steady streams: 30, 12 and 60 fps measure as such', () => {
  for (const fps of [30, 12, 60]) {
    const r = new ArrivalRate();
    feed(r, 1000, fps * 3, 1000 / fps);
    assert.ok(Math.abs(r.fps()! - fps) < 0.01, `${fps}: ${r.fps()}`);
  }
});

test('the window follows a change of rate, and the startup burst is forgotten', () => {
  const r = new ArrivalRate();
  // FFmpeg hands out the frames it buffered while probing at once, then the stream's own pace.
  let t = feed(r, 0, 5, 0.5);
  t = feed(r, t, 90, 1000 / 30);
  assert.ok(Math.abs(r.fps()! - 30) < 0.5, `30 fps after the burst: ${r.fps()}`);
  feed(r, t, 30, 100);
  assert.ok(Math.abs(r.fps()! - 10) < 0.5, `10 fps once the window holds only the slow part: ${r.fps()}`);
});
