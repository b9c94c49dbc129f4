// Fuzz cases for the tutorial wires. Pickle: mutated numpy pickles (net-fuzz-pickle.ts) framed with their 8-byte
// length (usually right, sometimes not: wrong, zero, over the limit, huge) and streamed in random chunks. Raw: frames
// of a random size with a partial tail, reassembled whatever the chunking, checked byte for byte.
import { ProtocolError } from '../../src/shared/errors.js';
import { MAX_FRAME_SIDE_PX, TUTORIAL_MAX_PICKLE_BYTES } from '../../src/shared/limits.js';
import { readPickledImage, type BgrImage } from '../../src/tutorial/pickle.js';
import { writePickledImage } from '../../src/tutorial/pickle-writer.js';
import { PickleStreamDecoder, RawStreamDecoder, type WireFrame } from '../../src/tutorial/wire.js';
import { chunked, FuzzFailure, int, pick, type Rand } from './net-fuzz-common.js';
import { fuzzedPickle, lenBytes } from './net-fuzz-pickle.js';

/** The 8-byte "Q" prefix for a pickle: its length, or (rarely) a wrong, zero, over-limit or huge one. */
function prefixFor(r: Rand, len: number): { prefix: Buffer; honest: boolean } {
  const prefix = Buffer.alloc(8);
  const honest = r() >= 0.1;
  const v = honest ? BigInt(len) : BigInt(pick(r, [len - 1, len + 1, len + 100, 0, TUTORIAL_MAX_PICKLE_BYTES, TUTORIAL_MAX_PICKLE_BYTES + 1]));
  prefix.writeBigUInt64LE(v < 0n ? 0n : r() < 0.05 ? 0xffffffffffffffffn : v);
  return { prefix, honest };
}

/** Checks a decoded image is a sane BGR frame and survives the writer and the reader again. */
function checkImage(img: BgrImage, seed: number): void {
  if (img.width < 1 || img.height < 1 || img.width > MAX_FRAME_SIDE_PX || img.height > MAX_FRAME_SIDE_PX || img.data.length !== img.width * img.height * 3) {
    throw new FuzzFailure(`pickle seed ${seed}: accepted an impossible frame ${img.width}x${img.height} (${img.data.length} bytes)`);
  }
  const again = readPickledImage(writePickledImage(img));
  if (again.width !== img.width || again.height !== img.height || !Buffer.from(again.data).equals(Buffer.from(img.data))) {
    throw new FuzzFailure(`pickle seed ${seed}: an accepted frame did not survive the writer`);
  }
}

/** Feeds chunks to a tutorial decoder (frames go to got), checking it never holds more than it was given. */
function feed(d: PickleStreamDecoder | RawStreamDecoder, chunks: Buffer[], got: WireFrame[], seed: number, what: string): WireFrame[] {
  let fed = 0;
  for (const c of chunks) {
    got.push(...d.push(c));
    fed += c.length;
    if (d.bufferedBytes > fed) throw new FuzzFailure(`${what} seed ${seed}: holds ${d.bufferedBytes} bytes after being fed ${fed}`);
  }
  return got;
}

/** Outcome of one pickle-stream case: 'accepted' or the error code (ERR_PEER_CLOSED: the stream ended mid-message). */
export function runPickleCase(r: Rand, seed: number): { outcome: string; detail?: string } {
  const valid = r() < 0.1;
  const parts: Buffer[] = [];
  const want: (BgrImage | null)[] = [];
  let honest = true;
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const { pickle, image } = fuzzedPickle(r, valid);
    const p = valid ? { prefix: lenBytes(8, pickle.length), honest: true } : prefixFor(r, pickle.length);
    honest &&= p.honest;
    parts.push(p.prefix, pickle);
    want.push(image);
  }
  let bytes = Buffer.concat(parts);
  const truncated = !valid && r() < 0.15;
  if (truncated) bytes = bytes.subarray(0, int(r, bytes.length));
  const d = new PickleStreamDecoder();
  const got: WireFrame[] = [];
  try {
    feed(d, chunked(r, bytes), got, seed, 'pickle');
    d.end();
  } catch (err) {
    if (err instanceof FuzzFailure) throw err;
    if (!(err instanceof ProtocolError)) throw new FuzzFailure(`pickle seed ${seed}: threw ${String(err)}`, { cause: err });
    return { outcome: err.code, detail: err.message };
  } finally {
    for (const f of got) checkImage(f.image, seed);
  }
  // Oracle: a valid stream gives back exactly its images, in order, whatever the chunking.
  if (valid && (got.length !== want.length || got.some((f, i) => !Buffer.from(f.image.data).equals(Buffer.from(want[i]?.data ?? []))))) {
    throw new FuzzFailure(`pickle seed ${seed}: a valid stream did not decode to its images`);
  }
  return { outcome: honest ? 'accepted' : 'accepted (misframed)' };
}

const RAW_SIZES = [{ width: 1, height: 1 }, { width: 2, height: 3 }, { width: 4, height: 4 }, { width: 16, height: 9 }, { width: 64, height: 48 }];

/** Outcome of one raw-wire case: 'accepted' or ERR_PEER_CLOSED (a partial frame at the end); frames checked byte for byte. */
export function runRawCase(r: Rand, seed: number): { outcome: string; detail?: string } {
  const size = r() < 0.02 ? { width: 640, height: 480 } : pick(r, RAW_SIZES);
  const fb = size.width * size.height * 3;
  const frames = int(r, 4);
  const tail = r() < 0.5 ? 0 : pick(r, [1, fb - 1, 1 + int(r, fb)]) % fb;
  const bytes = Buffer.alloc(frames * fb + tail);
  for (let i = 0; i < bytes.length; i += 97) bytes[i] = (i * 13 + seed) & 0xff;
  const d = new RawStreamDecoder(size);
  const got: WireFrame[] = [];
  try {
    feed(d, chunked(r, bytes), got, seed, 'raw');
  } catch (err) {
    throw new FuzzFailure(`raw seed ${seed}: push threw ${String(err)}`, { cause: err });
  }
  if (got.length !== frames || d.bufferedBytes !== tail) throw new FuzzFailure(`raw seed ${seed}: ${got.length} frames and ${d.bufferedBytes} bytes left, want ${frames} and ${tail}`);
  got.forEach((f, i) => {
    if (f.image.width !== size.width || f.image.height !== size.height || !Buffer.from(f.image.data).equals(bytes.subarray(i * fb, (i + 1) * fb))) {
      throw new FuzzFailure(`raw seed ${seed}: frame ${i} is not the bytes sent`);
    }
  });
  try {
    d.end();
  } catch (err) {
    if (err instanceof ProtocolError && err.code === 'ERR_PEER_CLOSED' && tail > 0) return { outcome: err.code, detail: 'partial frame at the end' };
    throw new FuzzFailure(`raw seed ${seed}: end() threw ${String(err)} with ${tail} bytes left`, { cause: err });
  }
  if (tail > 0) throw new FuzzFailure(`raw seed ${seed}: end() accepted a partial frame`);
  return { outcome: 'accepted' };
}
