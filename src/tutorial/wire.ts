// The two wire formats of the Python tutorial programs, as pure streaming decoders and encoders (no sockets here).
//
// pickle: each message is struct.pack("Q", len(data)) + data, data = pickle.dumps(uint8 H x W x 3 BGR array);
//         "Q" is 8 bytes, little-endian on the x86-64 machines the tutorials run on.
// raw:    frame.tobytes() of W x H x 3 BGR frames, back to back with no framing (640x480 unless resized);
//         frames are reassembled by size whatever the chunking.
// Decoders are fed arbitrary chunks and return the frames they complete; they throw ProtocolError on a bad stream.
// Memory is bounded: the pickle decoder checks each length against TUTORIAL_MAX_PICKLE_BYTES before buffering it and
// grows its buffer with the bytes that arrive (not the length announced); the raw decoder holds at most one frame.

import { ProtocolError, UsageError } from '../shared/errors.js';
import { MAX_FRAME_SIDE_PX, TUTORIAL_MAX_FRAME_BYTES, TUTORIAL_MAX_PICKLE_BYTES } from '../shared/limits.js';
import { readPickledImage, type BgrImage } from './pickle.js';
import { checkBgrImage, PICKLE_LENGTH_PREFIX_BYTES, writePickledImage } from './pickle-writer.js';

/** The two tutorial wire formats. */
export type TutorialWire = 'pickle' | 'raw';
/** Names of the wires, for CLI validation (`--wire pickle|raw`). */
export const TUTORIAL_WIRES: readonly TutorialWire[] = ['pickle', 'raw'];

/** Width and height of raw frames. */
export interface RawSize {
  readonly width: number;
  readonly height: number;
}

/** The size the raw tutorial programs send (921,600 bytes per frame). */
export const DEFAULT_RAW_SIZE: RawSize = { width: 640, height: 480 };

/** Parses `--raw-size WxH` (e.g. "320x240"); throws UsageError (ERR_USAGE) if it is malformed or over the limits. */
export function parseRawSize(spec: string): RawSize {
  const m = /^\s*(\d{1,5})\s*[xX]\s*(\d{1,5})\s*$/.exec(spec);
  if (!m) throw new UsageError('ERR_USAGE', `--raw-size "${spec}" is not WIDTHxHEIGHT (e.g. 640x480)`);
  const size = { width: Number(m[1]), height: Number(m[2]) };
  checkRawSize(size);
  return size;
}

/** Throws UsageError unless a raw frame size is positive and within MAX_FRAME_SIDE_PX and TUTORIAL_MAX_FRAME_BYTES. */
export function checkRawSize(size: RawSize): void {
  const { width, height } = size;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new UsageError('ERR_USAGE', `raw size ${width}x${height} must be positive whole pixels`);
  }
  if (width > MAX_FRAME_SIDE_PX || height > MAX_FRAME_SIDE_PX) {
    throw new UsageError('ERR_USAGE', `raw size ${width}x${height} has a side over ${MAX_FRAME_SIDE_PX} px`);
  }
  if (width * height * 3 > TUTORIAL_MAX_FRAME_BYTES) {
    throw new UsageError('ERR_USAGE', `raw size ${width}x${height} is over ${TUTORIAL_MAX_FRAME_BYTES} bytes per frame`);
  }
}

/** A decoded message and the bytes it took on the wire. */
export interface WireFrame {
  readonly image: BgrImage;
  readonly wireBytes: number;
}

/** Common shape of both decoders, so a link can hold either. */
export interface TutorialDecoder {
  /** Feeds a chunk; returns the frames it completed (possibly none). Throws ProtocolError on a bad stream. */
  push(chunk: Uint8Array): WireFrame[];
  /** Declares the end of the stream; throws ProtocolError (ERR_PEER_CLOSED) if it stopped inside a message. */
  end(): void;
  /** Bytes held for an incomplete message. */
  readonly bufferedBytes: number;
}

/** Options of the pickle decoder. */
export interface PickleDecoderOptions {
  /** Largest accepted length prefix, at most TUTORIAL_MAX_PICKLE_BYTES (the default). */
  readonly maxMessageBytes?: number;
}

/** First buffer for a pickle body; it doubles (up to the announced length) as bytes arrive. */
const PICKLE_FIRST_BUFFER_BYTES = 64 * 1024;

/**
 * Streaming decoder for the pickle wire: 8-byte LE length, then a pickle, repeated. The length is checked against the
 * limit as soon as its 8 bytes are in; the body buffer then grows with the bytes that arrive (doubling, so at most
 * twice what was received), never reserving the announced length up front.
 */
export class PickleStreamDecoder implements TutorialDecoder {
  private readonly maxBytes: number;
  private readonly header = Buffer.alloc(PICKLE_LENGTH_PREFIX_BYTES);
  private headerFill = 0;
  /** Announced length of the body being read; -1 while reading a length prefix. */
  private bodyLength = -1;
  private body: Buffer = Buffer.alloc(0);
  private bodyFill = 0;

  constructor(opts: PickleDecoderOptions = {}) {
    this.maxBytes = Math.min(opts.maxMessageBytes ?? TUTORIAL_MAX_PICKLE_BYTES, TUTORIAL_MAX_PICKLE_BYTES);
  }

  get bufferedBytes(): number {
    return this.bodyLength >= 0 ? PICKLE_LENGTH_PREFIX_BYTES + this.bodyFill : this.headerFill;
  }

  /** Feeds a chunk of the stream. */
  push(chunk: Uint8Array): WireFrame[] {
    const out: WireFrame[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (this.bodyLength < 0) {
        const take = Math.min(PICKLE_LENGTH_PREFIX_BYTES - this.headerFill, chunk.length - pos);
        this.header.set(chunk.subarray(pos, pos + take), this.headerFill);
        this.headerFill += take;
        pos += take;
        if (this.headerFill < PICKLE_LENGTH_PREFIX_BYTES) break;
        this.startBody(this.header.readBigUInt64LE(0));
      }
      const take = Math.min(this.bodyLength - this.bodyFill, chunk.length - pos);
      this.reserve(this.bodyFill + take);
      this.body.set(chunk.subarray(pos, pos + take), this.bodyFill);
      this.bodyFill += take;
      pos += take;
      if (this.bodyFill === this.bodyLength) {
        const body = this.body; // exactly bodyLength long: reserve() never grows past it
        this.body = Buffer.alloc(0);
        this.bodyLength = -1;
        this.bodyFill = 0;
        this.headerFill = 0;
        out.push({ image: readPickledImage(body), wireBytes: PICKLE_LENGTH_PREFIX_BYTES + body.length });
      }
    }
    return out;
  }

  /** Ends the stream; a partial message is an error. */
  end(): void {
    if (this.bodyLength >= 0) {
      throw new ProtocolError(
        'ERR_PEER_CLOSED',
        `pickle wire: stream ended ${this.bodyFill} bytes into a ${this.bodyLength}-byte pickle (truncated)`,
      );
    }
    if (this.headerFill > 0) {
      throw new ProtocolError('ERR_PEER_CLOSED', `pickle wire: stream ended inside a length prefix (${this.headerFill} of ${PICKLE_LENGTH_PREFIX_BYTES} bytes)`);
    }
  }

  /** Checks a complete length prefix against the limit (before any body byte is kept) and starts the body. */
  private startBody(len: bigint): void {
    if (len > BigInt(this.maxBytes)) {
      throw new ProtocolError(
        'ERR_MESSAGE_TOO_LARGE',
        `pickle wire: length prefix ${len} is over the ${this.maxBytes}-byte limit (TUTORIAL_MAX_PICKLE_BYTES); not a tutorial pickle stream?`,
      );
    }
    if (len === 0n) throw new ProtocolError('ERR_PICKLE_REJECTED', 'pickle wire: empty message (length 0)');
    this.bodyLength = Number(len);
    this.bodyFill = 0;
  }

  /** Makes the body buffer hold at least `bytes` (doubling, never past the announced length), keeping what it has. */
  private reserve(bytes: number): void {
    if (bytes <= this.body.length) return;
    let size = Math.max(this.body.length * 2, Math.min(PICKLE_FIRST_BUFFER_BYTES, this.bodyLength));
    while (size < bytes) size *= 2;
    const grown = Buffer.allocUnsafe(Math.min(size, this.bodyLength));
    this.body.copy(grown, 0, 0, this.bodyFill);
    this.body = grown;
  }
}

/** Streaming decoder for the raw wire: fixed-size BGR frames back to back. */
export class RawStreamDecoder implements TutorialDecoder {
  private readonly size: RawSize;
  private readonly frameBytes: number;
  private frame: Uint8Array | null = null;
  private fill = 0;

  constructor(size: RawSize = DEFAULT_RAW_SIZE) {
    checkRawSize(size);
    this.size = { width: size.width, height: size.height };
    this.frameBytes = size.width * size.height * 3;
  }

  get bufferedBytes(): number {
    return this.fill;
  }

  /** Feeds a chunk of the stream. */
  push(chunk: Uint8Array): WireFrame[] {
    const out: WireFrame[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      this.frame ??= new Uint8Array(this.frameBytes);
      const take = Math.min(this.frameBytes - this.fill, chunk.length - pos);
      this.frame.set(chunk.subarray(pos, pos + take), this.fill);
      this.fill += take;
      pos += take;
      if (this.fill === this.frameBytes) {
        out.push({ image: { data: this.frame, width: this.size.width, height: this.size.height }, wireBytes: this.frameBytes });
        this.frame = null;
        this.fill = 0;
      }
    }
    return out;
  }

  /** Ends the stream; a partial frame is an error (often a wrong --raw-size). */
  end(): void {
    if (this.fill > 0) {
      throw new ProtocolError(
        'ERR_PEER_CLOSED',
        `raw wire: stream ended ${this.fill} bytes into a ${this.frameBytes}-byte ${this.size.width}x${this.size.height} frame (truncated, or another --raw-size?)`,
      );
    }
  }
}

/** Makes the decoder for a wire. */
export function createTutorialDecoder(wire: TutorialWire, rawSize: RawSize = DEFAULT_RAW_SIZE): TutorialDecoder {
  return wire === 'pickle' ? new PickleStreamDecoder() : new RawStreamDecoder(rawSize);
}

/** Encodes one frame for the pickle wire: 8-byte LE length + protocol 4 pickle, in one buffer. */
export function encodePickleMessage(img: BgrImage): Buffer {
  return writePickledImage(img, true);
}

/** Encodes one frame for the raw wire (a view of its pixels, no copy); throws if its size is not the wire's. */
export function encodeRawFrame(img: BgrImage, size: RawSize = DEFAULT_RAW_SIZE): Uint8Array {
  checkBgrImage(img);
  if (img.width !== size.width || img.height !== size.height) {
    throw new ProtocolError(
      'ERR_BAD_MESSAGE',
      `raw wire carries ${size.width}x${size.height} frames; got ${img.width}x${img.height} (resize it first)`,
    );
  }
  return img.data;
}

/** Encodes one frame for either wire. */
export function encodeTutorialFrame(wire: TutorialWire, img: BgrImage, rawSize: RawSize = DEFAULT_RAW_SIZE): Uint8Array {
  return wire === 'pickle' ? encodePickleMessage(img) : encodeRawFrame(img, rawSize);
}
