// The passphrase as a PAKE: CPace (ristretto255, SHA-512) with explicit key confirmation, over any reliable carrier.
// Construction and threat model in docs/security.md ("The construction").
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { ProtocolError, type ErrorCode } from '../../shared/errors.js';
import { PAKE_TIMEOUT_MS } from '../../shared/limits.js';
import {
  ELEMENT_BYTES, calculateGenerator, computeIsk, confirmTag, equalBytes, isIdentity, lvCat, lvSplit, macKey,
  sampleScalar, scalarMult, scalarMultVfy, transcriptIr,
} from './cpace.js';
import { toChannel, type PakeChannel, type PakeTransport } from './pake-channel.js';

export type { PakeChannel, PakeTransport } from './pake-channel.js';

/** initiator: the side that speaks first (the dialer, the side that made the call code); responder: the other. */
export type PakeRole = 'initiator' | 'responder';

/** ADa = ADb: names the construction and its version, so a peer with another one fails with a version error. */
export const PAKE_AD = utf8ToBytes('termcall-pake/1 cpace-ristretto255-sha512');
/** What every version of the construction starts its AD with. */
const PAKE_AD_PREFIX = utf8ToBytes('termcall-pake/');
/** Bytes of the initiator's random session id (the draft: at least 8). */
export const PAKE_SID_BYTES = 16;
/** Bytes of the key runPake returns. */
export const PAKE_KEY_BYTES = 32;
/** HKDF info for the output key: ISK is an intermediate key and is never used directly (draft §"Key derivation"). */
const KEY_INFO = utf8ToBytes('termcall-pake/1 session key');

/** Message kinds, the first byte of each PAKE message. */
export const PAKE_MSG = { start: 0x01, reply: 0x02, confirm: 0x03, fail: 0x0f } as const;
/** Why a side gave up, sent in a fail message so the other side can say so too. */
export const PAKE_FAIL = { auth: 1, version: 2, malformed: 3 } as const;

/** A PAKE failure. guessTested: the peer got far enough to test one passphrase guess (a listener counts it). */
export class PakeError extends ProtocolError {
  constructor(code: ErrorCode, message: string, readonly guessTested = false, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The CI input: binds roles (no reflection of a side's own messages) and the carrier's binding bytes. */
export function channelIdentifier(binding: Uint8Array): Uint8Array {
  return lvCat(utf8ToBytes('termcall'), utf8ToBytes('initiator'), utf8ToBytes('responder'), binding);
}

/** The passphrase as CPace's PRS: UTF-8 of its Unicode NFC form, so the same words typed elsewhere match. */
export function passphraseBytes(secret: string): Uint8Array {
  return utf8ToBytes(secret.normalize('NFC'));
}

/** The output key: HKDF-SHA512(ISK, salt = sid) — what TLS-PSK or a data channel gate is keyed with. */
function outputKey(isk: Uint8Array, sid: Uint8Array): Uint8Array {
  return hkdf(sha512, isk, sid, KEY_INFO, PAKE_KEY_BYTES);
}

/** A fail message. */
function failMsg(reason: number): Uint8Array {
  return Uint8Array.of(PAKE_MSG.fail, reason);
}

/** The error for a fail message received from the peer. */
function peerFailError(m: Uint8Array, guessTested: boolean): PakeError {
  if (m[1] === PAKE_FAIL.auth) return new PakeError('ERR_AUTH_FAILED', 'the passphrase does not match the peer\'s (the peer says so)', guessTested);
  if (m[1] === PAKE_FAIL.version) return new PakeError('ERR_VERSION_MISMATCH', 'the peer uses another version of the passphrase key exchange: update termcall on both sides', guessTested);
  return new PakeError('ERR_SECURE_HANDSHAKE', 'the peer could not read this side\'s key-exchange message', guessTested);
}

/** Body of a message of the expected kind; a fail message or another kind becomes the matching error. */
function expect(m: Uint8Array, kind: number, guessTested: boolean): Uint8Array {
  if (m[0] === PAKE_MSG.fail && m.length === 2) throw peerFailError(m, guessTested);
  if (m[0] !== kind) throw new PakeError('ERR_SECURE_HANDSHAKE', `an unexpected key-exchange message (kind ${m[0] ?? '?'}, expected ${kind})`, guessTested);
  return m.subarray(1);
}

/** Initiator: start → (reply with Yb, ADb, Tb) → confirm with Ta; returns the key once Tb checks out. */
async function initiate(ch: PakeChannel, prs: Uint8Array, ci: Uint8Array, progress: Progress): Promise<Uint8Array> {
  const sid = randomBytes(PAKE_SID_BYTES);
  const ya = sampleScalar();
  const Ya = scalarMult(ya, calculateGenerator(prs, ci, sid));
  ch.send(concatBytes(Uint8Array.of(PAKE_MSG.start), lvCat(sid, Ya, PAKE_AD)));
  progress.guessTested = true;
  const f = lvSplit(expect(await ch.receive(), PAKE_MSG.reply, true), 3);
  if (!f) return fail(ch, PAKE_FAIL.malformed, 'ERR_SECURE_HANDSHAKE', 'the peer\'s key-exchange reply is malformed', true);
  const [Yb = new Uint8Array(), adb = new Uint8Array(), tb = new Uint8Array()] = f;
  if (!equalBytes(adb, PAKE_AD)) return fail(ch, PAKE_FAIL.version, 'ERR_VERSION_MISMATCH', versionText(adb), true);
  const K = scalarMultVfy(ya, Yb);
  if (Yb.length !== ELEMENT_BYTES || isIdentity(K)) return fail(ch, PAKE_FAIL.malformed, 'ERR_SECURE_HANDSHAKE', 'the peer sent an invalid key share', true);
  const isk = computeIsk(sid, K, transcriptIr(Ya, PAKE_AD, Yb, adb));
  const mk = macKey(sid, isk);
  if (!equalBytes(tb, confirmTag(mk, Yb, adb))) return fail(ch, PAKE_FAIL.auth, 'ERR_AUTH_FAILED', 'the passphrase does not match the peer\'s', true);
  ch.send(concatBytes(Uint8Array.of(PAKE_MSG.confirm), lvCat(confirmTag(mk, Ya, PAKE_AD))));
  return outputKey(isk, sid);
}

/** Responder: read start, reply with Yb, ADb and Tb, then check the initiator's Ta. */
async function respond(ch: PakeChannel, prs: Uint8Array, ci: Uint8Array, progress: Progress): Promise<Uint8Array> {
  const f = lvSplit(expect(await ch.receive(), PAKE_MSG.start, false), 3);
  if (!f) return fail(ch, PAKE_FAIL.malformed, 'ERR_SECURE_HANDSHAKE', 'the peer\'s key-exchange start is malformed', false);
  const [sid = new Uint8Array(), Ya = new Uint8Array(), ada = new Uint8Array()] = f;
  if (!equalBytes(ada, PAKE_AD)) return fail(ch, PAKE_FAIL.version, 'ERR_VERSION_MISMATCH', versionText(ada), false);
  if (sid.length < 8 || sid.length > 64) return fail(ch, PAKE_FAIL.malformed, 'ERR_SECURE_HANDSHAKE', `a session id of ${sid.length} bytes`, false);
  const yb = sampleScalar();
  const Yb = scalarMult(yb, calculateGenerator(prs, ci, sid));
  const K = scalarMultVfy(yb, Ya);
  if (Ya.length !== ELEMENT_BYTES || isIdentity(K)) return fail(ch, PAKE_FAIL.malformed, 'ERR_SECURE_HANDSHAKE', 'the peer sent an invalid key share', false);
  const isk = computeIsk(sid, K, transcriptIr(Ya, ada, Yb, PAKE_AD));
  const mk = macKey(sid, isk);
  ch.send(concatBytes(Uint8Array.of(PAKE_MSG.reply), lvCat(Yb, PAKE_AD, confirmTag(mk, Yb, PAKE_AD))));
  // From here the peer holds a tag it can test one guess against: every way this ends but success is a failed attempt.
  progress.guessTested = true;
  const c = lvSplit(expect(await ch.receive(), PAKE_MSG.confirm, true), 1);
  if (!c) return fail(ch, PAKE_FAIL.malformed, 'ERR_SECURE_HANDSHAKE', 'the peer\'s key confirmation is malformed', true);
  if (!equalBytes(c[0] ?? new Uint8Array(), confirmTag(mk, Ya, ada))) return fail(ch, PAKE_FAIL.auth, 'ERR_AUTH_FAILED', 'the passphrase does not match the peer\'s', true);
  return outputKey(isk, sid);
}

/** How far an exchange got: guessTested once the peer holds (or was sent) a value keyed by this side's passphrase. */
interface Progress { guessTested: boolean }

/** Tell the peer why, then throw. */
function fail(ch: PakeChannel, reason: number, code: ErrorCode, message: string, guessTested: boolean): never {
  ch.send(failMsg(reason));
  throw new PakeError(code, message, guessTested);
}

/** The text of a version error, naming what the peer announced when it is printable. */
function versionText(ad: Uint8Array): string {
  const known = ad.length >= PAKE_AD_PREFIX.length && equalBytes(ad.subarray(0, PAKE_AD_PREFIX.length), PAKE_AD_PREFIX);
  const shown = known ? `"${new TextDecoder().decode(ad).replace(/[^\x20-\x7e]/g, '?').slice(0, 64)}"` : 'an unknown construction';
  return `the peer uses another version of the passphrase key exchange (${shown}, this side "${new TextDecoder().decode(PAKE_AD)}"): update termcall on both sides`;
}

export interface PakeOptions {
  /** The whole exchange must finish within this time (default PAKE_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** Who the peer is, for error messages ("caller 192.0.2.7:4242"). */
  readonly who?: string;
}

/**
 * Run CPace over a stream (u16-framed, before TLS) or a message channel. Both sides pass the same passphrase and the
 * same binding bytes (channel binding: e.g. both DTLS fingerprints in initiator, responder order; empty over TCP).
 * Resolves with a 32-byte key both sides share; rejects with a PakeError (ERR_AUTH_FAILED, ERR_VERSION_MISMATCH,
 * ERR_SECURE_HANDSHAKE, ERR_HANDSHAKE_TIMEOUT, ERR_PEER_CLOSED) on either side when they differ.
 */
export async function runPake(t: PakeTransport, secret: string, role: PakeRole, binding: Uint8Array = new Uint8Array(), opts: PakeOptions = {}): Promise<Uint8Array> {
  const ch = toChannel(t);
  const ms = opts.timeoutMs ?? PAKE_TIMEOUT_MS;
  const progress: Progress = { guessTested: false };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new PakeError('ERR_HANDSHAKE_TIMEOUT', `the passphrase key exchange did not finish within ${ms} ms`, progress.guessTested)), ms);
  });
  const prs = passphraseBytes(secret);
  const ci = channelIdentifier(binding);
  try {
    return await Promise.race([role === 'initiator' ? initiate(ch, prs, ci, progress) : respond(ch, prs, ci, progress), timeout]);
  } catch (err) {
    const e = err instanceof PakeError ? err
      : err instanceof ProtocolError ? new PakeError(err.code, err.message, progress.guessTested, { cause: err })
        : new PakeError('ERR_SECURE_HANDSHAKE', `the passphrase key exchange failed: ${String(err)}`, false, { cause: err });
    throw opts.who ? new PakeError(e.code, `${opts.who}: ${e.message}`, e.guessTested, { cause: e.cause }) : e;
  } finally {
    clearTimeout(timer);
    ch.release();
  }
}
