// Fuzz cases for the wire decoder: random bytes and mutations of a valid stream, fed in random chunks.
import { encodePreamble } from '../../src/protocol/codec.js';
import { WireDecoder } from '../../src/protocol/decoder.js';
import { ProtocolError } from '../../src/shared/errors.js';
import { rng, sampleStream } from './net-samples.js';

/** One mutated or random byte string from the seed. */
export function fuzzCase(seed: number): Buffer {
  const r = rng(seed);
  const base = sampleStream();
  const pick = r();
  if (pick < 0.15) {
    // Pure noise, sometimes behind a valid preamble so the header path is reached.
    const noise = Buffer.alloc(Math.floor(r() * 2000));
    for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(r() * 256);
    return r() < 0.7 ? Buffer.concat([encodePreamble(), noise]) : noise;
  }
  const b = Buffer.from(base);
  const edits = 1 + Math.floor(r() * 6);
  let out = b;
  for (let e = 0; e < edits; e++) {
    const at = 8 + Math.floor(r() * Math.max(1, out.length - 8));
    const kind = r();
    if (kind < 0.4) out[at] = Math.floor(r() * 256);
    else if (kind < 0.6 && at + 4 <= out.length) {
      const vals = [0, 1, 4, 9, 12, 17, 18, 511, 512, 513, 4096, 4097, 0x7fffffff, 0xffffffff];
      out.writeUInt32BE(vals[Math.floor(r() * vals.length)] ?? 0, at);
    } else if (kind < 0.8) out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + Math.floor(r() * 50)))]);
    else {
      const ins = Buffer.alloc(1 + Math.floor(r() * 20));
      for (let i = 0; i < ins.length; i++) ins[i] = Math.floor(r() * 256);
      out = Buffer.concat([out.subarray(0, at), ins, out.subarray(at)]);
    }
  }
  return out;
}

/** Feed a case in random chunks. Returns 'ok' or the ProtocolError code; throws on anything else (a crash). */
export function runFuzzCase(seed: number): string {
  const r = rng(seed ^ 0x5bd1e995);
  const bytes = fuzzCase(seed);
  const d = new WireDecoder();
  try {
    for (let i = 0; i < bytes.length;) {
      const n = 1 + Math.floor(r() * 300);
      d.push(bytes.subarray(i, i + n));
      i += n;
    }
    return 'ok';
  } catch (err) {
    if (err instanceof ProtocolError) return err.code;
    throw new Error(`fuzz seed ${seed}: decoder threw a non-ProtocolError: ${String(err)}`, { cause: err });
  }
}
