// Congestion control steps quality then fps down under queueing, and back up after; clock offset estimation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CongestionControl } from '../../../src/call/congestion.js';
import { PingClock } from '../../../src/call/clock.js';
import { CONGESTION_WINDOW_MS, MIN_JPEG_QUALITY, MIN_SEND_FPS } from '../../../src/shared/limits.js';

/** Run one window of acks with this delay. */
function windowOf(cc: CongestionControl, now: number, delay: number): number {
  for (let i = 0; i < 10; i++) cc.onAck(delay);
  cc.tick(now + CONGESTION_WINDOW_MS);
  return now + CONGESTION_WINDOW_MS;
}

test('sustained queueing lowers quality to its floor, then fps to its floor; a clear link restores both', () => {
  let now = 0;
  const cc = new CongestionControl(60, 30, now);
  for (let i = 0; i < 3; i++) now = windowOf(cc, now, 5); // base delay 5 ms
  assert.deepEqual([cc.quality, cc.fps], [60, 30]);
  now = windowOf(cc, now, 400);
  assert.equal(cc.quality, 50);
  for (let i = 0; i < 20; i++) now = windowOf(cc, now, 400);
  assert.equal(cc.quality, MIN_JPEG_QUALITY);
  assert.equal(cc.fps, MIN_SEND_FPS);
  for (let i = 0; i < 60; i++) now = windowOf(cc, now, 6);
  assert.deepEqual([cc.quality, cc.fps], [60, 30]);
});

test('a long but steady path is not congestion (delay relative to the lowest seen)', () => {
  let now = 0;
  const cc = new CongestionControl(60, 30, now);
  for (let i = 0; i < 10; i++) now = windowOf(cc, now, 250);
  assert.deepEqual([cc.quality, cc.fps], [60, 30]);
});

test('a window with frames in flight and no ack counts as congested; an idle one does not', () => {
  const cc = new CongestionControl(60, 30, 0);
  assert.equal(cc.tick(CONGESTION_WINDOW_MS), 'idle');
  cc.markStalled();
  assert.equal(cc.tick(2 * CONGESTION_WINDOW_MS), 'congested');
  assert.equal(cc.quality, 50);
});

test('clock: RTT and offset from pongs; the lowest-RTT sample wins', () => {
  const c = new PingClock();
  assert.equal(c.offsetMs, 0);
  const p = c.nextPing(1000);
  // Peer clock is 500 ms ahead; 10 ms each way.
  c.onPong(p.ts, 1000 + 10 + 500, 1020);
  assert.equal(c.rttMs, 20);
  assert.equal(c.offsetMs, 500);
  // A queued sample (asymmetric, large RTT) does not disturb the estimate.
  c.onPong(2000, 2000 + 10 + 500, 2300);
  assert.equal(c.offsetMs, 500);
  c.onPong(3000, 0, 2000); // negative RTT is ignored
  assert.equal(c.rttMs, 300);
});
