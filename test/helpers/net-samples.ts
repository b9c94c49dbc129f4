// Sample messages of every type and helpers to run bytes through a WireDecoder.
import { encodeMessage, encodePreamble } from '../../src/protocol/codec.js';
import { WireDecoder } from '../../src/protocol/decoder.js';
import type { DecodedItem, Message } from '../../src/protocol/messages.js';

/** One message of each type (with non-trivial fields). */
export function sampleMessages(): Message[] {
  const jpeg = new Uint8Array(3000);
  for (let i = 0; i < jpeg.length; i++) jpeg[i] = (i * 31) & 255;
  return [
    { type: 'hello', name: 'Zoë 📞', renderer: 'truecolor', paneWidth: 640, paneHeight: 360, features: 1 },
    { type: 'accept' },
    { type: 'video', seq: 7, captureTs: 1_790_000_000_123.25, width: 320, height: 240, quality: 60, jpeg },
    { type: 'ack', seq: 7, status: 'decoded', latencyMs: 12.5 },
    { type: 'ack', seq: 8, status: 'dropped', latencyMs: Number.NaN },
    { type: 'ping', id: 1, ts: 1_790_000_000_000.5 },
    { type: 'pong', id: 1, echoTs: 1_790_000_000_000.5, ts: 1_790_000_000_001.75 },
    { type: 'resize', paneWidth: 800, paneHeight: 450 },
    { type: 'videoState', paused: true },
    { type: 'chat', text: 'héllo ✓' },
    { type: 'chat', text: '' },
    { type: 'audio', seq: 3, captureTs: 1_790_000_000_020.5, opus: Uint8Array.of(0xf8, 1, 2, 3) },
    { type: 'audioState', micMuted: true, noMic: false, speakerOff: true },
    { type: 'decline', reason: 'busy' },
    { type: 'bye', reason: 'hangup', text: 'see you' },
  ];
}

/** A whole valid stream: preamble then every sample message. */
export function sampleStream(): Buffer {
  return Buffer.concat([encodePreamble(), ...sampleMessages().map((m) => encodeMessage(m))]);
}

/** Feed chunks to a fresh decoder and collect everything it emits. */
export function decodeChunks(chunks: Uint8Array[]): DecodedItem[] {
  const d = new WireDecoder();
  const out: DecodedItem[] = [];
  for (const c of chunks) out.push(...d.push(c));
  return out;
}

/** Deterministic pseudo-random generator (mulberry32) so failures can be replayed from the seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
