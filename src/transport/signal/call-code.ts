// Call codes: a signalling blob (16b's WebRTC offer or answer) as a short copy-pasteable text, with an expiry, an id
// for replay checks, and a checksum. Integrity against damage only: who can change a code in transit can sit in the
// middle unless the passphrase's PAKE (which binds the DTLS fingerprints in-band) or SSH authenticates (docs/security.md).
import { createHash, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ProtocolError } from '../../shared/errors.js';
import { CALL_CODE_CLOCK_SKEW_S, CALL_CODE_TTL_S, MAX_CALL_CODE_CHARS, MAX_SIGNAL_BLOB_BYTES } from '../../shared/limits.js';
import { base32Decode, base32Encode } from './base32.js';

/** What the codes carry: opaque bytes from the transport (SDP + candidates + DTLS fingerprint, compacted by it). */
export type SignalBlob = Uint8Array;
export type CodeKind = 'offer' | 'answer';

/** Text prefixes: "tco1" an offer, "tca1" an answer (the digit is the layout version). */
export const CODE_PREFIX: Readonly<Record<CodeKind, string>> = { offer: 'tco1', answer: 'tca1' };
/** Bytes of a code's random id (an answer carries its offer's id too). */
export const CODE_ID_BYTES = 8;
/** Bytes of the checksum at the end: truncated SHA-256 over everything before it. */
const CHECK_BYTES = 8;
/** Flag bits. */
const FLAG = { compressed: 1, passphrase: 2 } as const;
/** Domain separation of the checksum. */
const CHECK_LABEL = 'termcall call code v1';
/** A preset deflate dictionary: the strings SDP-derived blobs tend to hold (helps when the blob is text). */
const DICTIONARY = Buffer.from('a=candidate: 1 udp typ host typ srflx raddr rport typ relay a=fingerprint:sha-256 ' +
  'a=ice-ufrag: a=ice-pwd: a=setup:actpass a=setup:active a=mid:0 a=sctp-port:5000 a=max-message-size:262144 ' +
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel c=IN IP4 0.0.0.0 ');

/** A decoded code. */
export interface CallCode {
  readonly kind: CodeKind;
  /** This code's id (hex). */
  readonly id: string;
  /** For an answer: the id of the offer it answers (hex). */
  readonly offerId?: string;
  /** Unix seconds when it was made. */
  readonly createdS: number;
  /** Unix seconds after which it is refused. */
  readonly expiresS: number;
  /** The offerer uses a passphrase: the answerer must give the same one (checked in-band by the PAKE). */
  readonly passphrase: boolean;
  readonly blob: SignalBlob;
}

/** Options for making a code. */
export interface MakeCodeOptions {
  readonly passphrase?: boolean;
  readonly ttlS?: number;
  readonly nowS?: number;
  /** For an answer: the offer it answers. */
  readonly offer?: CallCode;
}

/** A refused code: ERR_CALL_CODE (malformed, damaged, wrong kind), ERR_CALL_CODE_EXPIRED, ERR_CALL_CODE_REPLAYED. */
function refuse(code: 'ERR_CALL_CODE' | 'ERR_CALL_CODE_EXPIRED' | 'ERR_CALL_CODE_REPLAYED', msg: string): never {
  throw new ProtocolError(code, msg);
}

/** The checksum over a code's bytes. */
function checksum(body: Uint8Array): Buffer {
  return createHash('sha256').update(CHECK_LABEL).update(body).digest().subarray(0, CHECK_BYTES);
}

/** Seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Make the text of a code for a blob. */
export function encodeCallCode(kind: CodeKind, blob: SignalBlob, opts: MakeCodeOptions = {}): string {
  if (blob.length === 0 || blob.length > MAX_SIGNAL_BLOB_BYTES) throw new ProtocolError('ERR_CALL_CODE', `a signalling blob of ${blob.length} bytes (1..${MAX_SIGNAL_BLOB_BYTES})`);
  if (kind === 'answer' && !opts.offer) throw new ProtocolError('ERR_CALL_CODE', 'an answer code needs the offer it answers');
  const packed = deflateRawSync(blob, { level: 9, dictionary: DICTIONARY });
  const compressed = packed.length < blob.length;
  const payload = compressed ? packed : Buffer.from(blob);
  const ttl = Math.max(1, Math.min(0xffff, Math.round(opts.ttlS ?? CALL_CODE_TTL_S)));
  const head = Buffer.alloc(8);
  head.writeUInt8(1, 0);
  head.writeUInt8((kind === 'answer' ? 0x80 : 0) | (compressed ? FLAG.compressed : 0) | (opts.passphrase ? FLAG.passphrase : 0), 1);
  head.writeUInt32BE((opts.nowS ?? nowSeconds()) >>> 0, 2);
  head.writeUInt16BE(ttl, 6);
  const ids = kind === 'answer' ? [randomBytes(CODE_ID_BYTES), Buffer.from(opts.offer?.id ?? '', 'hex')] : [randomBytes(CODE_ID_BYTES)];
  const body = Buffer.concat([head, ...ids, payload]);
  return CODE_PREFIX[kind] + base32Encode(Buffer.concat([body, checksum(body)]));
}

/**
 * Read a code's text (spaces, dashes, line breaks and box-drawing lines ignored, as in lines copied off the code
 * dialog with its borders; any case); checks checksum, kind and expiry.
 */
export function decodeCallCode(text: string, expect: CodeKind, nowS: number = nowSeconds()): CallCode {
  if (text.length > MAX_CALL_CODE_CHARS) refuse('ERR_CALL_CODE', `a call code is at most ${MAX_CALL_CODE_CHARS} characters; this is ${text.length}`);
  const clean = text.replace(/[\s\u2500-\u257f-]+/g, '').toLowerCase();
  const kind = (Object.keys(CODE_PREFIX) as CodeKind[]).find((k) => clean.startsWith(CODE_PREFIX[k]));
  if (!kind) refuse('ERR_CALL_CODE', `not a termcall call code (it should start with ${CODE_PREFIX[expect]})`);
  if (kind !== expect) refuse('ERR_CALL_CODE', `that is an ${kind} code; an ${expect} code (${CODE_PREFIX[expect]}…) is expected here`);
  const bytes = base32Decode(clean.slice(CODE_PREFIX[kind].length));
  if (!bytes) refuse('ERR_CALL_CODE', 'the call code has characters that are not in its alphabet (was it cut or mistyped?)');
  const idBytes = kind === 'answer' ? 2 * CODE_ID_BYTES : CODE_ID_BYTES;
  if (bytes.length < 8 + idBytes + 1 + CHECK_BYTES) refuse('ERR_CALL_CODE', 'the call code is too short (was it cut?)');
  const body = bytes.subarray(0, bytes.length - CHECK_BYTES);
  if (!checksum(body).equals(bytes.subarray(bytes.length - CHECK_BYTES))) {
    refuse('ERR_CALL_CODE', 'the call code is damaged or was altered (its checksum does not match): copy it again');
  }
  if (body[0] !== 1) refuse('ERR_CALL_CODE', `the call code has layout version ${body[0] ?? '?'}; this termcall reads version 1 (update termcall)`);
  const flags = body[1] ?? 0;
  if (((flags & 0x80) !== 0) !== (kind === 'answer')) refuse('ERR_CALL_CODE', 'the call code\'s kind does not match its prefix');
  const createdS = body.readUInt32BE(2);
  const expiresS = createdS + body.readUInt16BE(6);
  if (nowS > expiresS) refuse('ERR_CALL_CODE_EXPIRED', `the call code expired ${ago(nowS - expiresS)} ago (it was valid for ${ago(expiresS - createdS)}): ask for a new one`);
  if (createdS > nowS + CALL_CODE_CLOCK_SKEW_S) refuse('ERR_CALL_CODE_EXPIRED', `the call code was made ${ago(createdS - nowS)} in the future: check the clocks`);
  const id = body.subarray(8, 8 + CODE_ID_BYTES).toString('hex');
  const offerId = kind === 'answer' ? body.subarray(8 + CODE_ID_BYTES, 8 + idBytes).toString('hex') : undefined;
  const payload = body.subarray(8 + idBytes);
  let blob: Buffer;
  try {
    blob = flags & FLAG.compressed ? inflateRawSync(payload, { dictionary: DICTIONARY, maxOutputLength: MAX_SIGNAL_BLOB_BYTES }) : payload;
  } catch {
    refuse('ERR_CALL_CODE', `the call code's content does not unpack to at most ${MAX_SIGNAL_BLOB_BYTES} bytes`);
  }
  return { kind, id, ...(offerId ? { offerId } : {}), createdS, expiresS, passphrase: (flags & FLAG.passphrase) !== 0, blob: Uint8Array.from(blob) };
}

/** A duration for messages: "42 s", "3 min", "2 h". */
function ago(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** The caller's check of an answer: it must answer this offer, once. */
export class AnswerCheck {
  private used = false;
  constructor(private readonly offer: CallCode) {}

  /** Decode an answer code for this offer; refuses another offer's answer and a second answer. */
  take(text: string, nowS: number = nowSeconds()): CallCode {
    const a = decodeCallCode(text, 'answer', nowS);
    if (a.offerId !== this.offer.id) refuse('ERR_CALL_CODE', 'this answer code answers another call code, not the one this side made');
    if (this.used) refuse('ERR_CALL_CODE_REPLAYED', 'this call code was already answered: one answer per call code');
    this.used = true;
    return a;
  }
}
