import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpusDecoder, OpusEncoder } from '../../../src/audio/opus-codec.js';
import { rmsDbfs } from '../../../src/audio/levels.js';
import { AUDIO_FRAME_SAMPLES } from '../../../src/shared/limits.js';

/** A frame of a sine tone at freq Hz, amplitude amp (0..1), continuing from frame index i. */
function tone(i: number, freq = 440, amp = 0.3): Int16Array {
  const f = new Int16Array(AUDIO_FRAME_SAMPLES);
  for (let k = 0; k < f.length; k++) f[k] = Math.round(amp * 32767 * Math.sin((2 * Math.PI * freq * (i * f.length + k)) / 48000));
  return f;
}

test('a tone survives Opus at about its level, in packets of voice size', () => {
  const enc = new OpusEncoder();
  const dec = new OpusDecoder();
  let bytes = 0;
  let last: Int16Array = new Int16Array(0);
  for (let i = 0; i < 50; i++) {
    const p = enc.encode(tone(i));
    bytes += p.length;
    last = dec.decode(p);
  }
  assert.equal(last.length, AUDIO_FRAME_SAMPLES);
  const inDb = rmsDbfs(tone(49));
  assert.ok(Math.abs(rmsDbfs(last) - inDb) < 3, `decoded ${rmsDbfs(last)} dBFS vs ${inDb}`);
  const kbps = (bytes * 8) / (50 * 20);
  assert.ok(kbps > 8 && kbps < 64, `${kbps} kbit/s`);
});

test('a corrupt packet is counted and concealed, and decoding goes on', () => {
  const enc = new OpusEncoder();
  const dec = new OpusDecoder();
  for (let i = 0; i < 10; i++) dec.decode(enc.encode(tone(i)));
  const out = dec.decode(Uint8Array.of(0xff, 0xff, 0xff, 1, 2, 3));
  assert.equal(out.length, AUDIO_FRAME_SAMPLES);
  assert.equal(dec.corrupt, 1);
  const next = dec.decode(enc.encode(tone(11)));
  assert.ok(rmsDbfs(next) > -20, 'decoding recovers after the corrupt packet');
});

test('concealment continues the sound for a lost frame, then fades', () => {
  const enc = new OpusEncoder();
  const dec = new OpusDecoder();
  for (let i = 0; i < 20; i++) dec.decode(enc.encode(tone(i)));
  const first = dec.conceal();
  assert.equal(first.length, AUDIO_FRAME_SAMPLES);
  assert.ok(rmsDbfs(first) > -30, `PLC right after sound is not silent (${rmsDbfs(first)} dBFS)`);
  let later = first;
  for (let i = 0; i < 10; i++) later = dec.conceal();
  assert.ok(rmsDbfs(later) < rmsDbfs(first), 'PLC fades out');
});

test('encode refuses a frame of the wrong length', () => {
  assert.throws(() => new OpusEncoder().encode(new Int16Array(100)), { code: 'ERR_AUDIO_CODEC' });
});
