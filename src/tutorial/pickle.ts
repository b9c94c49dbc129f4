// A safe, non-executing reader for the one kind of pickle the Python tutorials send: pickle.dumps(uint8 numpy array).
//
// Nothing is ever imported or called. The reader is a tiny stack machine that knows only the opcodes numpy array
// pickles use (protocols 2-5, numpy 1.x `numpy.core` and 2.x `numpy._core` names) and models the five callables
// that may appear as inert tags, each checked against the exact arguments numpy writes:
//   _reconstruct(ndarray, (0,), b'b')                 protocols 2-4 (and 5 for non-contiguous arrays) + BUILD state
//   dtype('u1', False, True)                          + BUILD state (3, '|', None, None, None, -1, -1, 0)
//   _frombuffer(buf, dtype, shape, 'C')               protocol 5 (in-band BYTEARRAY8)
//   _codecs.encode(text, 'latin1')                    protocol 2 stores bytes as latin-1 text
// Shapes accepted: (H, W, 3) BGR, and grayscale (H, W) or (H, W, 1), which is expanded to BGR.
// Anything else (opcode, global, argument, dtype, shape, Fortran order, size, trailing bytes) throws
// ProtocolError('ERR_PICKLE_REJECTED'). Opcode reference: CPython Lib/pickletools.py; numpy: numpy/_core/numeric.py,
// multiarray methods.c array_reduce_ex / array_setstate, descriptor.c arraydescr_reduce.

import { TUTORIAL_PICKLE_MAX_OPCODES } from '../shared/limits.js';
import {
  ALLOWED_GLOBALS,
  build,
  describe,
  MARK_VALUE,
  MAX_NAME_CHARS,
  MAX_PROTOCOL,
  MIN_PROTOCOL,
  reduce,
  reject,
  shortText,
  type BgrImage,
  type Value,
} from './pickle-objects.js';

export { latin1FromUtf8, type BgrImage } from './pickle-objects.js';

/** Pickle opcodes this reader understands (pickletools names), and nothing else. */
export const OP = {
  MARK: 0x28, // (
  STOP: 0x2e, // .
  BININT: 0x4a, // J  int32 LE signed
  BININT1: 0x4b, // K  uint8
  BININT2: 0x4d, // M  uint16 LE
  NONE: 0x4e, // N
  REDUCE: 0x52, // R
  BINUNICODE: 0x58, // X  uint32 length + UTF-8
  EMPTY_TUPLE: 0x29, // )
  BUILD: 0x62, // b
  GLOBAL: 0x63, // c  "module\nname\n"
  BINGET: 0x68, // h  uint8
  LONG_BINGET: 0x6a, // j  uint32
  BINPUT: 0x71, // q  uint8
  LONG_BINPUT: 0x72, // r  uint32
  TUPLE: 0x74, // t
  PROTO: 0x80,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  BINBYTES: 0x42, // B  uint32 length (protocol 3)
  SHORT_BINBYTES: 0x43, // C  uint8 length (protocol 3)
  SHORT_BINUNICODE: 0x8c, // protocol 4
  BINUNICODE8: 0x8d,
  BINBYTES8: 0x8e,
  STACK_GLOBAL: 0x93,
  MEMOIZE: 0x94,
  FRAME: 0x95,
  BYTEARRAY8: 0x96, // protocol 5
} as const;

/** Reads one numpy uint8 image from a pickle without executing anything; throws ProtocolError on anything else. */
export function readPickledImage(bytes: Uint8Array): BgrImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const stack: Value[] = [];
  const memo = new Map<number, Value>();
  let pos = 0;
  let ops = 0;

  const need = (n: number, what: string): void => {
    if (n > buf.length - pos) reject(`truncated in ${what} at byte ${pos} of ${buf.length}`);
  };
  const pop = (what: string): Value => {
    const v = stack.pop();
    if (v === undefined || v === MARK_VALUE) reject(`stack underflow in ${what}`);
    return v;
  };
  const popMark = (what: string): Value[] => {
    const at = stack.lastIndexOf(MARK_VALUE);
    if (at < 0) reject(`${what} without MARK`);
    const items = stack.splice(at);
    items.shift();
    return items;
  };
  const memoKey = (i: number): number => {
    if (i >= TUTORIAL_PICKLE_MAX_OPCODES) reject(`memo index ${i} over TUTORIAL_PICKLE_MAX_OPCODES`);
    return i;
  };
  const text = (start: number, len: number): Value => ({ k: 'str', utf8: buf.subarray(start, start + len) });
  const lookupGlobal = (mod: string, name: string): Value => {
    const g = ALLOWED_GLOBALS.get(mod)?.get(name);
    if (g === undefined) reject(`global ${mod}.${name} is not allowed (only numpy array globals are)`);
    return { k: 'global', g };
  };

  need(2, 'PROTO');
  if (buf[0] !== OP.PROTO) reject('does not start with PROTO (protocols 2-5 only)');
  const proto = buf[1] as number;
  if (proto < MIN_PROTOCOL || proto > MAX_PROTOCOL) reject(`protocol ${proto} (only 2-5)`);
  pos = 2;

  for (;;) {
    need(1, 'opcode');
    const op = buf[pos++] as number;
    if (++ops > TUTORIAL_PICKLE_MAX_OPCODES) reject(`more than TUTORIAL_PICKLE_MAX_OPCODES (${TUTORIAL_PICKLE_MAX_OPCODES}) opcodes`);
    switch (op) {
      case OP.FRAME: {
        need(8, 'FRAME');
        const len = buf.readBigUInt64LE(pos);
        pos += 8;
        if (len > BigInt(buf.length - pos)) reject(`truncated: FRAME of ${len} bytes at byte ${pos}`);
        break;
      }
      case OP.MARK:
        stack.push(MARK_VALUE);
        break;
      case OP.NONE:
        stack.push(null);
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NEWFALSE:
        stack.push(false);
        break;
      case OP.BININT1:
        need(1, 'BININT1');
        stack.push(buf[pos++] as number);
        break;
      case OP.BININT2:
        need(2, 'BININT2');
        stack.push(buf.readUInt16LE(pos));
        pos += 2;
        break;
      case OP.BININT:
        need(4, 'BININT');
        stack.push(buf.readInt32LE(pos));
        pos += 4;
        break;
      case OP.SHORT_BINUNICODE: {
        need(1, 'SHORT_BINUNICODE');
        const len = buf[pos++] as number;
        need(len, 'SHORT_BINUNICODE');
        stack.push(text(pos, len));
        pos += len;
        break;
      }
      case OP.BINUNICODE: {
        need(4, 'BINUNICODE');
        const len = buf.readUInt32LE(pos);
        pos += 4;
        need(len, 'BINUNICODE');
        stack.push(text(pos, len));
        pos += len;
        break;
      }
      case OP.SHORT_BINBYTES: {
        need(1, 'SHORT_BINBYTES');
        const len = buf[pos++] as number;
        need(len, 'SHORT_BINBYTES');
        stack.push({ k: 'bytes', b: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case OP.BINBYTES: {
        need(4, 'BINBYTES');
        const len = buf.readUInt32LE(pos);
        pos += 4;
        need(len, 'BINBYTES');
        stack.push({ k: 'bytes', b: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case OP.BINUNICODE8:
      case OP.BINBYTES8:
      case OP.BYTEARRAY8: {
        need(8, 'length');
        const big = buf.readBigUInt64LE(pos);
        pos += 8;
        if (big > BigInt(buf.length - pos)) reject(`truncated: ${big}-byte string at byte ${pos}`);
        const len = Number(big);
        stack.push(op === OP.BINUNICODE8 ? text(pos, len) : { k: 'bytes', b: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case OP.GLOBAL: {
        const nl1 = buf.indexOf(0x0a, pos);
        const nl2 = nl1 < 0 ? -1 : buf.indexOf(0x0a, nl1 + 1);
        if (nl1 < 0 || nl2 < 0 || nl2 - pos > 2 * MAX_NAME_CHARS) reject(`GLOBAL at byte ${pos - 1} is not two short lines`);
        const mod = shortText(buf.subarray(pos, nl1), 'module name');
        const name = shortText(buf.subarray(nl1 + 1, nl2), 'global name');
        pos = nl2 + 1;
        stack.push(lookupGlobal(mod, name));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop('STACK_GLOBAL');
        const mod = pop('STACK_GLOBAL');
        if (!mod || typeof mod !== 'object' || mod.k !== 'str' || !name || typeof name !== 'object' || name.k !== 'str') {
          reject('STACK_GLOBAL needs two str');
        }
        stack.push(lookupGlobal(shortText(mod.utf8, 'module name'), shortText(name.utf8, 'global name')));
        break;
      }
      case OP.EMPTY_TUPLE:
        stack.push({ k: 'tuple', items: [] });
        break;
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3: {
        const n = op - OP.TUPLE1 + 1;
        const items: Value[] = [];
        for (let i = 0; i < n; i++) items.unshift(pop('TUPLE'));
        stack.push({ k: 'tuple', items });
        break;
      }
      case OP.TUPLE:
        stack.push({ k: 'tuple', items: popMark('TUPLE') });
        break;
      case OP.BINPUT:
      case OP.LONG_BINPUT:
      case OP.MEMOIZE: {
        let i: number;
        if (op === OP.BINPUT) {
          need(1, 'BINPUT');
          i = buf[pos++] as number;
        } else if (op === OP.LONG_BINPUT) {
          need(4, 'LONG_BINPUT');
          i = buf.readUInt32LE(pos);
          pos += 4;
        } else {
          i = memo.size;
        }
        const top = stack[stack.length - 1];
        if (top === undefined || top === MARK_VALUE) reject('memoizing an empty stack');
        memo.set(memoKey(i), top);
        break;
      }
      case OP.BINGET:
      case OP.LONG_BINGET: {
        let i: number;
        if (op === OP.BINGET) {
          need(1, 'BINGET');
          i = buf[pos++] as number;
        } else {
          need(4, 'LONG_BINGET');
          i = buf.readUInt32LE(pos);
          pos += 4;
        }
        const v = memo.get(i);
        if (v === undefined) reject(`memo ${i} is empty`);
        stack.push(v);
        break;
      }
      case OP.REDUCE: {
        const args = pop('REDUCE');
        const fn = pop('REDUCE');
        stack.push(reduce(fn, args));
        break;
      }
      case OP.BUILD: {
        const state = pop('BUILD');
        const target = stack[stack.length - 1];
        if (target === undefined || target === MARK_VALUE) reject('BUILD on an empty stack');
        build(target, state);
        break;
      }
      case OP.STOP: {
        if (pos !== buf.length) reject(`${buf.length - pos} bytes after STOP`);
        const result = stack.pop();
        if (stack.length !== 0) reject(`${stack.length} values left on the stack`);
        if (!result || typeof result !== 'object' || result.k !== 'array' || !result.built || !result.image) {
          reject(`result is ${result === undefined ? 'nothing' : describe(result)}, not a uint8 array`);
        }
        return result.image;
      }
      default:
        reject(`opcode 0x${op.toString(16).padStart(2, '0')} at byte ${pos - 1} is not used by numpy arrays`);
    }
  }
}
