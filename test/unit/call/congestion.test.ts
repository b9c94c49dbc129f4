// Congestion control steps quality to a floor, then size, then quality and fps down under queueing, and back up
// in reverse after; clock offset estimation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CongestionControl, minSendScale, scaledBox } from '../../../src/call/congestion.js';
import { PingClock } from '../../../src/call/clock.js';
import { framesInFlightAllowed } from '../../../src/call/video-sender.js';
import {
  CONGESTION_WINDOW_MS, FLOOR_JPEG_QUALITY, MAX_FRAMES_IN_FLIGHT, MAX_FRAMES_IN_FLIGHT_LONG_PATH, MIN_JPEG_QUALITY, MIN_SEND_FPS, MIN_SEND_SCALE, MIN_SEND_SIDE_PX,
} from '../../../src/shared/limits.js';

/** Run one window of acks with this delay (and this one-way delay, when given). */
function windowOf(cc: CongestionControl, now: number, delay: number, forward?: number): number {
  for (let i = 0; i < 10; i++) cc.onAck(delay, forward);
  cc.tick(now + CONGESTION_WINDOW_MS);
  return now + CONGESTION_WINDOW_MS;
}

/** The controller's decision as (scale, quality, fps). */
function decision(cc: CongestionControl): [number, number, number] {
  return [cc.scale, cc.quality, cc.fps];
}

/** Three clear windows at 5 ms (the base delay) for a controller made at time 0; returns the time after them. */
function settle(cc: CongestionControl): number {
  let now = 0;
  for (let i = 0; i < 3; i++) now = windowOf(cc, now, 5);
  return now;
}

test('congested windows: quality to the floor, then the frame shrinks, only then quality below the floor, then fps', () => {
  const cc = new CongestionControl(60, 30, 0);
  let now = settle(cc);
  const seen: [number, number, number][] = [decision(cc)];
  for (let i = 0; i < 10; i++) {
    now = windowOf(cc, now, 400);
    seen.push(decision(cc));
  }
  assert.equal(FLOOR_JPEG_QUALITY, 45);
  assert.deepEqual(seen, [
    [1, 60, 30],
    [1, 50, 30],
    [1, 45, 30], // the floor
    [0.75, 45, 30],
    [0.5, 45, 30], // MIN_SEND_SCALE
    [0.5, 35, 30],
    [0.5, 25, 30], // MIN_JPEG_QUALITY
    [0.5, 25, 22],
    [0.5, 25, 16],
    [0.5, 25, 12],
    [0.5, 25, 9],
  ]);
  // While the frame can still shrink, quality never goes below the floor.
  for (const [scale, quality] of seen) if (scale > MIN_SEND_SCALE) assert.ok(quality >= FLOOR_JPEG_QUALITY);
});

test('a clear link climbs back in reverse: fps, quality to the floor, size, then quality above the floor', () => {
  const cc = new CongestionControl(60, 30, 0);
  let now = settle(cc);
  for (let i = 0; i < 20; i++) now = windowOf(cc, now, 400);
  assert.deepEqual(decision(cc), [MIN_SEND_SCALE, MIN_JPEG_QUALITY, MIN_SEND_FPS]);
  const seen: [number, number, number][] = [];
  for (let i = 0; i < 40; i++) {
    now = windowOf(cc, now, 6);
    const d = decision(cc);
    const last = seen[seen.length - 1];
    if (!last || last.join() !== d.join()) seen.push(d);
  }
  assert.deepEqual(seen, [
    [0.5, 25, 4], [0.5, 25, 5], [0.5, 25, 7], [0.5, 25, 9], [0.5, 25, 12], [0.5, 25, 15], [0.5, 25, 19], [0.5, 25, 24],
    [0.5, 25, 30],
    [0.5, 30, 30], [0.5, 35, 30], [0.5, 40, 30], [0.5, 45, 30], // back to the floor
    [0.75, 45, 30], [1, 45, 30], // full size before any quality above the floor
    [1, 50, 30], [1, 55, 30], [1, 60, 30],
  ]);
});

test('between congested and clear (hold) nothing moves; a congested window in the climb steps back down once', () => {
  const cc = new CongestionControl(60, 30, 0);
  let now = settle(cc);
  for (let i = 0; i < 3; i++) now = windowOf(cc, now, 400);
  assert.deepEqual(decision(cc), [0.75, 45, 30]);
  for (let i = 0; i < 10; i++) now = windowOf(cc, now, 5 + 90); // 90 ms of queueing: hold
  assert.deepEqual(decision(cc), [0.75, 45, 30]);
  for (let i = 0; i < 3; i++) now = windowOf(cc, now, 6);
  assert.deepEqual(decision(cc), [1, 45, 30]);
  now = windowOf(cc, now, 400);
  assert.deepEqual(decision(cc), [0.75, 45, 30]);
});

test('a call that starts below the floor keeps its quality and shrinks first', () => {
  const cc = new CongestionControl(30, 30, 0);
  let now = settle(cc);
  assert.equal(cc.floorQuality, 30);
  now = windowOf(cc, now, 400);
  assert.deepEqual(decision(cc), [0.75, 30, 30]);
  now = windowOf(cc, now, 400);
  windowOf(cc, now, 400);
  assert.deepEqual(decision(cc), [0.5, 25, 30]);
});

test('small panes shrink less: minSendScale keeps the box at MIN_SEND_SIDE_PX on its shorter side', () => {
  assert.equal(minSendScale(320, 240), MIN_SEND_SCALE);
  assert.equal(minSendScale(160, 96), 1);
  assert.equal(minSendScale(0, 0), 1);
  assert.equal(minSendScale(400, 160), MIN_SEND_SIDE_PX / 160);
  assert.deepEqual(scaledBox(320, 240, 0.75), { maxWidth: 240, maxHeight: 180 });
  assert.deepEqual(scaledBox(3, 1, 0.5), { maxWidth: 2, maxHeight: 1 });
  const cc = new CongestionControl(60, 30, 0);
  let now = settle(cc);
  cc.setMinScale(minSendScale(400, 160)); // 0.6
  for (let i = 0; i < 4; i++) now = windowOf(cc, now, 400);
  assert.deepEqual(decision(cc), [0.6, 45, 30]);
  now = windowOf(cc, now, 400);
  assert.deepEqual(decision(cc), [0.6, 35, 30]);
  // Climbing back lands on the ladder again (0.75, then 1).
  for (let i = 0; i < 5; i++) now = windowOf(cc, now, 6);
  assert.deepEqual(decision(cc), [0.75, 45, 30]);
  // A pane too small to shrink lifts the scale at once.
  cc.setMinScale(minSendScale(160, 96));
  assert.equal(cc.scale, 1);
});

test('acks queued on the way back (the peer\'s uplink is full) are not congestion; a slow forward trip is', () => {
  const cc = new CongestionControl(60, 30, 0);
  let now = settle(cc);
  for (let i = 0; i < 3; i++) now = windowOf(cc, now, 10, 5);
  // The ack takes 400 ms more, the frame itself arrives as fast as ever: nothing moves.
  for (let i = 0; i < 10; i++) now = windowOf(cc, now, 410, 5);
  assert.deepEqual(decision(cc), [1, 60, 30]);
  // The frames themselves now queue: the forward trip grows with the ack delay.
  now = windowOf(cc, now, 410, 305);
  assert.deepEqual(decision(cc), [1, 50, 30]);
  // A one-way time that looks clear (the peer's clock offset estimate jumped) does not make a held link clear.
  for (let i = 0; i < 5; i++) now = windowOf(cc, now, 100, -900);
  assert.deepEqual(decision(cc), [1, 50, 30]);
  // Its level does not matter, only its changes: after the jump, a clear ack delay steps up as usual.
  for (let i = 0; i < 3; i++) now = windowOf(cc, now, 10, -900);
  assert.deepEqual(decision(cc), [1, 55, 30]);
  // Dropped frames carry no one-way time (NaN): the ack delay alone decides.
  now = windowOf(cc, now, 410, Number.NaN);
  assert.deepEqual(decision(cc), [1, 45, 30]);
});

test('a forward queue counts even when the ack delay under-reads it (its lowest was never seen uncongested)', () => {
  const cc = new CongestionControl(60, 30, 0);
  let now = settle(cc);
  for (let i = 0; i < 3; i++) now = windowOf(cc, now, 10, 5);
  // 90 ms more on the ack (the hold band on its own) but 300 ms more on the way there: congested.
  now = windowOf(cc, now, 100, 305);
  assert.deepEqual(decision(cc), [1, 50, 30]);
  // A forward queue with an ack delay that shows no queueing at all (under CLEAR_ACK_DELAY_MS) is the clock, not the link.
  now = windowOf(cc, now, 40, 305);
  assert.deepEqual(decision(cc), [1, 50, 30]);
});

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

test('clock: under load (every RTT queued) the best sample of the last minute holds, the offset does not jump', () => {
  const c = new PingClock();
  c.onPong(0, 10 + 500, 20); // one clean sample: 20 ms RTT, offset 500
  // A minute of queued, asymmetric samples: offsets off by up to ±150 ms.
  for (let i = 1; i < 60; i++) {
    const t = i * 1000;
    const there = i % 2 ? 300 : 10, back = i % 2 ? 10 : 300;
    c.onPong(t, t + there + 500, t + there + back);
    assert.equal(c.offsetMs, 500, `after ${i} queued samples`);
  }
  // Past its memory the clean sample is forgotten; the best of the queued ones is used.
  for (let i = 60; i < 70; i++) c.onPong(i * 1000, i * 1000 + 300 + 500, i * 1000 + 310);
  assert.notEqual(c.offsetMs, 500);
});

test('the frame window holds the round trip: 2 on a short path, 2 + the frames a 100 ms ack delay holds, at most 8', () => {
  assert.equal(framesInFlightAllowed(Number.NaN, 30), MAX_FRAMES_IN_FLIGHT, 'before any ack');
  assert.equal(framesInFlightAllowed(8, 30), MAX_FRAMES_IN_FLIGHT, 'loopback');
  assert.equal(framesInFlightAllowed(100, 30), MAX_FRAMES_IN_FLIGHT + 3);
  assert.equal(framesInFlightAllowed(100, 10), MAX_FRAMES_IN_FLIGHT + 1, 'fewer at a lower frame rate');
  assert.equal(framesInFlightAllowed(2_000, 30), MAX_FRAMES_IN_FLIGHT_LONG_PATH);
  const cc = new CongestionControl(60, 30, 0);
  assert.ok(Number.isNaN(cc.baseDelayMs()));
  let now = 0;
  for (const d of [120, 104, 130]) {
    cc.onAck(d);
    now += CONGESTION_WINDOW_MS;
    cc.tick(now);
  }
  assert.equal(cc.baseDelayMs(), 104, 'the lowest per-window minimum');
});
