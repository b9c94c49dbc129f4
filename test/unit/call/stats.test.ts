// Stats: per-interval rates, totals, one-line format, JSON lines file.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DirectionCounters, formatStatsLine, quantile, writeStatsFile, type SessionStats } from '../../../src/call/stats.js';

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

test('writeStatsFile appends one JSON object per stats event (NaN as null) and closes with the session', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'termcall-stats-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'stats.jsonl');
  const em = new EventEmitter();
  const w = writeStatsFile(em as never, file);
  em.emit('stats', sample());
  em.emit('stats', sample());
  em.emit('close');
  await w.close();
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(lines.length, 2);
  const o = JSON.parse(lines[0] ?? '') as SessionStats;
  assert.equal(o.peer, 'bob');
  assert.equal(o.rx.latencyMs, null);
});
