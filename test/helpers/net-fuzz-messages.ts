// Valid termcall messages with random fields, for the fuzzer to start from (fields already in the form the decoder
// returns, so a valid stream must decode back to exactly these).
import { MSG, type Message, type MsgName } from '../../src/protocol/messages.js';
import { MAX_BYE_TEXT_BYTES, MAX_CHAT_BYTES, MAX_OPUS_PACKET_BYTES, MAX_NAME_BYTES, MAX_RENDERER_BYTES } from '../../src/shared/limits.js';
import { int, pick, type Rand } from './net-fuzz-common.js';

const TEXT_PIECES = ['a', 'Z', ' ', '0', 'é', 'ß', '中', '📞', '✓', '\n', '\u0000', '~'];
const RENDERERS = ['truecolor', 'sixel', '256', '16', 'blocks', 'ascii', 'headless', '', 'x'.repeat(MAX_RENDERER_BYTES)];
const SIDES = [0, 1, 2, 160, 240, 640, 4095, 4096];

/** Random text of at most maxBytes UTF-8 bytes (sometimes filling it exactly). */
function text(r: Rand, maxBytes: number): string {
  if (r() < 0.1) return 'x'.repeat(maxBytes);
  const parts: string[] = [];
  const want = r() < 0.9 ? int(r, 24) : int(r, maxBytes + 1);
  for (let bytes = 0; parts.length < want;) {
    const piece = pick(r, TEXT_PIECES);
    bytes += Buffer.byteLength(piece);
    if (bytes > maxBytes) break;
    parts.push(piece);
  }
  return parts.join('');
}

/** A finite double the way clocks look (epoch ms), sometimes an edge. */
function time(r: Rand): number {
  return r() < 0.8 ? 1_790_000_000_000 + r() * 1e6 : pick(r, [0, -1, 1e-300, Number.MAX_VALUE, -Number.MAX_VALUE]);
}

/** A valid message of the given type with random fields (fields already in the form the decoder returns). */
export function randomMessage(r: Rand, type: MsgName): Message {
  switch (type) {
    case 'hello':
      return { type, name: text(r, MAX_NAME_BYTES), renderer: pick(r, RENDERERS), paneWidth: pick(r, SIDES), paneHeight: pick(r, SIDES), features: int(r, 2 ** 32) };
    case 'accept': return { type };
    case 'decline': return { type, reason: r() < 0.5 ? 'busy' : 'declined' };
    case 'video': {
      const jpeg = Buffer.alloc(r() < 0.9 ? 1 + int(r, 64) : 1 + int(r, 4000));
      for (let i = 0; i < jpeg.length; i++) jpeg[i] = int(r, 256);
      return { type, seq: int(r, 2 ** 32), captureTs: time(r), width: 1 + int(r, 4096), height: 1 + int(r, 4096), quality: 1 + int(r, 100), jpeg };
    }
    case 'ack': return { type, seq: int(r, 100), status: r() < 0.7 ? 'decoded' : 'dropped', latencyMs: r() < 0.2 ? Number.NaN : Math.fround(r() * 500) };
    case 'ping': return { type, id: int(r, 2 ** 32), ts: time(r) };
    case 'pong': return { type, id: int(r, 2 ** 32), echoTs: time(r), ts: time(r) };
    case 'resize': return { type, paneWidth: pick(r, SIDES), paneHeight: pick(r, SIDES) };
    case 'videoState': return { type, paused: r() < 0.5 };
    case 'chat': return { type, text: text(r, MAX_CHAT_BYTES) };
    case 'audio': {
      const opus = Buffer.alloc(r() < 0.9 ? 1 + int(r, 120) : 1 + int(r, MAX_OPUS_PACKET_BYTES));
      for (let i = 0; i < opus.length; i++) opus[i] = int(r, 256);
      return { type, seq: int(r, 2 ** 32), captureTs: time(r), opus };
    }
    case 'audioState': return { type, micMuted: r() < 0.5, noMic: r() < 0.5, speakerOff: r() < 0.5 };
    case 'bye': return { type, reason: pick(r, ['hangup', 'declined', 'protocolError', 'versionMismatch', 'timeout', 'busy', 'goingAway'] as const), text: text(r, MAX_BYE_TEXT_BYTES) };
  }
}

/** Every message type name. */
export const TYPES = Object.keys(MSG) as MsgName[];
