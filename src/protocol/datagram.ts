// Whole termcall messages over a lossy datagram lane: fragmentation, loss-tolerant reassembly (an incomplete message
// is dropped, never waited for), and decoding of one complete message. Pure: no sockets.
import { ProtocolError } from '../shared/errors.js';
import {
  FRAGMENT_HEADER_BYTES, MAX_DATAGRAM_BYTES, MAX_PARTIAL_MESSAGES, MESSAGE_HEADER_BYTES, PARITY_HEADER_BYTES,
  PARTIAL_MESSAGE_TIMEOUT_MS,
} from '../shared/limits.js';
import { parsePayload } from './codec.js';
import { PAYLOAD_LIMITS, type Message } from './messages.js';

/**
 * Split one encoded message into datagrams of at most maxBytes (header included), all tagged with id. With
 * parityGroup > 0 and more than one fragment, each group of parityGroup data fragments is followed by a parity
 * fragment (index count + group number; payload: message length u32, group size u16, XOR of the group's parts
 * zero-padded to the fragment room) from which the receiver rebuilds any one lost fragment of the group.
 */
export function fragmentMessage(encoded: Buffer, id: number, maxBytes = MAX_DATAGRAM_BYTES, parityGroup = 0): Buffer[] {
  const parity = parityGroup > 0 && encoded.length > maxBytes - FRAGMENT_HEADER_BYTES;
  const room = maxBytes - FRAGMENT_HEADER_BYTES - (parity ? PARITY_HEADER_BYTES : 0);
  if (room <= 0) throw new RangeError(`datagram size ${maxBytes} leaves no room for data`);
  const count = Math.max(1, Math.ceil(encoded.length / room));
  const groups = parity ? Math.ceil(count / parityGroup) : 0;
  if (count + groups > 0xffff) throw new RangeError(`a message of ${encoded.length} bytes needs more than 65535 fragments`);
  const out: Buffer[] = [];
  const head = (index: number, bytes: number): Buffer => {
    const d = Buffer.alloc(FRAGMENT_HEADER_BYTES + bytes);
    d.writeUInt32BE(id >>> 0, 0);
    d.writeUInt16BE(index, 4);
    d.writeUInt16BE(count, 6);
    return d;
  };
  for (let i = 0; i < count; i++) {
    const part = encoded.subarray(i * room, (i + 1) * room);
    const d = head(i, part.length);
    part.copy(d, FRAGMENT_HEADER_BYTES);
    out.push(d);
    const g = Math.floor(i / parityGroup);
    if (parity && (i === count - 1 || (i + 1) % parityGroup === 0)) out.push(parityFragment(encoded, g, parityGroup, room, head(count + g, PARITY_HEADER_BYTES + room)));
  }
  return out;
}

/** Fill datagram d (header written) with the parity of group g. */
function parityFragment(encoded: Buffer, g: number, group: number, room: number, d: Buffer): Buffer {
  d.writeUInt32BE(encoded.length, FRAGMENT_HEADER_BYTES);
  d.writeUInt16BE(group, FRAGMENT_HEADER_BYTES + 4);
  const x = d.subarray(FRAGMENT_HEADER_BYTES + PARITY_HEADER_BYTES);
  const end = Math.min(encoded.length, (g + 1) * group * room);
  for (let o = g * group * room; o < end; o += room) xorInto(x, encoded.subarray(o, Math.min(end, o + room)));
  return d;
}

/** x ^= part (part no longer than x). */
function xorInto(x: Buffer, part: Uint8Array): void {
  for (let i = 0; i < part.length; i++) x[i] = (x[i] ?? 0) ^ (part[i] ?? 0);
}

/** A message being put back together. */
interface Partial {
  readonly parts: (Buffer | undefined)[];
  have: number;
  bytes: number;
  readonly firstAt: number;
  /** Parity payloads by group number. */
  readonly parity: Map<number, Buffer>;
}

/** Counters of what the reassembler threw away (stats and tests). */
export interface ReassemblyCounters { incomplete: number; malformed: number; late: number; repaired: number }

/**
 * Reassembles datagrams into whole encoded messages. Fragments may come in any order; a message whose fragments do
 * not all arrive within PARTIAL_MESSAGE_TIMEOUT_MS, or that is pushed out by newer ones, is dropped and counted.
 */
export class Reassembler {
  readonly counters: ReassemblyCounters = { incomplete: 0, malformed: 0, late: 0, repaired: 0 };
  private readonly partial = new Map<number, Partial>();
  /** Highest message id completed so far: fragments of older ids are late (their message was given up). */
  private lastDone = -1;

  constructor(private readonly maxMessageBytes: number) {}

  /** Feed one datagram; returns the message it completes, or null. Malformed datagrams are counted and dropped. */
  push(d: Uint8Array, now: number): Buffer | null {
    this.expire(now);
    if (d.length <= FRAGMENT_HEADER_BYTES) { this.counters.malformed++; return null; }
    const b = Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.length);
    const id = b.readUInt32BE(0);
    const index = b.readUInt16BE(4);
    const count = b.readUInt16BE(6);
    if (count === 0 || index >= 2 * count) { this.counters.malformed++; return null; }
    if (id <= this.lastDone) { this.counters.late++; return null; }
    const data = b.subarray(FRAGMENT_HEADER_BYTES);
    if (count === 1 && index === 0) return this.done(id, data);
    let p = this.partial.get(id);
    if (!p) {
      while (this.partial.size >= MAX_PARTIAL_MESSAGES) this.dropOldest();
      p = { parts: new Array<Buffer | undefined>(count), have: 0, bytes: 0, firstAt: now, parity: new Map() };
      this.partial.set(id, p);
    }
    if (p.parts.length !== count) { this.counters.malformed++; return null; }
    let g: number;
    if (index >= count) {
      g = index - count;
      if (p.parity.has(g) || data.length <= PARITY_HEADER_BYTES || data.length > this.maxMessageBytes) return null;
      p.parity.set(g, Buffer.from(data));
    } else {
      if (p.parts[index]) return null; // a duplicate
      if (!this.keep(id, p, index, Buffer.from(data))) return null; // copy: the datagram's buffer may be reused
      g = -1;
    }
    for (const [pg, par] of p.parity) if (g < 0 || pg === g) this.repair(id, p, pg, par);
    if (!this.partial.has(id) || p.have < count) return null;
    this.partial.delete(id);
    return this.done(id, Buffer.concat(p.parts as Buffer[], p.bytes));
  }

  /** Store one data part; false (and the message given up) when it goes over the byte bound. */
  private keep(id: number, p: Partial, index: number, part: Buffer): boolean {
    p.bytes += part.length;
    if (p.bytes > this.maxMessageBytes) {
      this.partial.delete(id);
      this.lastDone = Math.max(this.lastDone, id); // its remaining fragments are late, not a new message
      this.counters.malformed++;
      return false;
    }
    p.parts[index] = part;
    p.have++;
    return true;
  }

  /** With group g's parity and all but one of its parts, rebuild the missing part. Inconsistent parity is ignored. */
  private repair(id: number, p: Partial, g: number, par: Buffer): void {
    const total = par.readUInt32BE(0);
    const group = par.readUInt16BE(4);
    const room = par.length - PARITY_HEADER_BYTES;
    const count = p.parts.length;
    if (group === 0 || g * group >= count || Math.ceil(total / room) !== count) return;
    let missing = -1;
    for (let i = g * group; i < Math.min(count, (g + 1) * group); i++) {
      if (p.parts[i]) continue;
      if (missing >= 0) return; // two or more lost: parity cannot help
      missing = i;
    }
    if (missing < 0) return;
    const x = Buffer.from(par.subarray(PARITY_HEADER_BYTES));
    for (let i = g * group; i < Math.min(count, (g + 1) * group); i++) if (i !== missing) xorInto(x, p.parts[i] as Buffer);
    const len = Math.min(room, total - missing * room);
    if (len <= 0) return;
    if (this.keep(id, p, missing, x.subarray(0, len))) this.counters.repaired++;
  }

  /** Messages waiting for fragments right now. */
  get pendingCount(): number {
    return this.partial.size;
  }

  /** A message completed: forget every older incomplete one (it can no longer be shown in order). */
  private done(id: number, msg: Buffer): Buffer {
    for (const k of [...this.partial.keys()]) {
      if (k < id) { this.partial.delete(k); this.counters.incomplete++; }
    }
    this.lastDone = id;
    return msg;
  }

  /** Drop messages that waited too long for their missing fragments. */
  private expire(now: number): void {
    for (const [k, p] of this.partial) {
      if (now - p.firstAt > PARTIAL_MESSAGE_TIMEOUT_MS) { this.partial.delete(k); this.counters.incomplete++; }
    }
  }

  /** Make room: the oldest incomplete message goes. */
  private dropOldest(): void {
    const first = this.partial.keys().next();
    if (first.done) return;
    this.partial.delete(first.value);
    this.counters.incomplete++;
  }
}

/** Decode exactly one whole encoded message (header + payload), checking its type's limits first. */
export function decodeWholeMessage(b: Buffer): Message {
  if (b.length < MESSAGE_HEADER_BYTES) throw new ProtocolError('ERR_BAD_MESSAGE', `a datagram message of ${b.length} bytes has no header`);
  const type = b.readUInt8(0);
  const len = b.readUInt32BE(1);
  const limit = PAYLOAD_LIMITS[type];
  if (!limit) throw new ProtocolError('ERR_UNKNOWN_MESSAGE', `message type 0x${type.toString(16)} is not known`);
  if (len > limit.max) throw new ProtocolError('ERR_MESSAGE_TOO_LARGE', `${limit.name} message of ${len} bytes exceeds its limit of ${limit.max}`);
  if (len < limit.min || MESSAGE_HEADER_BYTES + len !== b.length) {
    throw new ProtocolError('ERR_BAD_MESSAGE', `${limit.name} datagram of ${b.length} bytes does not match its length field ${len}`);
  }
  return parsePayload(type, b.subarray(MESSAGE_HEADER_BYTES));
}
