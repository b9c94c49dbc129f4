import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeWav, parseWav, resample } from '../../../src/audio/wav.js';

test('a 16-bit mono WAV round-trips', () => {
  const s = Int16Array.from([0, 1000, -1000, 32767, -32768]);
  const w = parseWav(encodeWav(48000, s));
  assert.equal(w.sampleRate, 48000);
  assert.deepEqual([...w.samples], [...s]);
});

test('stereo 8-bit and 24-bit PCM become mono 16-bit', () => {
  const hdr = (ch: number, bits: number, data: number[]): Buffer => {
    const b = encodeWav(8000, new Int16Array(0));
    b.writeUInt16LE(ch, 22);
    b.writeUInt16LE(bits, 34);
    b.writeUInt32LE(data.length, 40);
    return Buffer.concat([b, Buffer.from(data)]);
  };
  assert.deepEqual([...parseWav(hdr(2, 8, [128, 128, 255, 1])).samples], [0, Math.round(((127 << 8) + (-127 << 8)) / 2)]);
  assert.deepEqual([...parseWav(hdr(1, 24, [0, 0x10, 0x00])).samples], [0x10]);
});

test('files that are not WAV are refused with ERR_BAD_WAV', () => {
  for (const bytes of [Buffer.from('not a wav at all, just text'), Buffer.alloc(0), Buffer.from('RIFF\0\0\0\0WAVE')]) {
    assert.throws(() => parseWav(bytes), { code: 'ERR_BAD_WAV' });
  }
  const float = encodeWav(48000, new Int16Array(4));
  float.writeUInt16LE(3, 20);
  assert.throws(() => parseWav(float), { code: 'ERR_BAD_WAV', message: /format 3/ });
});

test('resample keeps duration and a slow ramp', () => {
  const ramp = Int16Array.from({ length: 2205 }, (_, i) => i);
  const out = resample(ramp, 22050, 48000);
  assert.equal(out.length, 4800);
  assert.ok(Math.abs((out[2400] ?? 0) - 1102) <= 1);
});
