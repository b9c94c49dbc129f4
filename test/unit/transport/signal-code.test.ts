// Call codes: round trip, compactness, and every way a code is refused (damaged, altered, wrong kind, expired, from the
// future, replayed, another offer's answer, too long, a zip bomb) with a clear message.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { createHash, randomBytes } from 'node:crypto';
import { AnswerCheck, decodeCallCode, encodeCallCode } from '../../../src/transport/signal/call-code.js';
import { base32Decode, base32Encode } from '../../../src/transport/signal/base32.js';
import { AnsweredCodes } from '../../../src/transport/signal/replay.js';
import { CALL_CODE_TTL_S, MAX_CALL_CODE_CHARS, MAX_SIGNAL_BLOB_BYTES } from '../../../src/shared/limits.js';

const NOW = 1_800_000_000;
/** A blob like 16b's: magic, fingerprint, ICE credentials, two candidates (binary, ~100 bytes). */
const BLOB = Uint8Array.from([0x54, 0x57, 1, 0, ...randomBytes(32), ...Buffer.from('ufrag1pwdpwdpwdpwdpwdpwdpwd'), ...randomBytes(40)]);
/** An SDP-like text blob: compresses well with the dictionary. */
const SDP = Buffer.from('v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\n' +
  'a=ice-pwd:0123456789abcdef012345\r\na=fingerprint:sha-256 ' + [...randomBytes(32)].map((b) => b.toString(16).padStart(2, '0')).join(':') +
  '\r\na=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=candidate:1 1 udp 2122260223 192.0.2.7 40000 typ host\r\n');

const throwsCode = (fn: () => unknown, code: string, re: RegExp): void => assert.throws(fn, (e: unknown) => {
  const err = e as { code?: string; message?: string };
  assert.equal(err.code, code, err.message);
  assert.match(err.message ?? '', re);
  return true;
});

test('base32 round-trips any bytes and refuses letters outside the alphabet', () => {
  for (let n = 0; n < 40; n++) {
    const b = randomBytes(n);
    assert.deepEqual(base32Decode(base32Encode(b)), b);
  }
  assert.equal(base32Decode('u0'), null, 'u is not in Crockford base32');
  assert.deepEqual(base32Decode('o0'), base32Decode('00'), 'o reads as 0');
});

test('an offer and its answer round-trip; the text is compact and copy-pasteable (one token of [0-9a-z])', () => {
  const code = encodeCallCode('offer', BLOB, { nowS: NOW, passphrase: true });
  assert.match(code, /^tco1[0-9a-z]+$/);
  assert.ok(code.length < 220, `${code.length} chars for a ${BLOB.length}-byte blob`);
  const offer = decodeCallCode(code, 'offer', NOW + 5);
  assert.deepEqual(offer.blob, BLOB);
  assert.equal(offer.passphrase, true);
  assert.equal(offer.expiresS, NOW + CALL_CODE_TTL_S);
  const answerText = encodeCallCode('answer', BLOB.slice().reverse(), { nowS: NOW + 5, offer });
  assert.match(answerText, /^tca1/);
  const check = new AnswerCheck(offer);
  const answer = check.take(answerText, NOW + 6);
  assert.deepEqual(answer.blob, BLOB.slice().reverse());
  // Wrapped, spaced, upper-cased by a chat program: still the same code.
  const mangled = code.toUpperCase().replace(/(.{20})/g, '$1\n  ').replace(/(.{7})/, '$1-');
  assert.deepEqual(decodeCallCode(mangled, 'offer', NOW).blob, BLOB);
  // Lines copied off the code dialog with its borders (a triple-click selects the whole row).
  const boxed = code.match(/.{1,64}/g)?.map((l) => `   │ ${l.padEnd(64)} │`).join('\n') ?? '';
  assert.deepEqual(decodeCallCode(boxed, 'offer', NOW).blob, BLOB);
});

test('an SDP-text blob is deflated with the preset dictionary (smaller than plain deflate)', () => {
  const code = encodeCallCode('offer', SDP, { nowS: NOW });
  assert.deepEqual(Buffer.from(decodeCallCode(code, 'offer', NOW).blob), SDP);
  const plainDeflateChars = Math.ceil(deflateRawSync(SDP, { level: 9 }).length * 8 / 5);
  assert.ok(code.length < plainDeflateChars, `${code.length} chars with the dictionary vs ${plainDeflateChars} without`);
});

test('a damaged or altered code is refused: every single-character change, a cut, a wrong kind', () => {
  const code = encodeCallCode('offer', BLOB, { nowS: NOW });
  let refused = 0;
  for (let i = 4; i < code.length; i++) {
    const c = code[i] === 'a' ? 'b' : 'a';
    const bad = code.slice(0, i) + c + code.slice(i + 1);
    try { decodeCallCode(bad, 'offer', NOW); } catch (e) { if ((e as { code?: string }).code === 'ERR_CALL_CODE') refused++; }
  }
  assert.equal(refused, code.length - 4, 'every altered character is caught');
  throwsCode(() => decodeCallCode(code.slice(0, 30), 'offer', NOW), 'ERR_CALL_CODE', /damaged|too short|alphabet/);
  throwsCode(() => decodeCallCode(code, 'answer', NOW), 'ERR_CALL_CODE', /offer code; an answer code/);
  throwsCode(() => decodeCallCode('hello there', 'offer', NOW), 'ERR_CALL_CODE', /not a termcall call code/);
  throwsCode(() => decodeCallCode('tco1' + 'u'.repeat(40), 'offer', NOW), 'ERR_CALL_CODE', /alphabet/);
  throwsCode(() => decodeCallCode('tco1' + '0'.repeat(MAX_CALL_CODE_CHARS), 'offer', NOW), 'ERR_CALL_CODE', /at most 4096 characters/);
});

test('expired codes and codes from the far future are refused with how long ago', () => {
  const code = encodeCallCode('offer', BLOB, { nowS: NOW, ttlS: 60 });
  assert.ok(decodeCallCode(code, 'offer', NOW + 60));
  throwsCode(() => decodeCallCode(code, 'offer', NOW + 61 + 180), 'ERR_CALL_CODE_EXPIRED', /expired 3 min ago .*valid for 60 s.*new one/);
  throwsCode(() => decodeCallCode(code, 'offer', NOW - 3600), 'ERR_CALL_CODE_EXPIRED', /in the future: check the clocks/);
});

test('replays: an offer answered once is refused the second time (across runs, via the file); one answer per offer; another offer\'s answer', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-codes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const offer = decodeCallCode(encodeCallCode('offer', BLOB, { nowS: NOW }), 'offer', NOW);
  new AnsweredCodes(join(dir, 'answered.json')).claim(offer, NOW);
  throwsCode(() => new AnsweredCodes(join(dir, 'answered.json')).claim(offer, NOW + 10), 'ERR_CALL_CODE_REPLAYED', /already answered 10 s ago/);
  const other = decodeCallCode(encodeCallCode('offer', BLOB, { nowS: NOW }), 'offer', NOW);
  new AnsweredCodes(join(dir, 'answered.json')).claim(other, NOW);

  const check = new AnswerCheck(offer);
  const ans = encodeCallCode('answer', BLOB, { nowS: NOW, offer });
  check.take(ans, NOW);
  throwsCode(() => check.take(ans, NOW), 'ERR_CALL_CODE_REPLAYED', /already answered/);
  throwsCode(() => new AnswerCheck(offer).take(encodeCallCode('answer', BLOB, { nowS: NOW, offer: other }), NOW), 'ERR_CALL_CODE', /another call code/);
});

test('a blob over the limit is refused when made, and a code that unpacks past it (a zip bomb) when read', () => {
  throwsCode(() => encodeCallCode('offer', new Uint8Array(MAX_SIGNAL_BLOB_BYTES + 1)), 'ERR_CALL_CODE', /1\.\.2048/);
  // A well-formed code whose deflated content is a megabyte of zeros (checksum recomputed, as an attacker could).
  const ok = encodeCallCode('offer', new Uint8Array(MAX_SIGNAL_BLOB_BYTES).fill(7), { nowS: NOW });
  const raw = base32Decode(ok.slice(4));
  assert.ok(raw);
  const head = raw.subarray(0, 16);
  const bomb = Buffer.concat([head, deflateRawSync(Buffer.alloc(1 << 20))]);
  const sum = createHash('sha256').update('termcall call code v1').update(bomb).digest().subarray(0, 8);
  throwsCode(() => decodeCallCode('tco1' + base32Encode(Buffer.concat([bomb, sum])), 'offer', NOW), 'ERR_CALL_CODE', /unpack to at most 2048/);
});

