import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterBuffer, type JitterOut } from '../../../src/audio/jitter-buffer.js';
import { JITTER_MAX_DELAY_MS, JITTER_MIN_DELAY_MS } from '../../../src/shared/limits.js';

const pkt = (seq: number) => ({ seq, captureTs: seq * 20, opus: Uint8Array.of(seq & 0xff) });

/**
 * Simulate: packet i is sent at i*20*senderRate ms and arrives after delay(i); the buffer is pulled every 20 ms.
 * Returns what was played, the depth after each tick, and the buffer.
 */
function run(n: number, delay: (i: number) => number, senderRate = 1): { out: JitterOut[]; depth: number[]; jb: JitterBuffer } {
  const jb = new JitterBuffer();
  const arrivals = Array.from({ length: n }, (_, i) => ({ i, at: i * 20 * senderRate + delay(i) })).sort((a, b) => a.at - b.at);
  const out: JitterOut[] = [];
  const depth: number[] = [];
  let k = 0;
  const end = n * 20 * senderRate + 400;
  for (let t = 0; t < end; t += 20) {
    for (let a = arrivals[k]; a && a.at <= t; a = arrivals[++k]) jb.push(pkt(a.i), a.at);
    out.push(jb.pull());
    depth.push(jb.depthMs);
  }
  return { out, depth, jb };
}

test('a steady stream plays every packet in order, at the minimum delay', () => {
  const { out, jb } = run(200, () => 5);
  const seqs = out.filter((o) => o.kind === 'packet').map((o) => (o.kind === 'packet' ? o.packet.seq : -1));
  assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => i));
  const lastPacket = out.findLastIndex((o) => o.kind === 'packet');
  assert.equal(out.slice(0, lastPacket).filter((o) => o.kind === 'conceal').length, 0, 'nothing concealed mid-stream');
  assert.equal(jb.target, JITTER_MIN_DELAY_MS);
});

test('jitter raises the target delay; late packets are concealed, not stalled on', () => {
  // Every 10th packet 90 ms late.
  const { jb } = run(500, (i) => (i % 10 === 0 ? 90 : 0));
  assert.ok(jb.target >= 100 && jb.target <= JITTER_MAX_DELAY_MS, `target ${jb.target}`);
  // After the target grew, late packets stop: most of the stream plays.
  assert.ok(jb.counters.played > 480, `played ${jb.counters.played}`);
});

test('after a spike the delay shrinks back to the target (frames dropped, not kept as delay)', () => {
  // A 300 ms stall at packet 100 (everything from 100 to 115 arrives in a burst), then steady.
  const { depth, jb } = run(1000, (i) => (i >= 100 && i < 115 ? (115 - i) * 20 : 0));
  assert.ok(jb.counters.dropped > 0, 'frames were dropped to shrink back');
  const tail = depth.slice(-300, -30);
  assert.ok(Math.max(...tail) <= jb.target + 40, `depth at the end ${Math.max(...tail)} ms, target ${jb.target}`);
});

test('clock drift: a sender 0.5% fast does not make the delay grow', () => {
  // 10 minutes of audio.
  const { depth, jb } = run(30_000, () => 0, 0.995);
  const tail = depth.slice(-1000, -30);
  assert.ok(Math.max(...tail) <= jb.target + 40, `depth at the end ${Math.max(...tail)} ms`);
  assert.ok(jb.counters.dropped >= 100, `dropped ${jb.counters.dropped} frames for drift`);
});

test('a sender 0.5% slow: underruns are concealed and the stream goes on', () => {
  const { jb } = run(5_000, () => 0, 1.005);
  assert.ok(jb.counters.played >= 4990, `played ${jb.counters.played}`);
  assert.ok(jb.counters.concealed > 0 && jb.counters.concealed < 200, `concealed ${jb.counters.concealed}`);
});

test('a lost packet is concealed once and play-out moves on', () => {
  const jb = new JitterBuffer();
  for (const s of [0, 1, 2, 4, 5, 6]) jb.push(pkt(s), s * 20);
  const kinds = Array.from({ length: 6 }, () => jb.pull()).map((o) => (o.kind === 'packet' ? o.packet.seq : o.kind));
  assert.deepEqual(kinds, [0, 1, 2, 'conceal', 4, 5]);
  assert.equal(jb.counters.lost, 1);
});

test('a long outage goes silent, then rebuffers', () => {
  const jb = new JitterBuffer();
  for (let s = 0; s < 3; s++) jb.push(pkt(s), s * 20);
  const kinds = Array.from({ length: 12 }, () => jb.pull().kind);
  assert.deepEqual(kinds.slice(0, 3), ['packet', 'packet', 'packet']);
  assert.equal(kinds.at(-1), 'silence');
  for (let s = 50; s < 53; s++) jb.push(pkt(s), s * 20);
  const next = jb.pull();
  assert.equal(next.kind === 'packet' ? next.packet.seq : -1, 50);
});

test('far above the target (a long stall), the delay comes back within a few seconds', () => {
  // A 1 s stall at packet 100: 50 packets arrive at once.
  const { depth, jb } = run(600, (i) => (i >= 100 && i < 150 ? (150 - i) * 20 : 0));
  // The target rises to ride out such stalls for the 3 s they are remembered, then falls; 5 s after the burst
  // (tick ~150 + 250) the delay is back near the target.
  const after = depth.slice(400, 500);
  assert.ok(Math.max(...after) <= jb.target + 40, `depth 5 s after the stall ${Math.max(...after)} ms, target ${jb.target}`);
});

test('the delay never exceeds JITTER_MAX_DELAY_MS (plus the frame being played), even right after a long stall', () => {
  const { depth } = run(600, (i) => (i >= 100 && i < 150 ? (150 - i) * 20 : 0));
  assert.ok(Math.max(...depth) <= JITTER_MAX_DELAY_MS, `deepest ${Math.max(...depth)} ms`);
});
