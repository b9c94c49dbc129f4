// Message codec: encodes messages to bytes and parses one payload back. Pure (no sockets); see docs/protocol.md.
import { ProtocolError, messageOf } from '../shared/errors.js';
import {
  MAX_BYE_TEXT_BYTES,
  MAX_CHAT_BYTES,
  MAX_NAME_BYTES,
  MAX_OPUS_PACKET_BYTES,
  MAX_PANE_SIDE_PX,
  MAX_RENDERER_BYTES,
  MESSAGE_HEADER_BYTES,
  PROTOCOL_VERSION,
} from '../shared/limits.js';
import {
  ACK_STATUS,
  AUDIO_FIXED_BYTES,
  AUDIO_STATE,
  BYE_REASON,
  MAGIC,
  MSG,
  PAYLOAD_LIMITS,
  PREAMBLE_BYTES,
  VIDEO_FIXED_BYTES,
  byeReasonName,
  type AckStatus,
  type Message,
} from './messages.js';

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The 8-byte preamble each side sends first: magic + version + reserved zero. */
export function encodePreamble(version: number = PROTOCOL_VERSION): Buffer {
  const b = Buffer.alloc(PREAMBLE_BYTES);
  b.set(MAGIC, 0);
  b.writeUInt16BE(version, 4);
  return b;
}

/** Cut a UTF-8 string to at most maxBytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): Uint8Array {
  const bytes = utf8.encode(text);
  if (bytes.length <= maxBytes) return bytes;
  let end = maxBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

/** A header + payload buffer for a message type, payload left for the caller to fill. */
function frame(type: number, payloadBytes: number): Buffer {
  const b = Buffer.allocUnsafe(MESSAGE_HEADER_BYTES + payloadBytes);
  b.writeUInt8(type, 0);
  b.writeUInt32BE(payloadBytes, 1);
  return b;
}

/** Check a pane/frame side is a whole number of pixels the protocol allows. */
function checkSide(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > MAX_PANE_SIDE_PX) {
    throw new ProtocolError('ERR_BAD_MESSAGE', `${what} ${v} is outside 0..${MAX_PANE_SIDE_PX}`);
  }
}

/** Encode one message with its 5-byte header. Throws ProtocolError when a field is out of range. */
export function encodeMessage(m: Message): Buffer {
  switch (m.type) {
    case 'hello': {
      checkSide(m.paneWidth, 'pane width');
      checkSide(m.paneHeight, 'pane height');
      const renderer = truncateUtf8(m.renderer.replace(/[^\x20-\x7e]/g, '?'), MAX_RENDERER_BYTES);
      const name = truncateUtf8(m.name, MAX_NAME_BYTES);
      const b = frame(MSG.hello, 10 + renderer.length + name.length);
      let o = MESSAGE_HEADER_BYTES;
      o = b.writeUInt16BE(m.paneWidth, o);
      o = b.writeUInt16BE(m.paneHeight, o);
      o = b.writeUInt32BE(m.features >>> 0, o);
      o = b.writeUInt8(renderer.length, o);
      b.set(renderer, o); o += renderer.length;
      o = b.writeUInt8(name.length, o);
      b.set(name, o);
      return b;
    }
    case 'accept': return frame(MSG.accept, 0);
    case 'decline': {
      const b = frame(MSG.decline, 1);
      b.writeUInt8(m.reason === 'busy' ? 1 : 0, MESSAGE_HEADER_BYTES);
      return b;
    }
    case 'video': {
      checkSide(m.width, 'frame width');
      checkSide(m.height, 'frame height');
      const limit = PAYLOAD_LIMITS[MSG.video];
      if (m.jpeg.length === 0 || (limit && VIDEO_FIXED_BYTES + m.jpeg.length > limit.max)) {
        throw new ProtocolError('ERR_MESSAGE_TOO_LARGE', `JPEG of ${m.jpeg.length} bytes does not fit a video message`);
      }
      const b = frame(MSG.video, VIDEO_FIXED_BYTES + m.jpeg.length);
      let o = MESSAGE_HEADER_BYTES;
      o = b.writeUInt32BE(m.seq >>> 0, o);
      o = b.writeDoubleBE(m.captureTs, o);
      o = b.writeUInt16BE(m.width, o);
      o = b.writeUInt16BE(m.height, o);
      o = b.writeUInt8(Math.max(1, Math.min(100, Math.round(m.quality))), o);
      b.set(m.jpeg, o);
      return b;
    }
    case 'ack': {
      const b = frame(MSG.ack, 9);
      let o = MESSAGE_HEADER_BYTES;
      o = b.writeUInt32BE(m.seq >>> 0, o);
      o = b.writeUInt8(ACK_STATUS[m.status], o);
      b.writeFloatBE(m.latencyMs, o);
      return b;
    }
    case 'ping': {
      const b = frame(MSG.ping, 12);
      b.writeDoubleBE(m.ts, b.writeUInt32BE(m.id >>> 0, MESSAGE_HEADER_BYTES));
      return b;
    }
    case 'pong': {
      const b = frame(MSG.pong, 20);
      let o = b.writeUInt32BE(m.id >>> 0, MESSAGE_HEADER_BYTES);
      o = b.writeDoubleBE(m.echoTs, o);
      b.writeDoubleBE(m.ts, o);
      return b;
    }
    case 'resize': {
      checkSide(m.paneWidth, 'pane width');
      checkSide(m.paneHeight, 'pane height');
      const b = frame(MSG.resize, 4);
      b.writeUInt16BE(m.paneHeight, b.writeUInt16BE(m.paneWidth, MESSAGE_HEADER_BYTES));
      return b;
    }
    case 'videoState': {
      const b = frame(MSG.videoState, 1);
      b.writeUInt8(m.paused ? 1 : 0, MESSAGE_HEADER_BYTES);
      return b;
    }
    case 'chat': {
      const text = utf8.encode(m.text);
      if (text.length > MAX_CHAT_BYTES) {
        throw new ProtocolError('ERR_MESSAGE_TOO_LARGE', `chat text of ${text.length} bytes exceeds ${MAX_CHAT_BYTES}`);
      }
      const b = frame(MSG.chat, text.length);
      b.set(text, MESSAGE_HEADER_BYTES);
      return b;
    }
    case 'audio': {
      if (m.opus.length === 0 || m.opus.length > MAX_OPUS_PACKET_BYTES) {
        throw new ProtocolError('ERR_MESSAGE_TOO_LARGE', `Opus packet of ${m.opus.length} bytes does not fit an audio message (1..${MAX_OPUS_PACKET_BYTES})`);
      }
      const b = frame(MSG.audio, AUDIO_FIXED_BYTES + m.opus.length);
      b.writeDoubleBE(m.captureTs, b.writeUInt32BE(m.seq >>> 0, MESSAGE_HEADER_BYTES));
      b.set(m.opus, MESSAGE_HEADER_BYTES + AUDIO_FIXED_BYTES);
      return b;
    }
    case 'audioState': {
      const b = frame(MSG.audioState, 1);
      b.writeUInt8((m.micMuted ? AUDIO_STATE.micMuted : 0) | (m.noMic ? AUDIO_STATE.noMic : 0) | (m.speakerOff ? AUDIO_STATE.speakerOff : 0), MESSAGE_HEADER_BYTES);
      return b;
    }
    case 'bye': {
      const text = truncateUtf8(m.text, MAX_BYE_TEXT_BYTES);
      const b = frame(MSG.bye, 1 + text.length);
      b.writeUInt8(BYE_REASON[m.reason], MESSAGE_HEADER_BYTES);
      b.set(text, MESSAGE_HEADER_BYTES + 1);
      return b;
    }
  }
}

/** A ProtocolError as is; anything else thrown while reading the peer's bytes becomes ERR_BAD_MESSAGE. */
export function asProtocolError(err: unknown): ProtocolError {
  return err instanceof ProtocolError ? err : new ProtocolError('ERR_BAD_MESSAGE', messageOf(err), { cause: err });
}

/** Decode UTF-8 strictly; malformed text is a protocol violation. */
function text(bytes: Uint8Array, what: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch (err) {
    throw new ProtocolError('ERR_BAD_MESSAGE', `${what} is not valid UTF-8`, { cause: err });
  }
}

/** Throw ERR_BAD_MESSAGE with a message naming the type. */
function bad(what: string): never {
  throw new ProtocolError('ERR_BAD_MESSAGE', what);
}

/** Parse one payload whose type and length the decoder has already checked against PAYLOAD_LIMITS. */
export function parsePayload(type: number, p: Buffer): Message {
  switch (type) {
    case MSG.hello: {
      const paneWidth = p.readUInt16BE(0);
      const paneHeight = p.readUInt16BE(2);
      if (paneWidth > MAX_PANE_SIDE_PX || paneHeight > MAX_PANE_SIDE_PX) bad(`hello: pane ${paneWidth}x${paneHeight} too large`);
      const features = p.readUInt32BE(4);
      const rLen = p.readUInt8(8);
      if (rLen > MAX_RENDERER_BYTES || 9 + rLen + 1 > p.length) bad('hello: renderer length out of range');
      const renderer = p.toString('latin1', 9, 9 + rLen);
      if (/[^\x20-\x7e]/.test(renderer)) bad('hello: renderer is not printable ASCII');
      const nLen = p.readUInt8(9 + rLen);
      if (nLen > MAX_NAME_BYTES || 10 + rLen + nLen !== p.length) bad('hello: name length does not match the payload');
      const name = text(p.subarray(10 + rLen), 'hello: name');
      return { type: 'hello', paneWidth, paneHeight, features, renderer, name };
    }
    case MSG.accept: return { type: 'accept' };
    case MSG.decline: {
      const r = p.readUInt8(0);
      if (r > 1) bad(`decline: reason ${r} unknown`);
      return { type: 'decline', reason: r === 1 ? 'busy' : 'declined' };
    }
    case MSG.video: {
      const seq = p.readUInt32BE(0);
      const captureTs = p.readDoubleBE(4);
      const width = p.readUInt16BE(12);
      const height = p.readUInt16BE(14);
      const quality = p.readUInt8(16);
      if (!Number.isFinite(captureTs)) bad('video: capture time is not finite');
      if (width === 0 || height === 0 || width > MAX_PANE_SIDE_PX || height > MAX_PANE_SIDE_PX) bad(`video: size ${width}x${height} out of range`);
      if (quality < 1 || quality > 100) bad(`video: quality ${quality} out of range`);
      return { type: 'video', seq, captureTs, width, height, quality, jpeg: p.subarray(VIDEO_FIXED_BYTES) };
    }
    case MSG.ack: {
      const status = p.readUInt8(4);
      if (status !== ACK_STATUS.decoded && status !== ACK_STATUS.dropped) bad(`ack: status ${status} unknown`);
      const st: AckStatus = status === ACK_STATUS.decoded ? 'decoded' : 'dropped';
      return { type: 'ack', seq: p.readUInt32BE(0), status: st, latencyMs: p.readFloatBE(5) };
    }
    case MSG.ping: {
      const ts = p.readDoubleBE(4);
      if (!Number.isFinite(ts)) bad('ping: time is not finite');
      return { type: 'ping', id: p.readUInt32BE(0), ts };
    }
    case MSG.pong: {
      const echoTs = p.readDoubleBE(4);
      const ts = p.readDoubleBE(12);
      if (!Number.isFinite(echoTs) || !Number.isFinite(ts)) bad('pong: time is not finite');
      return { type: 'pong', id: p.readUInt32BE(0), echoTs, ts };
    }
    case MSG.resize: {
      const paneWidth = p.readUInt16BE(0);
      const paneHeight = p.readUInt16BE(2);
      if (paneWidth > MAX_PANE_SIDE_PX || paneHeight > MAX_PANE_SIDE_PX) bad(`resize: pane ${paneWidth}x${paneHeight} too large`);
      return { type: 'resize', paneWidth, paneHeight };
    }
    case MSG.videoState: {
      const v = p.readUInt8(0);
      if (v > 1) bad(`videoState: value ${v} unknown`);
      return { type: 'videoState', paused: v === 1 };
    }
    case MSG.chat: return { type: 'chat', text: text(p, 'chat text') };
    case MSG.audio: {
      const captureTs = p.readDoubleBE(4);
      if (!Number.isFinite(captureTs)) bad('audio: capture time is not finite');
      return { type: 'audio', seq: p.readUInt32BE(0), captureTs, opus: p.subarray(AUDIO_FIXED_BYTES) };
    }
    case MSG.audioState: {
      const v = p.readUInt8(0);
      // Unknown bits from a newer peer are ignored, like HELLO features.
      return { type: 'audioState', micMuted: (v & AUDIO_STATE.micMuted) !== 0, noMic: (v & AUDIO_STATE.noMic) !== 0, speakerOff: (v & AUDIO_STATE.speakerOff) !== 0 };
    }
    case MSG.bye: {
      // An unknown reason from a newer peer is kept as goingAway rather than refused.
      const reason = byeReasonName(p.readUInt8(0)) ?? 'goingAway';
      return { type: 'bye', reason, text: text(p.subarray(1), 'bye text') };
    }
    default:
      throw new ProtocolError('ERR_UNKNOWN_MESSAGE', `message type 0x${type.toString(16)} is not known`);
  }
}
