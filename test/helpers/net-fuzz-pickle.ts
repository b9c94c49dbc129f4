// Structure-aware pickle mutations for the fuzzer: recorded numpy pickles (protocols 2-5, numpy 1 and 2), the
// writer's output and the recorded bad pickles are cut into opcodes; a few opcodes are changed (an int, a text, a
// byte string's length, the opcode itself; ops deleted, duplicated, swapped, inserted or spliced from another pickle),
// FRAME lengths are usually fixed up again, and the result is serialized.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TUTORIAL_MAX_PICKLE_BYTES } from '../../src/shared/limits.js';
import { packageRoot } from '../../src/shared/paths.js';
import { OP, readPickledImage, type BgrImage } from '../../src/tutorial/pickle.js';
import { writePickledImage } from '../../src/tutorial/pickle-writer.js';
import { int, pick, weighted, type Rand } from './net-fuzz-common.js';

/** One pickle opcode and the raw bytes of its argument (length prefixes included). */
interface PickleOp { readonly op: number; readonly arg: Buffer }

const ARG_BYTES = new Map<number, number>([
  [OP.BININT1, 1], [OP.BINGET, 1], [OP.BINPUT, 1], [OP.PROTO, 1], [OP.BININT2, 2],
  [OP.BININT, 4], [OP.LONG_BINGET, 4], [OP.LONG_BINPUT, 4], [OP.FRAME, 8],
]);
const LEN_BYTES = new Map<number, number>([
  [OP.SHORT_BINUNICODE, 1], [OP.SHORT_BINBYTES, 1], [OP.BINUNICODE, 4], [OP.BINBYTES, 4],
  [OP.BINUNICODE8, 8], [OP.BINBYTES8, 8], [OP.BYTEARRAY8, 8],
]);
const NO_ARG = new Set<number>([OP.MARK, OP.STOP, OP.NONE, OP.REDUCE, OP.EMPTY_TUPLE, OP.BUILD, OP.TUPLE, OP.TUPLE1,
  OP.TUPLE2, OP.TUPLE3, OP.NEWTRUE, OP.NEWFALSE, OP.STACK_GLOBAL, OP.MEMOIZE]);

/** Reads a length of 1, 4 or 8 bytes (little-endian). */
function readLen(b: Buffer, at: number, n: number): number {
  return n === 1 ? (b[at] as number) : n === 4 ? b.readUInt32LE(at) : Number(b.readBigUInt64LE(at));
}

/** Writes a length of 1, 4 or 8 bytes (little-endian). */
export function lenBytes(n: number, v: number): Buffer {
  const b = Buffer.alloc(n);
  if (n === 1) b[0] = v & 0xff;
  else if (n === 4) b.writeUInt32LE(v >>> 0);
  else b.writeBigUInt64LE(BigInt(Math.max(0, v)));
  return b;
}

/** Splits a pickle into opcodes; null when it holds an opcode the reader does not know (then it is fuzzed as bytes). */
function tokenize(p: Buffer): PickleOp[] | null {
  const ops: PickleOp[] = [];
  for (let at = 0; at < p.length;) {
    const op = p[at++] as number;
    let n: number;
    if (NO_ARG.has(op)) n = 0;
    else if (ARG_BYTES.has(op)) n = ARG_BYTES.get(op) as number;
    else if (LEN_BYTES.has(op)) {
      const w = LEN_BYTES.get(op) as number;
      if (at + w > p.length) return null;
      n = w + readLen(p, at, w);
    } else if (op === OP.GLOBAL) {
      const nl = p.indexOf(0x0a, p.indexOf(0x0a, at) + 1);
      if (nl < 0) return null;
      n = nl + 1 - at;
    } else return null;
    if (at + n > p.length) return null;
    ops.push({ op, arg: p.subarray(at, at + n) });
    at += n;
  }
  return ops;
}

/** The bytes of a list of opcodes. */
function serialize(ops: readonly PickleOp[]): Buffer {
  return Buffer.concat(ops.flatMap((o) => [Buffer.from([o.op]), o.arg]));
}

/** Sets each FRAME's length to the bytes up to the next FRAME (or the end), as a pickler would after the edit. */
function fixFrames(ops: PickleOp[]): PickleOp[] {
  const out = [...ops];
  for (let i = out.length - 1, after = 0; i >= 0; i--) {
    const o = out[i] as PickleOp;
    if (o.op === OP.FRAME && o.arg.length === 8) {
      out[i] = { op: OP.FRAME, arg: lenBytes(8, after) };
      after = 0;
    } else after += 1 + o.arg.length;
  }
  return out;
}

/** A pickle to start from and, when it is a good one, the image it holds. */
interface Seed { readonly pickle: Buffer; readonly ops: PickleOp[] | null; readonly image: BgrImage | null }

let seeds: { good: Seed[]; big: Seed[]; bad: Seed[] } | null = null;

/** The recorded pickles (split out of their length-prefixed streams) and the recorded bad ones, read once. */
function recordedSeeds(): { good: Seed[]; big: Seed[]; bad: Seed[] } {
  if (seeds) return seeds;
  const dir = join(packageRoot(), 'fixtures');
  const good: Seed[] = [];
  const big: Seed[] = [];
  for (const name of readdirSync(join(dir, 'pickle')).filter((n) => n.endsWith('.bin'))) {
    const stream = readFileSync(join(dir, 'pickle', name));
    for (let at = 0; at + 8 <= stream.length;) {
      const len = Number(stream.readBigUInt64LE(at));
      const pickle = stream.subarray(at + 8, at + 8 + len);
      (name.startsWith('160x120') ? big : good).push({ pickle, ops: tokenize(pickle), image: readPickledImage(pickle) });
      at += 8 + len;
    }
  }
  const bad = readdirSync(join(dir, 'bad')).filter((n) => n.endsWith('.pkl'))
    .map((n) => readFileSync(join(dir, 'bad', n)))
    .map((pickle) => ({ pickle, ops: tokenize(pickle), image: null }));
  seeds = { good, big, bad };
  return seeds;
}

/** A small random image written by termcall's own pickle writer. */
function writerSeed(r: Rand): Seed {
  const width = 1 + int(r, 40);
  const height = 1 + int(r, 30);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + width) & 0xff;
  const image = { data, width, height };
  const pickle = writePickledImage(image);
  return { pickle, ops: tokenize(pickle), image };
}

const INTS = [0, 1, 2, 3, 4, 5, 255, 256, 4096, 4097, 65535, 65536, -1, 0x7fffffff, 3840, 2160, 512, 511];
const WORDS = ['numpy', 'numpy.core.multiarray', 'numpy._core.multiarray', 'numpy.core.numeric', '_reconstruct', 'ndarray',
  'dtype', '_frombuffer', '_codecs', 'encode', 'u1', 'f8', 'b1', 'i1', 'O8', '<', '|', '>', 'C', 'F', 'latin1', 'utf8',
  'posix', 'system', 'builtins', 'eval', 'os', '', 'x'.repeat(65), '\u00ff\u0100'];
const INSERTS: PickleOp[] = [OP.MARK, OP.TUPLE, OP.EMPTY_TUPLE, OP.NONE, OP.NEWTRUE, OP.NEWFALSE, OP.REDUCE, OP.BUILD,
  OP.MEMOIZE, OP.STOP, OP.TUPLE1, OP.TUPLE2, OP.TUPLE3, OP.STACK_GLOBAL].map((op) => ({ op, arg: Buffer.alloc(0) }));
const UNKNOWN_OPS = [0x00, 0x49, 0x53, 0x56, 0x5d, 0x7d, 0x8a, 0x8f, 0x97, 0x98, 0xff];

/** An int opcode holding v in the narrowest form pickle would use (BININT for negatives). */
function intOp(v: number): PickleOp {
  if (v >= 0 && v < 0x100) return { op: OP.BININT1, arg: Buffer.from([v]) };
  if (v >= 0 && v < 0x10000) { const b = Buffer.alloc(2); b.writeUInt16LE(v); return { op: OP.BININT2, arg: b }; }
  const b = Buffer.alloc(4);
  b.writeInt32LE(v | 0);
  return { op: OP.BININT, arg: b };
}

/** A text opcode holding s (SHORT_BINUNICODE when it fits). */
function textOp(s: Buffer): PickleOp {
  return s.length < 0x100 ? { op: OP.SHORT_BINUNICODE, arg: Buffer.concat([lenBytes(1, s.length), s]) } : { op: OP.BINUNICODE, arg: Buffer.concat([lenBytes(4, s.length), s]) };
}

const PICKLE_MUTATIONS = { int: 20, text: 14, bytes: 12, opcode: 10, delete: 10, duplicate: 6, swap: 6, insert: 10, splice: 6, proto: 3, tail: 6 } as const;

/** Applies one structure-aware mutation to a list of opcodes. */
function mutateOps(r: Rand, ops: PickleOp[], other: () => PickleOp[]): PickleOp[] {
  const out = [...ops];
  const where = (pred: (o: PickleOp) => boolean): number[] => out.map((o, i) => (pred(o) ? i : -1)).filter((i) => i >= 0);
  const any = 1 + int(r, Math.max(1, out.length - 1));
  switch (weighted(r, PICKLE_MUTATIONS)) {
    case 'int': {
      const at = where((o) => o.op === OP.BININT1 || o.op === OP.BININT2 || o.op === OP.BININT || o.op === OP.BINGET || o.op === OP.BINPUT || o.op === OP.LONG_BINGET);
      if (at.length === 0) break;
      const i = pick(r, at);
      const o = out[i] as PickleOp;
      const v = pick(r, INTS);
      out[i] = o.op === OP.BINGET || o.op === OP.BINPUT ? { op: o.op, arg: Buffer.from([v & 0xff]) } : o.op === OP.LONG_BINGET ? { op: o.op, arg: lenBytes(4, v) } : intOp(v);
      break;
    }
    case 'text': {
      const at = where((o) => o.op === OP.SHORT_BINUNICODE || o.op === OP.BINUNICODE || o.op === OP.GLOBAL);
      if (at.length === 0) break;
      const i = pick(r, at);
      const word = r() < 0.85 ? Buffer.from(pick(r, WORDS)) : Buffer.from(pick(r, [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc4, 0x80]]));
      out[i] = (out[i] as PickleOp).op === OP.GLOBAL ? { op: OP.GLOBAL, arg: Buffer.concat([word, Buffer.from('\n'), Buffer.from(pick(r, WORDS)), Buffer.from('\n')]) } : textOp(word);
      break;
    }
    case 'bytes': {
      const at = where((o) => o.op === OP.SHORT_BINBYTES || o.op === OP.BINBYTES || o.op === OP.BINBYTES8 || o.op === OP.BYTEARRAY8 || o.op === OP.BINUNICODE8);
      if (at.length === 0) break;
      const i = pick(r, at);
      const o = out[i] as PickleOp;
      const w = LEN_BYTES.get(o.op) as number;
      const data = o.arg.subarray(w);
      const n = Math.max(0, pick(r, [data.length - 1, data.length + 1, data.length - 3, data.length * 2, 0, 1]));
      const body = Buffer.alloc(n);
      data.copy(body, 0, 0, Math.min(n, data.length));
      // Usually the length prefix says the truth; sometimes it is off (then the ops after it are misread).
      const said = r() < 0.8 ? n : pick(r, [n + 1, n - 1, 0xffffffff, TUTORIAL_MAX_PICKLE_BYTES]);
      out[i] = { op: w === 1 && n > 255 ? OP.BINBYTES : o.op, arg: Buffer.concat([lenBytes(w === 1 && n > 255 ? 4 : w, said), body]) };
      break;
    }
    case 'opcode': {
      const o = out[any];
      if (o) out[any] = { op: r() < 0.7 ? pick(r, Object.values(OP)) : pick(r, UNKNOWN_OPS), arg: o.arg };
      break;
    }
    case 'delete': if (out.length > 2) out.splice(any, 1 + int(r, 2)); break;
    case 'duplicate': { const o = out[any]; if (o) out.splice(any, 0, ...new Array<PickleOp>(1 + int(r, 3)).fill(o)); break; }
    case 'swap': { const a = out[any]; const b = out[any + 1]; if (a && b) { out[any] = b; out[any + 1] = a; } break; }
    case 'insert': {
      const ins = r() < 0.6 ? pick(r, INSERTS) : r() < 0.5 ? intOp(pick(r, INTS)) : r() < 0.5 ? { op: OP.BINGET, arg: Buffer.from([int(r, 24)]) } : textOp(Buffer.from(pick(r, WORDS)));
      out.splice(any, 0, ins);
      break;
    }
    case 'splice': {
      const src = other();
      const from = int(r, src.length);
      out.splice(any, int(r, 4), ...src.slice(from, from + 1 + int(r, 8)));
      break;
    }
    case 'proto': out[0] = { op: OP.PROTO, arg: Buffer.from([pick(r, [0, 1, 2, 3, 4, 5, 6, 0xff])]) }; break;
    case 'tail':
      if (r() < 0.5) out.splice(Math.max(1, out.length - 1 - int(r, 4)));
      else out.push(r() < 0.5 ? { op: OP.STOP, arg: Buffer.alloc(0) } : { op: OP.NONE, arg: Buffer.alloc(0) });
      break;
  }
  return out;
}

/** One pickle for a stream: a seed, mutated (structure-aware, or bytewise when it does not tokenize) unless kept valid. */
export function fuzzedPickle(r: Rand, valid: boolean): { pickle: Buffer; image: BgrImage | null } {
  const s = recordedSeeds();
  const kind = weighted(r, { good: 60, writer: 25, bad: 10, big: 5 });
  const seed = kind === 'good' ? pick(r, s.good) : kind === 'writer' ? writerSeed(r) : kind === 'bad' ? pick(r, s.bad) : pick(r, s.big);
  if (valid || r() < 0.08) return { pickle: seed.pickle, image: seed.image };
  if (!seed.ops) {
    const b = Buffer.from(seed.pickle);
    for (let k = 1 + int(r, 3); k > 0 && b.length > 0; k--) b[int(r, b.length)] = int(r, 256);
    return { pickle: b, image: null };
  }
  let ops = seed.ops;
  const other = (): PickleOp[] => (pick(r, s.good).ops ?? []);
  for (let n = 1 + int(r, 3); n > 0; n--) ops = mutateOps(r, ops, other);
  return { pickle: serialize(r() < 0.85 ? fixFrames(ops) : ops), image: null };
}
