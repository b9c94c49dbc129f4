// The Opus codec (48 kHz mono, 20 ms frames): @evan/opus (libopus prebuilt native, its WASM build as fallback).
// Chosen by measurement over opusscript (docs/audio.md). Loss and lateness are concealed with Opus PLC.
import { createRequire } from 'node:module';
import { AudioError, messageOf } from '../shared/errors.js';
import { AUDIO_BITRATE_BPS, AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE_HZ, MAX_OPUS_PACKET_BYTES } from '../shared/limits.js';

interface EvanEncoder {
  encode(pcm: ArrayBufferView): Uint8Array;
  bitrate: number | 'auto' | 'max';
  inband_fec: boolean;
  packet_loss: number;
  signal: 'auto' | 'voice' | 'music';
  complexity: number;
}
interface EvanDecoder { decode(packet: ArrayBufferView): Uint8Array }
interface EvanOpus {
  Encoder: new (o: { channels: 1; sample_rate: 48000; application: 'voip' }) => EvanEncoder;
  Decoder: new (o: { channels: 1; sample_rate: 48000 }) => EvanDecoder;
}

let lib: EvanOpus | null = null;

/** The @evan/opus module, loaded once (its native binary, or its WASM build where there is none). */
function opus(): EvanOpus {
  if (lib) return lib;
  try {
    lib = createRequire(import.meta.url)('@evan/opus') as EvanOpus;
    return lib;
  } catch (err) {
    throw new AudioError('ERR_AUDIO_CODEC', `the Opus codec (@evan/opus) could not be loaded: ${messageOf(err)}`, { cause: err });
  }
}

/** Encodes 20 ms frames of 16-bit mono PCM at 48 kHz into Opus packets. */
export class OpusEncoder {
  private readonly enc: EvanEncoder;

  constructor(bitrateBps = AUDIO_BITRATE_BPS) {
    const O = opus();
    this.enc = new O.Encoder({ channels: 1, sample_rate: AUDIO_SAMPLE_RATE_HZ, application: 'voip' });
    this.enc.bitrate = bitrateBps;
    this.enc.signal = 'voice';
    // In-band FEC is carried for a peer whose transport can lose packets; over TCP lateness is concealed with PLC.
    this.enc.inband_fec = true;
    this.enc.packet_loss = 5;
  }

  /** One frame (AUDIO_FRAME_SAMPLES samples) → one Opus packet (a copy: the binding reuses its output buffer). */
  encode(frame: Int16Array): Uint8Array {
    if (frame.length !== AUDIO_FRAME_SAMPLES) {
      throw new AudioError('ERR_AUDIO_CODEC', `an Opus frame is ${AUDIO_FRAME_SAMPLES} samples, not ${frame.length}`);
    }
    const out = this.enc.encode(frame);
    if (out.length > MAX_OPUS_PACKET_BYTES) throw new AudioError('ERR_AUDIO_CODEC', `Opus packet of ${out.length} bytes`);
    return Uint8Array.from(out);
  }
}

/** Decodes Opus packets into 20 ms frames of 16-bit mono PCM; conceal() fills a lost frame (PLC). */
export class OpusDecoder {
  private readonly dec: EvanDecoder;
  /** TOC byte of the last good packet: a packet of only that byte makes libopus conceal one frame of that mode. */
  private lastToc = 0xf8;
  /** Packets refused as corrupt (each concealed instead), total. */
  corrupt = 0;

  constructor() {
    this.dec = new (opus().Decoder)({ channels: 1, sample_rate: AUDIO_SAMPLE_RATE_HZ });
  }

  /** Decode one packet; a corrupt one is counted and concealed (never throws on peer data). */
  decode(packet: Uint8Array): Int16Array {
    try {
      const pcm = this.toFrame(this.dec.decode(packet));
      this.lastToc = (packet[0] ?? 0xf8) & 0xfc;
      return pcm;
    } catch {
      this.corrupt++;
      return this.conceal();
    }
  }

  /** One frame of packet-loss concealment (Opus PLC: continues the last sound, fading out). */
  conceal(): Int16Array {
    try {
      return this.toFrame(this.dec.decode(Uint8Array.of(this.lastToc)));
    } catch {
      return new Int16Array(AUDIO_FRAME_SAMPLES);
    }
  }

  /** Copy decoded bytes into exactly one frame (padded or cut: a peer may send other frame lengths). */
  private toFrame(bytes: Uint8Array): Int16Array {
    const out = new Int16Array(AUDIO_FRAME_SAMPLES);
    const n = Math.min(AUDIO_FRAME_SAMPLES, bytes.length >> 1);
    new Uint8Array(out.buffer).set(bytes.subarray(0, n * 2));
    return out;
  }
}

/** Time encode and decode of frames (ms per frame, medians of 5 passes) — for the bench and docs/audio.md. */
export function benchOpus(frames: readonly Int16Array[]): { encodeMs: number; decodeMs: number; kbps: number } {
  const enc = new OpusEncoder();
  const dec = new OpusDecoder();
  const e: number[] = [];
  const d: number[] = [];
  let bytes = 0;
  for (let pass = 0; pass < 5; pass++) {
    const t0 = performance.now();
    const packets = frames.map((f) => enc.encode(f));
    const t1 = performance.now();
    for (const p of packets) dec.decode(p);
    const t2 = performance.now();
    e.push((t1 - t0) / frames.length);
    d.push((t2 - t1) / frames.length);
    if (pass === 0) for (const p of packets) bytes += p.length;
  }
  const med = (a: number[]): number => a.sort((x, y) => x - y)[2] ?? Number.NaN;
  return { encodeMs: med(e), decodeMs: med(d), kbps: (bytes * 8) / (frames.length * 20) };
}
