// Structure-aware fuzz input for the termcall wire. A case starts from a valid stream (preamble + valid messages with
// random fields) and applies a few mutations that keep most of its structure — one field, a header length, a type
// byte, a payload resized with its framing fixed up, a splice, a truncation — so that cases get past the header checks
// into payload parsing and, through a Session, into the call's state machine. Random bytes are a small minority.
import { isDeepStrictEqual } from 'node:util';
import { encodeMessage, encodePreamble } from '../../src/protocol/codec.js';
import { WireDecoder } from '../../src/protocol/decoder.js';
import { MSG, PAYLOAD_LIMITS, type DecodedItem, type Message } from '../../src/protocol/messages.js';
import { ProtocolError } from '../../src/shared/errors.js';
import { chunked, FuzzFailure, int, maybeTruncate, pick, weighted, type Rand } from './net-fuzz-common.js';
import { MESSAGE_HEADER_BYTES } from '../../src/shared/limits.js';
import { randomMessage, TYPES } from './net-fuzz-messages.js';

export { randomMessage } from './net-fuzz-messages.js';

/** One piece of a termcall stream: the preamble or one framed message (5-byte header + payload). */
export interface Segment {
  readonly kind: 'preamble' | 'message';
  readonly bytes: Buffer;
}

/** A message segment. */
export function messageSegment(m: Message): Segment {
  return { kind: 'message', bytes: encodeMessage(m) };
}

/** Preamble + 1..12 random valid messages (HELLO first half the time), and the messages themselves. */
export function randomStream(r: Rand): { segments: Segment[]; messages: Message[] } {
  const messages: Message[] = [];
  if (r() < 0.5) messages.push(randomMessage(r, 'hello'));
  for (let n = 1 + int(r, 12); messages.length < n;) messages.push(randomMessage(r, pick(r, TYPES)));
  return { segments: [{ kind: 'preamble', bytes: encodePreamble() }, ...messages.map(messageSegment)], messages };
}

const U8 = [0, 1, 2, 5, 6, 7, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff, 64, 65, 100, 101];
const U16 = [0, 1, 2, 160, 4095, 4096, 4097, 0x7fff, 0xffff];
const U32 = [0, 1, 2, 7, 8, 9, 0x7fffffff, 0x80000000, 0xffffffff];
const F64 = [Number.NaN, Infinity, -Infinity, 0, -0, Number.MAX_VALUE, -1, 1.79e12];
const BAD_UTF8 = [[0xff], [0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x07], [0x00]];

type Field = { at: number; kind: 'u8' | 'u16' | 'u32' | 'f32' | 'f64' } | { at: number; kind: 'text'; len: number };

/** The fields of a payload by type (offsets into the payload), as docs/protocol.md lays them out. */
function fieldsOf(type: number, p: Buffer): Field[] {
  switch (type) {
    case MSG.hello: {
      const r = p.length > 8 ? (p[8] as number) : 0;
      return [{ at: 0, kind: 'u16' }, { at: 2, kind: 'u16' }, { at: 4, kind: 'u32' }, { at: 8, kind: 'u8' },
        { at: 9, kind: 'text', len: r }, { at: 9 + r, kind: 'u8' }, { at: 10 + r, kind: 'text', len: Math.max(0, p.length - 10 - r) }];
    }
    case MSG.video: return [{ at: 0, kind: 'u32' }, { at: 4, kind: 'f64' }, { at: 12, kind: 'u16' }, { at: 14, kind: 'u16' }, { at: 16, kind: 'u8' }];
    case MSG.ack: return [{ at: 0, kind: 'u32' }, { at: 4, kind: 'u8' }, { at: 5, kind: 'f32' }];
    case MSG.ping: return [{ at: 0, kind: 'u32' }, { at: 4, kind: 'f64' }];
    case MSG.pong: return [{ at: 0, kind: 'u32' }, { at: 4, kind: 'f64' }, { at: 12, kind: 'f64' }];
    case MSG.resize: return [{ at: 0, kind: 'u16' }, { at: 2, kind: 'u16' }];
    case MSG.decline: case MSG.videoState: return [{ at: 0, kind: 'u8' }];
    case MSG.chat: return [{ at: 0, kind: 'text', len: p.length }];
    case MSG.bye: return [{ at: 0, kind: 'u8' }, { at: 1, kind: 'text', len: p.length - 1 }];
    default: return [];
  }
}

/** A message segment with a new payload; the header length is fixed up unless told otherwise. */
function withPayload(seg: Segment, payload: Buffer, fixLength = true): Segment {
  const head = Buffer.from(seg.bytes.subarray(0, MESSAGE_HEADER_BYTES));
  if (fixLength) head.writeUInt32BE(payload.length, 1);
  return { kind: 'message', bytes: Buffer.concat([head, payload]) };
}

/** Sets one field of a message to an edge value; text fields get bad UTF-8, a control byte, or grow past their limit. */
function mutateField(r: Rand, seg: Segment): Segment {
  const type = seg.bytes[0] as number;
  const payload = Buffer.from(seg.bytes.subarray(MESSAGE_HEADER_BYTES));
  const fields = fieldsOf(type, payload).filter((f) => f.at < payload.length || f.kind === 'text');
  if (fields.length === 0) return withPayload(seg, Buffer.concat([payload, Buffer.from([int(r, 256)])]));
  const f = pick(r, fields);
  const room = payload.length - f.at;
  switch (f.kind) {
    case 'u8': if (room >= 1) payload.writeUInt8(pick(r, U8), f.at); break;
    case 'u16': if (room >= 2) payload.writeUInt16BE(pick(r, U16), f.at); break;
    case 'u32': if (room >= 4) payload.writeUInt32BE(r() < 0.8 ? pick(r, U32) : int(r, 2 ** 32), f.at); break;
    case 'f32': if (room >= 4) payload.writeFloatBE(pick(r, F64), f.at); break;
    case 'f64': if (room >= 8) payload.writeDoubleBE(pick(r, F64), f.at); break;
    case 'text': {
      // Replace, insert or grow; hello's inner length bytes are kept in step half the time.
      const at = f.at + int(r, f.len + 1);
      const ins = r() < 0.7 ? Buffer.from(pick(r, BAD_UTF8)) : Buffer.alloc(1 + int(r, 300), 0x41);
      const out = Buffer.concat([payload.subarray(0, at), ins, payload.subarray(r() < 0.5 ? Math.min(payload.length, at + ins.length) : at)]);
      const grew = out.length - payload.length;
      if (type === MSG.hello && r() < 0.5) {
        const lenAt = f.at === 9 ? 8 : f.at - 1;
        if (lenAt < out.length) out.writeUInt8(Math.max(0, Math.min(255, (out[lenAt] as number) + grew)), lenAt);
      }
      return withPayload(seg, out);
    }
  }
  return withPayload(seg, payload);
}

/** Changes a header's payload length without touching the payload: the stream is misframed from there on. */
function mutateLength(r: Rand, seg: Segment): Segment {
  const b = Buffer.from(seg.bytes);
  const len = b.readUInt32BE(1);
  const lim = PAYLOAD_LIMITS[b[0] as number] ?? { min: 0, max: 0 };
  const choices = [len - 1, len + 1, len - 2, len + 2, len + int(r, 64), 0, lim.min - 1, lim.min, lim.max, lim.max + 1, 0xffffffff];
  b.writeUInt32BE(Math.max(0, Math.min(0xffffffff, pick(r, choices))), 1);
  return { kind: 'message', bytes: b };
}

/** Gives a message another known type (the payload is then read with the wrong layout), rarely an unknown one. */
function mutateType(r: Rand, seg: Segment): Segment {
  const b = Buffer.from(seg.bytes);
  b[0] = r() < 0.9 ? MSG[pick(r, TYPES)] : pick(r, [0x00, 0x04, 0x0f, 0x12, 0x22, 0x32, 0x41, 0x7e, 0x80, 0xff]);
  return { kind: 'message', bytes: b };
}

/** Inserts, deletes or pads payload bytes (to the type's minimum, one under, or over its maximum), usually fixing the length. */
function resizePayload(r: Rand, seg: Segment): Segment {
  const payload = seg.bytes.subarray(MESSAGE_HEADER_BYTES);
  const lim = PAYLOAD_LIMITS[seg.bytes[0] as number] ?? { min: 0, max: 64 };
  const at = int(r, payload.length + 1);
  let out: Buffer;
  const how = int(r, 4);
  if (how === 0) out = Buffer.concat([payload.subarray(0, at), Buffer.alloc(1 + int(r, 16), int(r, 256)), payload.subarray(at)]);
  else if (how === 1) out = Buffer.concat([payload.subarray(0, at), payload.subarray(Math.min(payload.length, at + 1 + int(r, 16)))]);
  else if (how === 2) out = Buffer.from(payload.subarray(0, Math.max(0, lim.min - int(r, 2))));
  else out = Buffer.concat([payload, Buffer.alloc(Math.max(1, Math.min(lim.max + 1, payload.length + 1 + int(r, 5000)) - payload.length))]);
  return withPayload(seg, out, r() < 0.85);
}

/** Reorders, repeats, drops or inserts whole segments (including a second preamble or a message cut short). */
function splice(r: Rand, segs: Segment[], foreign: () => Segment): Segment[] {
  const out = [...segs];
  const i = 1 + int(r, Math.max(1, out.length - 1));
  const seg = out[i];
  switch (int(r, 7)) {
    case 0: if (seg) out.splice(i, 0, seg); break;
    case 1: if (seg && out.length > 2) out.splice(i, 1); break;
    case 2: {
      const j = 1 + int(r, Math.max(1, out.length - 1));
      const a = out[i];
      const b = out[j];
      if (a && b) { out[i] = b; out[j] = a; }
      break;
    }
    case 3: out.splice(i, 0, foreign()); break;
    case 4: out.splice(i, 0, { kind: 'preamble', bytes: encodePreamble() }); break;
    case 5: if (seg) out.splice(i, 0, ...new Array<Segment>(2 + int(r, 20)).fill(seg)); break;
    default: if (seg) out[i] = { kind: 'message', bytes: seg.bytes.subarray(0, int(r, seg.bytes.length)) };
  }
  return out;
}

/** The preamble with another version (a mismatch) or, rarely, a broken magic byte. */
function mutatePreamble(r: Rand, seg: Segment): Segment {
  const b = Buffer.from(seg.bytes);
  if (r() < 0.7) b.writeUInt16BE(pick(r, [0, 2, 0xffff]), 4);
  else if (r() < 0.5) b[int(r, 4)] = int(r, 256);
  else b.writeUInt16BE(1 + int(r, 0xffff), 6);
  return { kind: 'preamble', bytes: b };
}

/** How often each mutation is chosen. */
const MUTATIONS = { field: 30, length: 12, type: 12, resize: 14, splice: 16, preamble: 3, flip: 5 } as const;

/**
 * Applies 1..3 structure-aware mutations to a stream's segments; returns them and the names of what was done.
 * Field, length, type and resize mutations hit segments from index `from` on (2: leave the preamble and HELLO alone).
 */
export function mutateSegments(r: Rand, segs: Segment[], foreign: () => Segment, from = 1): { segments: Segment[]; done: string[] } {
  let out = segs;
  const done: string[] = [];
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const kind = weighted(r, MUTATIONS);
    done.push(kind);
    const msgs = out.map((s, i) => [s, i] as const).filter(([s, i]) => i >= from && s.kind === 'message' && s.bytes.length >= MESSAGE_HEADER_BYTES);
    const target = msgs.length > 0 ? pick(r, msgs) : null;
    const replace = (s: Segment): void => {
      if (target) out = out.map((x, i) => (i === target[1] ? s : x));
    };
    if (kind === 'splice') out = [...out.slice(0, from - 1), ...splice(r, out.slice(from - 1), foreign)];
    else if (kind === 'preamble') out = out.map((s) => (s.kind === 'preamble' ? mutatePreamble(r, s) : s));
    else if (kind === 'flip') {
      const all = Buffer.concat(out.map((s) => s.bytes));
      for (let k = 1 + int(r, 3); k > 0 && all.length > 8; k--) all[8 + int(r, all.length - 8)] = int(r, 256);
      out = [{ kind: 'preamble', bytes: all.subarray(0, 8) }, { kind: 'message', bytes: all.subarray(8) }];
    } else if (target) {
      const [seg] = target;
      replace(kind === 'field' ? mutateField(r, seg) : kind === 'length' ? mutateLength(r, seg) : kind === 'type' ? mutateType(r, seg) : resizePayload(r, seg));
    }
  }
  return { segments: out, done };
}

/** A decoded message in comparable form (Buffers and Uint8Arrays differ for isDeepStrictEqual). */
function comparable(m: DecodedItem): unknown {
  return m.type === 'video' ? { ...m, jpeg: Buffer.from(m.jpeg).toString('hex') } : m;
}

/** Outcome of one wire case: 'accepted', 'accepted-partial' (stopped inside a message) or the error code. */
export function runWireCase(r: Rand, seed: number): string {
  const mutate = r() >= 0.12;
  const { segments, messages } = randomStream(r);
  const mutated = mutate ? mutateSegments(r, segments, () => messageSegment(randomMessage(r, pick(r, TYPES)))) : { segments, done: [] };
  const whole = Buffer.concat(mutated.segments.map((s) => s.bytes));
  const { bytes, truncated } = maybeTruncate(r, whole, mutated.segments[mutated.segments.length - 1]?.bytes.length ?? 0);
  const d = new WireDecoder();
  const got: DecodedItem[] = [];
  try {
    for (const c of chunked(r, bytes)) got.push(...d.push(c));
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw new FuzzFailure(`wire seed ${seed}: decoder threw ${String(err)}`, { cause: err });
    try {
      d.push(Buffer.from([0]));
    } catch (again) {
      if (again !== err) throw new FuzzFailure(`wire seed ${seed}: a failed decoder threw another error afterwards`);
      return err.code;
    }
    throw new FuzzFailure(`wire seed ${seed}: a failed decoder accepted more bytes`);
  }
  // Oracles: a valid stream decodes to what was encoded; anything accepted re-encodes to the same messages.
  if (!mutate && !truncated && !isDeepStrictEqual(got.slice(1).map(comparable), messages.map(comparable))) {
    throw new FuzzFailure(`wire seed ${seed}: a valid stream did not decode to the messages encoded`);
  }
  for (const m of got) {
    if (m.type === 'preamble') continue;
    const again = new WireDecoder().push(Buffer.concat([encodePreamble(), encodeMessage(m)]))[1];
    if (!again || !isDeepStrictEqual(comparable(again), comparable(m))) throw new FuzzFailure(`wire seed ${seed}: ${m.type} did not survive re-encoding`);
  }
  return d.midMessage ? 'accepted-partial' : 'accepted';
}
