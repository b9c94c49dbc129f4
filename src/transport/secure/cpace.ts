// CPace (draft-irtf-cfrg-cpace, suite CPACE-RISTR255-SHA512) on @noble/curves: the pure math, no I/O.
// Names follow the draft: PRS (the passphrase), CI (channel identifier), sid, ADa/ADb, Ya/Yb, K, ISK.
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';

const Point = ristretto255.Point;
type RPoint = InstanceType<typeof Point>;

/** G_Ristretto255.DSI (draft §"CPace group objects G_Ristretto255"). */
export const CPACE_DSI = utf8ToBytes('CPaceRistretto255');
/** H.s_in_bytes of SHA-512: the input block size the generator string is padded to. */
export const SHA512_BLOCK_BYTES = 128;
/** Encoded group element (and scalar) size. */
export const ELEMENT_BYTES = 32;
/** The encoding of the identity element (G.I): scalar_mult_vfy returns it on any failure. */
const IDENTITY = new Uint8Array(ELEMENT_BYTES);

/** prepend_len(data): LEB128 of the length, then the data (draft appendix "prepend_len"). */
export function prependLen(data: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = data.length;
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n > 0) b |= 0x80;
    len.push(b);
  } while (n > 0);
  return concatBytes(Uint8Array.from(len), data);
}

/** lv_cat(a0, a1, ...): each input with its length prepended. */
export function lvCat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(...parts.map(prependLen));
}

/**
 * Parse exactly `count` lv-encoded fields filling all of `data`; null when the encoding is not exactly that
 * (a wrong length prefix, trailing bytes, an over-long LEB128): the draft says such a message MUST abort.
 */
export function lvSplit(data: Uint8Array, count: number): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  let o = 0;
  for (let i = 0; i < count; i++) {
    let len = 0;
    let shift = 0;
    for (;;) {
      if (o >= data.length || shift > 14) return null;
      const b = data[o++] ?? 0;
      len |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    if (o + len > data.length) return null;
    out.push(data.subarray(o, o + len));
    o += len;
  }
  return o === data.length ? out : null;
}

/** generator_string(DSI, PRS, CI, sid, s_in_bytes): zero padding makes DSI+PRS fill the first hash block. */
export function generatorString(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Uint8Array {
  const zpad = Math.max(0, SHA512_BLOCK_BYTES - 1 - prependLen(prs).length - prependLen(CPACE_DSI).length);
  return lvCat(CPACE_DSI, prs, new Uint8Array(zpad), ci, sid);
}

/** G.calculate_generator: SHA-512 of the generator string (64 bytes), then ristretto255's one-way map (RFC 9496). */
export function calculateGenerator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): RPoint {
  return ristretto255_hasher.deriveToCurve!(sha512(generatorString(prs, ci, sid)));
}

/** A little-endian scalar as a bigint. */
function scalarFromLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  return n;
}

/** G.sample_scalar(): 32 random bytes with the bits above group_size_bits (252) cleared, little-endian. */
export function sampleScalar(random: Uint8Array = randomBytes(ELEMENT_BYTES)): bigint {
  const b = Uint8Array.from(random.subarray(0, ELEMENT_BYTES));
  b[31] = (b[31] ?? 0) & 0x0f;
  const y = scalarFromLE(b);
  // Zero has probability 2^-252; a scalar of zero would give the identity, which the peer rejects anyway.
  return y === 0n ? 1n : y;
}

/** A scalar given as little-endian bytes (test vectors write them that way). */
export function scalarFromBytes(le: Uint8Array): bigint {
  return scalarFromLE(le);
}

/** G.scalar_mult(y, g): encode(y·g). */
export function scalarMult(y: bigint, g: RPoint): Uint8Array {
  return g.multiply(y).toBytes();
}

/** G.scalar_mult_vfy(y, X): decode X (failure gives G.I), multiply, encode. */
export function scalarMultVfy(y: bigint, x: Uint8Array): Uint8Array {
  let p: RPoint;
  try {
    p = Point.fromBytes(x);
  } catch {
    return IDENTITY;
  }
  if (p.is0()) return IDENTITY;
  return p.multiply(y).toBytes();
}

/** True when an encoded element is G.I (the parties MUST abort on it). */
export function isIdentity(k: Uint8Array): boolean {
  return equalBytes(k, IDENTITY);
}

/** transcript_ir(Ya, ADa, Yb, ADb) = lv_cat(Ya, ADa) || lv_cat(Yb, ADb) (initiator-responder setting). */
export function transcriptIr(ya: Uint8Array, ada: Uint8Array, yb: Uint8Array, adb: Uint8Array): Uint8Array {
  return concatBytes(lvCat(ya, ada), lvCat(yb, adb));
}

/** ISK = H.hash(lv_cat(DSI || "_ISK", sid, K) || transcript_ir(...)). */
export function computeIsk(sid: Uint8Array, k: Uint8Array, transcript: Uint8Array): Uint8Array {
  return sha512(concatBytes(lvCat(concatBytes(CPACE_DSI, utf8ToBytes('_ISK')), sid, k), transcript));
}

/** Explicit key confirmation (draft §"Key confirmation"): mac_key = H.hash("CPaceMac" || sid || ISK). */
export function macKey(sid: Uint8Array, isk: Uint8Array): Uint8Array {
  return sha512(concatBytes(utf8ToBytes('CPaceMac'), sid, isk));
}

/** A party's tag over the message it sent: HMAC-SHA512(mac_key, lv_cat(Y, AD)). */
export function confirmTag(key: Uint8Array, y: Uint8Array, ad: Uint8Array): Uint8Array {
  return hmac(sha512, key, lvCat(y, ad));
}

/** Constant-time equality of two byte strings (length is not secret). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return d === 0;
}
