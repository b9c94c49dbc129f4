// λ steering of the truecolor cell renderers (rd-steer.ts), on frames of synthetic repaints: a frame whose first
// painting wishes about its budget is painted once, one that wishes far more is painted again within its budget, and
// over frames the bytes meet the budget with a bounded carry.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RepaintLedger } from '../../../src/render/rd-cost.js';
import { RdSteer, type Painting } from '../../../src/render/rd-steer.js';

/** A frame: the bytes of its must repaints, and its optional repaints as (error removed, bytes). */
interface Frame {
  must: number;
  repaints: [number, number][];
}

// A frame of n optional repaints of 8..40 bytes whose error removed per byte spreads over two decades around `slope`.
function frame(n: number, slope: number, seed: number, must = 0): Frame {
  let x = seed;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const repaints: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const bytes = 8 + Math.floor(rnd() * 33);
    repaints.push([bytes * slope * Math.pow(10, 2 * rnd() - 1), bytes]);
  }
  return { must, repaints };
}

// Steer one frame: what was kept, the bytes it bought and the paintings it took.
function steerFrame(st: RdSteer, f: Frame, budget: number): { kept: Painting; spent: number; paintings: number } {
  const led = new RepaintLedger();
  const before = st.paintings;
  const kept = st.run(budget, (lam, allowance) => {
    led.start(f.repaints.length, allowance);
    for (const [removed, bytes] of f.repaints) if (removed / bytes > lam) led.wish(removed, bytes);
    return { mustBytes: f.must, wanted: led.wanted };
  }, led);
  return { kept, spent: led.spent, paintings: st.paintings - before };
}

test('a frame whose first painting wishes about its budget is painted once, and the difference is carried', () => {
  const f = frame(2000, 100, 7);
  // the budget the first painting at λ 100 wishes, and a bit more and less
  const led = new RepaintLedger();
  led.start(f.repaints.length, Infinity);
  for (const [removed, bytes] of f.repaints) if (removed / bytes > 100) led.wish(removed, bytes);
  for (const share of [0.8, 1, 1.2]) {
    const s = new RdSteer(100, 1);
    const r = steerFrame(s, f, led.wanted / share);
    assert.equal(r.paintings, 1, `wished ${share} of the budget`);
    assert.ok(Math.abs(s.carry - (led.wanted / share - r.spent)) < 1e-6);
  }
});

test('a frame that wishes far more than its budget is painted again within it; one that wishes far less, at a lower λ', () => {
  const f = frame(2000, 100, 11);
  const over = new RdSteer(10, 1);
  const r = steerFrame(over, f, 5000);
  assert.ok(r.paintings >= 2);
  assert.ok(r.spent <= 5000, `spent ${r.spent}`);
  assert.ok(over.lambda > 10);
  const under = new RdSteer(1000, 1);
  const u = steerFrame(under, f, 20000);
  assert.ok(u.paintings >= 2);
  assert.ok(under.kept < 1000);
});

test('over frames whose pictures change, the bytes meet the budget, the carry stays bounded and most frames are painted once', () => {
  const st = new RdSteer(100, 1);
  const budget = 8000;
  let spent = 0, paintings = 0;
  const n = 200;
  for (let i = 0; i < n; i++) {
    // the picture's activity drifts and jumps (a scene change every 50 frames), with must repaints now and then
    const slope = 60 * (1 + 0.5 * Math.sin(i / 9)) * (i % 50 < 3 ? 4 : 1);
    const r = steerFrame(st, frame(1500, slope, 100 + i, i % 17 === 0 ? 3000 : 0), budget);
    spent += r.spent + r.kept.mustBytes;
    paintings += r.paintings;
    assert.ok(Math.abs(st.carry) <= budget / 2 + 1e-6, `carry ${st.carry} at frame ${i}`);
  }
  const mean = spent / n;
  assert.ok(mean <= budget * 1.05 && mean >= budget * 0.9, `mean ${mean.toFixed(0)} B a frame against ${budget}`);
  assert.ok(paintings / n < 1.4, `${(paintings / n).toFixed(2)} paintings a frame`);
});
