// WAV files as audio sources and sinks: parse RIFF/WAVE PCM (8/16/24/32-bit, any rate and channel count) into
// 16-bit mono, and write 16-bit mono 48 kHz. Pure: bytes in, samples out.
import { AudioError } from '../shared/errors.js';
import { MAX_WAV_BYTES } from '../shared/limits.js';

/** Decoded WAV audio: mono 16-bit samples at the file's rate. */
export interface WavAudio {
  readonly sampleRate: number;
  readonly samples: Int16Array;
}

/** Throw ERR_BAD_WAV with a reason. */
function bad(why: string): never {
  throw new AudioError('ERR_BAD_WAV', `not a WAV file termcall can read: ${why}`);
}

/** Parse a WAV file's bytes into mono 16-bit samples (channels averaged). */
export function parseWav(b: Uint8Array): WavAudio {
  if (b.length > MAX_WAV_BYTES) bad(`${b.length} bytes is over ${MAX_WAV_BYTES}`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const tag = (o: number): string => String.fromCharCode(b[o] ?? 0, b[o + 1] ?? 0, b[o + 2] ?? 0, b[o + 3] ?? 0);
  if (b.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') bad('no RIFF/WAVE header');
  let fmt: { format: number; channels: number; rate: number; bits: number } | null = null;
  let o = 12;
  while (o + 8 <= b.length) {
    const id = tag(o);
    const size = v.getUint32(o + 4, true);
    const body = o + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > b.length) bad('fmt chunk too short');
      let format = v.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (format === 0xfffe && size >= 40 && body + 26 <= b.length) format = v.getUint16(body + 24, true);
      fmt = { format, channels: v.getUint16(body + 2, true), rate: v.getUint32(body + 4, true), bits: v.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!fmt) bad('data before fmt');
      return { sampleRate: fmt.rate, samples: pcmToMono(b.subarray(body, Math.min(b.length, body + size)), fmt) };
    }
    o = body + size + (size & 1);
  }
  return bad('no data chunk');
}

/** Integer PCM of any width and channel count → mono 16-bit. */
function pcmToMono(data: Uint8Array, f: { format: number; channels: number; rate: number; bits: number }): Int16Array {
  if (f.format !== 1) bad(`format ${f.format} is not integer PCM`);
  if (f.channels < 1 || f.channels > 8) bad(`${f.channels} channels`);
  if (f.rate < 8000 || f.rate > 192_000) bad(`sample rate ${f.rate}`);
  if (![8, 16, 24, 32].includes(f.bits)) bad(`${f.bits}-bit samples`);
  const bytes = f.bits / 8;
  const frames = Math.floor(data.length / (bytes * f.channels));
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < f.channels; c++) {
      const o = (i * f.channels + c) * bytes;
      let s: number;
      if (bytes === 1) s = ((data[o] ?? 128) - 128) << 8;
      else if (bytes === 2) s = v.getInt16(o, true);
      else if (bytes === 3) s = (v.getInt8(o + 2) << 8) | (data[o + 1] ?? 0);
      else s = v.getInt32(o, true) >> 16;
      sum += s;
    }
    out[i] = Math.round(sum / f.channels);
  }
  return out;
}

/** The 44-byte header of a 16-bit mono PCM WAV holding dataBytes of samples. */
export function wavHeader(sampleRate: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** A whole 16-bit mono WAV file. */
export function encodeWav(sampleRate: number, samples: Int16Array): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  return Buffer.concat([wavHeader(sampleRate, data.length), data]);
}

/** Linear resampling of mono samples from one rate to another (WAV files at 22.05/44.1 kHz → 48 kHz). */
export function resample(input: Int16Array, fromHz: number, toHz: number): Int16Array {
  if (fromHz === toHz || input.length === 0) return input;
  const n = Math.floor((input.length * toHz) / fromHz);
  const out = new Int16Array(n);
  const step = fromHz / toHz;
  for (let i = 0; i < n; i++) {
    const x = i * step;
    const j = Math.floor(x);
    const a = input[j] ?? 0;
    const b = input[Math.min(j + 1, input.length - 1)] ?? a;
    out[i] = Math.round(a + (b - a) * (x - j));
  }
  return out;
}
