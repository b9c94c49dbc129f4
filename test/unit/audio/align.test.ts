import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignAudio, relativeLevelDb } from '../../../src/audio/align.js';

/** Noise bursts (a speech-like envelope), deterministic. */
function bursts(n: number, seed = 12345): Int16Array {
  let s = seed;
  const r = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  return Int16Array.from({ length: n }, (_, i) => Math.round(r() * 8000 * (Math.sin(i / 2000) > 0.3 ? 1 : 0.02)));
}

test('finds a delay of 123.4 ms and high similarity in a quieter, noisy copy', () => {
  const ref = bursts(48000 * 2);
  const lag = Math.round(0.1234 * 48000);
  const rec = new Int16Array(ref.length + 48000);
  for (let i = 0; i < ref.length; i++) rec[i + lag] = Math.round((ref[i] ?? 0) * 0.5 + ((i * 7919) % 200) - 100);
  const a = alignAudio(ref, rec, 48000);
  assert.equal(a.lagSamples, lag);
  assert.ok(a.similarity > 0.9, `similarity ${a.similarity}`);
  assert.ok(Math.abs(relativeLevelDb(ref, rec.subarray(lag, lag + ref.length)) + 6) < 0.5);
});

test('unrelated audio has low similarity', () => {
  const a = alignAudio(bursts(48000), bursts(48000 * 2, 999), 48000);
  assert.ok(a.similarity < 0.3, `similarity ${a.similarity}`);
});
