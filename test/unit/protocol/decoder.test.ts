// The streaming decoder: every split point, random chunking, and garbage at the start.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WireDecoder } from '../../../src/protocol/decoder.js';
import { encodeMessage, encodePreamble } from '../../../src/protocol/codec.js';
import { ProtocolError } from '../../../src/shared/errors.js';
import { PROTOCOL_VERSION } from '../../../src/shared/limits.js';
import { decodeChunks, rng, sampleMessages, sampleStream } from '../../helpers/net-samples.js';

const expected = [{ type: 'preamble', version: PROTOCOL_VERSION }, ...sampleMessages()];

/** Compare decoded items with the samples (Uint8Array fields compared by content, NaN equal to NaN). */
function assertSame(got: unknown[]): void {
  assert.equal(got.length, expected.length);
  const norm = (v: unknown): unknown =>
    v instanceof Uint8Array ? `bytes:${Buffer.from(v).toString('base64')}`
      : typeof v === 'number' && Number.isNaN(v) ? 'NaN'
        : Array.isArray(v) ? v.map(norm)
          : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)])) : v;
  assert.deepEqual(norm(got), norm(expected));
}

test('decodes the whole stream in one chunk', () => {
  assertSame(decodeChunks([sampleStream()]));
});

test('decodes the stream split in two at every byte position', () => {
  const s = sampleStream();
  for (let i = 0; i <= s.length; i++) assertSame(decodeChunks([s.subarray(0, i), s.subarray(i)]));
});

test('decodes the stream one byte at a time', () => {
  const s = sampleStream();
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < s.length; i++) chunks.push(s.subarray(i, i + 1));
  assertSame(decodeChunks(chunks));
});

test('decodes the stream in random chunks (200 seeds)', () => {
  const s = sampleStream();
  for (let seed = 1; seed <= 200; seed++) {
    const r = rng(seed);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < s.length;) {
      const n = 1 + Math.floor(r() * (r() < 0.5 ? 16 : 4000));
      chunks.push(Uint8Array.from(s.subarray(i, i + n)));
      i += n;
    }
    assertSame(decodeChunks(chunks));
  }
});

test('midMessage tells a clean cut from a cut inside a message', () => {
  const d = new WireDecoder();
  d.push(encodePreamble());
  assert.equal(d.midMessage, false);
  const v = encodeMessage(sampleMessages()[2]!);
  d.push(v.subarray(0, 3));
  assert.equal(d.midMessage, true);
  d.push(v.subarray(3, 100));
  assert.equal(d.midMessage, true);
  assert.equal(d.push(v.subarray(100)).length, 1);
  assert.equal(d.midMessage, false);
});

test('garbage is refused at its first byte with ERR_BAD_MAGIC, and the decoder stays failed', () => {
  const d = new WireDecoder();
  assert.throws(() => d.push(Buffer.from('GET / HTTP/1.1\r\n')), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_BAD_MAGIC');
  assert.throws(() => d.push(encodePreamble()), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_BAD_MAGIC');
  const d2 = new WireDecoder();
  d2.push(Buffer.from('TM'));
  assert.throws(() => d2.push(Buffer.from('X')), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_BAD_MAGIC');
});

test('another version is reported, not refused, by the decoder (the session decides)', () => {
  const items = new WireDecoder().push(encodePreamble(9));
  assert.deepEqual(items, [{ type: 'preamble', version: 9 }]);
});

test('an unknown message type is refused as soon as its header is in', () => {
  const d = new WireDecoder();
  d.push(encodePreamble());
  assert.throws(() => d.push(Uint8Array.of(0x55, 0, 0, 0, 1)), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_UNKNOWN_MESSAGE');
});

test('pushAll delivers the messages before a violation in the same chunk, then the error (and only the error after)', () => {
  const d = new WireDecoder();
  const r = d.pushAll(Buffer.concat([encodePreamble(), encodeMessage({ type: 'ping', id: 1, ts: 2 }), Buffer.from([0xee, 0, 0, 0, 0])]));
  assert.deepEqual(r.items.map((m) => m.type), ['preamble', 'ping']);
  assert.equal(r.error?.code, 'ERR_UNKNOWN_MESSAGE');
  assert.equal(d.pushAll(encodeMessage({ type: 'ping', id: 2, ts: 3 })).error?.code, 'ERR_UNKNOWN_MESSAGE');
  assert.throws(() => d.push(Buffer.from([1])), (e: unknown) => (e as { code?: string }).code === 'ERR_UNKNOWN_MESSAGE');
});
