// Stats: per-interval rates, totals, the one-line format and the JSON line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DirectionCounters, formatStatsLine, quantile, statsToJson, type SessionStats } from '../../../src/call/stats.js';

/** A stats object with these direction numbers. */
function sample(): SessionStats {
  const c = new DirectionCounters();
  for (let i = 0; i < 30; i++) { c.addFrame(5000, 60, 320, 240); c.addLatency(10 + i); }
  c.skippedBySender = 3;
  const d = c.snapshot(1000);
  return { ts: 1, peer: 'bob', rttMs: 1.25, clockOffsetMs: 0, tx: { ...d, targetFps: 30, inFlight: 1 }, rx: new DirectionCounters().snapshot(1000) };
}

test('counters give fps, kbit/s, latency quantiles and reset per interval', () => {
  const s = sample();
  assert.equal(s.tx.fps, 30);
  assert.equal(s.tx.kbps, 1200);
  assert.equal(s.tx.bytesPerFrame, 5000);
  assert.equal(s.tx.latencyMs, 24);
  assert.equal(s.tx.latencyP95Ms, 38);
  assert.equal(s.tx.skippedBySender, 3);
  assert.ok(Number.isNaN(s.rx.latencyMs));
  assert.ok(Number.isNaN(quantile([], 0.5)));
});

test('formatStatsLine is one line with both directions', () => {
  const line = formatStatsLine(sample());
  assert.ok(!line.includes('\n'));
  assert.match(line, /^tx 30\.0fps 1200kbit\/s 320x240 q60 lat 24\/38ms skip 3\/0 .*\| rx .*lat -\/-ms.*\| rtt 1\.3ms$/);
});

test('decode errors are counted in rx, named in the line and in the JSON line', () => {
  const c = new DirectionCounters();
  c.decodeErrors = 2;
  const base = sample();
  const s: SessionStats = { ...base, rx: c.snapshot(1000) };
  assert.equal(s.rx.decodeErrors, 2);
  assert.match(formatStatsLine(s), / \| 2 undecodable$/);
  assert.doesNotMatch(formatStatsLine(base), /undecodable/);
  assert.equal((JSON.parse(statsToJson(s)) as SessionStats).rx.decodeErrors, 2);
});
