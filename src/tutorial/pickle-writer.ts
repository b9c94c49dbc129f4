// Writes a BGR image as the pickle Python's pickle.loads turns into a numpy uint8 H x W x 3 array.
//
// The bytes are those numpy 1.x writes with pickle protocol 4 (`numpy.core.multiarray._reconstruct`, no FRAME
// opcodes, which are optional): the most widely loadable form. numpy 2 still loads `numpy.core` names (with a
// DeprecationWarning on some versions), Python 3.4+ reads protocol 4.

import { ProtocolError } from '../shared/errors.js';
import { MAX_FRAME_SIDE_PX, TUTORIAL_MAX_FRAME_BYTES } from '../shared/limits.js';
import type { BgrImage } from './pickle.js';

/** Bytes of the "Q" length prefix in front of each pickle on the tutorial wire. */
export const PICKLE_LENGTH_PREFIX_BYTES = 8;

/** Opcode bytes up to the shape: PROTO 4, _reconstruct, ndarray, (0,), b'b', REDUCE, MARK, BININT1 1. */
const HEAD = Buffer.concat([
  Buffer.from([0x80, 0x04]),
  shortUnicode('numpy.core.multiarray'), // memo 0
  shortUnicode('_reconstruct'), // memo 1
  Buffer.from([0x93, 0x94]), // STACK_GLOBAL, memo 2
  shortUnicode('numpy'), // memo 3
  shortUnicode('ndarray'), // memo 4
  Buffer.from([0x93, 0x94]), // memo 5
  Buffer.from([0x4b, 0x00, 0x85, 0x94]), // (0,) memo 6
  Buffer.from([0x43, 0x01, 0x62, 0x94]), // b'b' memo 7
  Buffer.from([0x87, 0x94, 0x52, 0x94]), // TUPLE3 memo 8, REDUCE memo 9
  Buffer.from([0x28, 0x4b, 0x01]), // MARK, version 1
]);

/** Opcode bytes from after the shape to the pixel data: TUPLE3, dtype('u1', False, True) with its state, False. */
const MIDDLE = Buffer.concat([
  Buffer.from([0x87, 0x94]), // shape TUPLE3, memo 10
  Buffer.from([0x68, 0x03]), // BINGET 3 ('numpy')
  shortUnicode('dtype'), // memo 11
  Buffer.from([0x93, 0x94]), // memo 12
  shortUnicode('u1'), // memo 13
  Buffer.from([0x89, 0x88, 0x87, 0x94, 0x52, 0x94]), // False, True, TUPLE3 memo 14, REDUCE memo 15
  Buffer.from([0x28, 0x4b, 0x03]), // MARK, 3
  shortUnicode('|'), // memo 16
  Buffer.from([0x4e, 0x4e, 0x4e, 0x4a, 0xff, 0xff, 0xff, 0xff, 0x4a, 0xff, 0xff, 0xff, 0xff, 0x4b, 0x00]),
  Buffer.from([0x74, 0x94, 0x62]), // TUPLE memo 17, BUILD
  Buffer.from([0x89]), // is_fortran False
]);

/** Opcode bytes after the pixel data: memo, TUPLE, memo, BUILD, STOP. */
const TAIL = Buffer.from([0x94, 0x74, 0x94, 0x62, 0x2e]);

/** SHORT_BINUNICODE + MEMOIZE for an ASCII name. */
function shortUnicode(s: string): Buffer {
  return Buffer.concat([Buffer.from([0x8c, s.length]), Buffer.from(s, 'latin1'), Buffer.from([0x94])]);
}

/** Bytes an int takes the way pickle writes it (BININT1, BININT2 or BININT). */
function intBytes(n: number): number {
  return n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
}

/** Writes an int the way pickle does; returns the new offset. */
function writeInt(out: Buffer, at: number, n: number): number {
  if (n < 0x100) {
    out[at] = 0x4b;
    out[at + 1] = n;
    return at + 2;
  }
  if (n < 0x10000) {
    out[at] = 0x4d;
    out.writeUInt16LE(n, at + 1);
    return at + 3;
  }
  out[at] = 0x4a;
  out.writeInt32LE(n, at + 1);
  return at + 5;
}

/** Checks that an image is a non-empty packed BGR frame within the tutorial limits. */
export function checkBgrImage(img: BgrImage): void {
  const { width, height } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ProtocolError('ERR_BAD_MESSAGE', `frame size ${width}x${height} is not a positive integer size`);
  }
  if (width > MAX_FRAME_SIDE_PX || height > MAX_FRAME_SIDE_PX || width * height * 3 > TUTORIAL_MAX_FRAME_BYTES) {
    throw new ProtocolError('ERR_MESSAGE_TOO_LARGE', `frame ${width}x${height} is over the tutorial frame limits`);
  }
  if (img.data.length !== width * height * 3) {
    throw new ProtocolError('ERR_BAD_MESSAGE', `frame ${width}x${height} needs ${width * height * 3} bytes, has ${img.data.length}`);
  }
}

/** Encodes an image as a pickle; with `lengthPrefix` the 8-byte "Q" prefix of the tutorial wire comes first (one buffer). */
export function writePickledImage(img: BgrImage, lengthPrefix = false): Buffer {
  checkBgrImage(img);
  const n = img.data.length;
  const dataOp = n < 0x100 ? 2 : 5; // SHORT_BINBYTES or BINBYTES (uint32 length: frames are far below 4 GiB)
  const pre = lengthPrefix ? PICKLE_LENGTH_PREFIX_BYTES : 0;
  const pickleLen =
    HEAD.length + intBytes(img.height) + intBytes(img.width) + 2 + MIDDLE.length + dataOp + n + TAIL.length;
  const out = Buffer.allocUnsafe(pre + pickleLen);
  if (lengthPrefix) out.writeBigUInt64LE(BigInt(pickleLen), 0);
  let at = pre + HEAD.copy(out, pre);
  at = writeInt(out, at, img.height);
  at = writeInt(out, at, img.width);
  at = writeInt(out, at, 3);
  at += MIDDLE.copy(out, at);
  if (dataOp === 2) {
    out[at] = 0x43; // SHORT_BINBYTES
    out[at + 1] = n;
  } else {
    out[at] = 0x42; // BINBYTES
    out.writeUInt32LE(n, at + 1);
  }
  at += dataOp;
  out.set(img.data, at);
  at += n;
  TAIL.copy(out, at);
  return out;
}
