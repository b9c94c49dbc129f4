// Every wire limit in src/shared/limits.ts, exceeded once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeMessage, encodePreamble, parsePayload, truncateUtf8 } from '../../../src/protocol/codec.js';
import { WireDecoder } from '../../../src/protocol/decoder.js';
import { AUDIO_FIXED_BYTES, MSG, PAYLOAD_LIMITS, VIDEO_FIXED_BYTES } from '../../../src/protocol/messages.js';
import { ProtocolError } from '../../../src/shared/errors.js';
import * as L from '../../../src/shared/limits.js';

/** A decoder past the preamble. */
function ready(): WireDecoder {
  const d = new WireDecoder();
  d.push(encodePreamble());
  return d;
}

/** A bare header announcing len payload bytes of type. */
function header(type: number, len: number): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt8(type, 0);
  b.writeUInt32BE(len >>> 0, 1);
  return b;
}

/** Assert fn throws a ProtocolError with this code. */
function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof ProtocolError && e.code === code);
}

test('each type: a length one over its limit is refused from the header alone, nothing buffered', () => {
  for (const [type, lim] of Object.entries(PAYLOAD_LIMITS)) {
    const d = ready();
    throwsCode(() => d.push(header(Number(type), lim.max + 1)), 'ERR_MESSAGE_TOO_LARGE');
    assert.equal(d.bufferedBytes, 0, lim.name);
  }
});

test('each type: a length under its minimum is refused', () => {
  for (const [type, lim] of Object.entries(PAYLOAD_LIMITS)) {
    if (lim.min === 0) continue;
    throwsCode(() => ready().push(header(Number(type), lim.min - 1)), 'ERR_BAD_MESSAGE');
  }
});

test('a 4 GiB length is refused without allocating', () => {
  throwsCode(() => ready().push(header(MSG.video, 0xffffffff)), 'ERR_MESSAGE_TOO_LARGE');
});

test('MAX_JPEG_BYTES: the largest JPEG passes, one byte more is refused (encoder and decoder)', () => {
  const ok = encodeMessage({ type: 'video', seq: 1, captureTs: 1, width: 2, height: 2, quality: 50, jpeg: new Uint8Array(L.MAX_JPEG_BYTES) });
  assert.equal(ready().push(ok).length, 1);
  throwsCode(() => encodeMessage({ type: 'video', seq: 1, captureTs: 1, width: 2, height: 2, quality: 50, jpeg: new Uint8Array(L.MAX_JPEG_BYTES + 1) }), 'ERR_MESSAGE_TOO_LARGE');
  throwsCode(() => ready().push(header(MSG.video, VIDEO_FIXED_BYTES + L.MAX_JPEG_BYTES + 1)), 'ERR_MESSAGE_TOO_LARGE');
});

test('MAX_OPUS_PACKET_BYTES: the largest Opus packet passes, one byte more is refused (encoder and decoder)', () => {
  const m = (n: number) => ({ type: 'audio' as const, seq: 1, captureTs: 1, opus: new Uint8Array(n) });
  assert.equal(ready().push(encodeMessage(m(L.MAX_OPUS_PACKET_BYTES))).length, 1);
  throwsCode(() => encodeMessage(m(L.MAX_OPUS_PACKET_BYTES + 1)), 'ERR_MESSAGE_TOO_LARGE');
  throwsCode(() => encodeMessage(m(0)), 'ERR_MESSAGE_TOO_LARGE');
  throwsCode(() => ready().push(header(MSG.audio, AUDIO_FIXED_BYTES + L.MAX_OPUS_PACKET_BYTES + 1)), 'ERR_MESSAGE_TOO_LARGE');
});

test('MAX_CHAT_BYTES: longer chat is refused by the encoder and the decoder', () => {
  assert.equal(ready().push(encodeMessage({ type: 'chat', text: 'x'.repeat(L.MAX_CHAT_BYTES) })).length, 1);
  throwsCode(() => encodeMessage({ type: 'chat', text: 'x'.repeat(L.MAX_CHAT_BYTES + 1) }), 'ERR_MESSAGE_TOO_LARGE');
  throwsCode(() => ready().push(header(MSG.chat, L.MAX_CHAT_BYTES + 1)), 'ERR_MESSAGE_TOO_LARGE');
});

test('MAX_NAME_BYTES / MAX_RENDERER_BYTES: the encoder truncates, the parser refuses longer fields', () => {
  const m = ready().push(encodeMessage({ type: 'hello', name: 'é'.repeat(L.MAX_NAME_BYTES), renderer: 'r'.repeat(99), paneWidth: 1, paneHeight: 1, features: 0 }));
  const h = m[0];
  assert.ok(h && h.type === 'hello');
  assert.equal(Buffer.byteLength(h.name), L.MAX_NAME_BYTES);
  assert.equal(h.renderer.length, L.MAX_RENDERER_BYTES);
  const p = Buffer.alloc(10 + L.MAX_NAME_BYTES + 1);
  p.writeUInt8(0, 8);
  p.writeUInt8(L.MAX_NAME_BYTES + 1, 9);
  throwsCode(() => parsePayload(MSG.hello, p), 'ERR_BAD_MESSAGE');
  const q = Buffer.alloc(10 + L.MAX_RENDERER_BYTES + 1);
  q.writeUInt8(L.MAX_RENDERER_BYTES + 1, 8);
  throwsCode(() => parsePayload(MSG.hello, q), 'ERR_BAD_MESSAGE');
  assert.ok(10 + L.MAX_NAME_BYTES + L.MAX_RENDERER_BYTES <= L.MAX_HELLO_BYTES);
});

test('MAX_HELLO_BYTES: a larger hello is refused', () => {
  throwsCode(() => ready().push(header(MSG.hello, L.MAX_HELLO_BYTES + 1)), 'ERR_MESSAGE_TOO_LARGE');
});

test('MAX_BYE_TEXT_BYTES: the encoder truncates on a character boundary, the decoder refuses longer', () => {
  const m = ready().push(encodeMessage({ type: 'bye', reason: 'hangup', text: '€'.repeat(200) }));
  const b = m[0];
  assert.ok(b && b.type === 'bye');
  assert.ok(Buffer.byteLength(b.text) <= L.MAX_BYE_TEXT_BYTES && b.text.length === Math.floor(L.MAX_BYE_TEXT_BYTES / 3));
  throwsCode(() => ready().push(header(MSG.bye, 1 + L.MAX_BYE_TEXT_BYTES + 1)), 'ERR_MESSAGE_TOO_LARGE');
  assert.equal(truncateUtf8('aé', 2).length, 1);
});

test('MAX_PANE_SIDE_PX: a larger pane or frame is refused', () => {
  throwsCode(() => encodeMessage({ type: 'resize', paneWidth: L.MAX_PANE_SIDE_PX + 1, paneHeight: 1 }), 'ERR_BAD_MESSAGE');
  const r = Buffer.alloc(4);
  r.writeUInt16BE(L.MAX_PANE_SIDE_PX + 1, 0);
  throwsCode(() => parsePayload(MSG.resize, r), 'ERR_BAD_MESSAGE');
  const v = Buffer.alloc(VIDEO_FIXED_BYTES + 1);
  v.writeUInt16BE(L.MAX_PANE_SIDE_PX + 1, 12);
  v.writeUInt16BE(10, 14);
  v.writeUInt8(50, 16);
  throwsCode(() => parsePayload(MSG.video, v), 'ERR_BAD_MESSAGE');
});

test('timing limits keep their promises', () => {
  assert.ok(L.PING_TIMEOUT_MS + L.PING_INTERVAL_MS <= 5_000, 'half-open detected within 5 s');
  assert.ok(L.PING_INTERVAL_MS < L.PING_TIMEOUT_MS);
  assert.ok(L.MAX_FRAMES_IN_FLIGHT >= 1 && L.MAX_FRAMES_IN_FLIGHT <= 4);
  assert.ok(L.MIN_JPEG_QUALITY < L.DEFAULT_JPEG_QUALITY && L.MIN_SEND_FPS < L.DEFAULT_SEND_FPS);
  assert.ok(L.CLEAR_ACK_DELAY_MS < L.CONGESTED_ACK_DELAY_MS);
});

test('malformed bodies: bad UTF-8, unknown statuses, non-finite times', () => {
  throwsCode(() => parsePayload(MSG.chat, Buffer.from([0xc3, 0x28])), 'ERR_BAD_MESSAGE');
  throwsCode(() => parsePayload(MSG.ack, Buffer.from([0, 0, 0, 1, 9, 0, 0, 0, 0])), 'ERR_BAD_MESSAGE');
  const p = Buffer.alloc(12);
  p.writeDoubleBE(Number.POSITIVE_INFINITY, 4);
  throwsCode(() => parsePayload(MSG.ping, p), 'ERR_BAD_MESSAGE');
  throwsCode(() => parsePayload(MSG.videoState, Buffer.from([2])), 'ERR_BAD_MESSAGE');
});
