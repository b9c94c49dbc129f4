// Streaming decoder: bytes in (any chunking), messages out. Pure (no sockets), like ws's receiver.js.
import { ProtocolError } from '../shared/errors.js';
import { MESSAGE_HEADER_BYTES } from '../shared/limits.js';
import { asProtocolError, parsePayload } from './codec.js';
import { MAGIC, PAYLOAD_LIMITS, PREAMBLE_BYTES, type DecodedItem } from './messages.js';

/**
 * Turns a byte stream into messages. The preamble comes first; then each message header is checked against its
 * type's limit as soon as its 5 bytes are in, before any payload is kept. After an error the decoder stays failed.
 */
export class WireDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private preambleDone = false;
  private type = -1;
  private need = PREAMBLE_BYTES;
  private failed: ProtocolError | null = null;

  /** Bytes held while waiting for the rest of a preamble, header or payload. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** True when a preamble, header or payload has started but not finished (the peer stopped mid-message). */
  get midMessage(): boolean {
    return this.buffered > 0 || this.type >= 0;
  }

  /** Feed bytes; returns the messages they complete. Throws ProtocolError on a violation. */
  push(chunk: Uint8Array): DecodedItem[] {
    const { items, error } = this.pushAll(chunk);
    if (error) throw error;
    return items;
  }

  /**
   * Feed bytes; returns the messages they complete and, on a violation, the error after them: messages that came
   * whole before the bad bytes (a BYE, say) are still delivered. After an error every push returns it again.
   */
  pushAll(chunk: Uint8Array): { items: DecodedItem[]; error?: ProtocolError } {
    if (this.failed) return { items: [], error: this.failed };
    const out: DecodedItem[] = [];
    if (chunk.length === 0) return { items: out };
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    try {
      if (!this.preambleDone) this.checkMagicSoFar(buf);
      this.chunks.push(buf);
      this.buffered += buf.length;
      while (this.buffered >= this.need) {
        const bytes = this.take(this.need);
        if (!this.preambleDone) {
          this.preambleDone = true;
          out.push({ type: 'preamble', version: bytes.readUInt16BE(4) });
          this.need = MESSAGE_HEADER_BYTES;
        } else if (this.type < 0) {
          this.onHeader(bytes);
          if (this.need === 0) this.finishPayload(Buffer.alloc(0), out);
        } else {
          this.finishPayload(bytes, out);
        }
      }
    } catch (err) {
      this.failed = asProtocolError(err);
      this.chunks = [];
      this.buffered = 0;
      return { items: out, error: this.failed };
    }
    return { items: out };
  }

  /** Check the magic bytes that have arrived so far, so garbage is refused at its first byte. */
  private checkMagicSoFar(buf: Buffer): void {
    for (let i = 0; i < buf.length && this.buffered + i < MAGIC.length; i++) {
      if (buf[i] !== MAGIC[this.buffered + i]) {
        throw new ProtocolError('ERR_BAD_MAGIC', 'the peer is not speaking the termcall protocol (bad magic bytes)');
      }
    }
  }

  /** Validate a header's type and length against the limits table; sets how many payload bytes to wait for. */
  private onHeader(h: Buffer): void {
    const type = h.readUInt8(0);
    const len = h.readUInt32BE(1);
    const limit = PAYLOAD_LIMITS[type];
    if (!limit) throw new ProtocolError('ERR_UNKNOWN_MESSAGE', `message type 0x${type.toString(16)} is not known`);
    if (len > limit.max) {
      throw new ProtocolError('ERR_MESSAGE_TOO_LARGE', `${limit.name} message of ${len} bytes exceeds its limit of ${limit.max}`);
    }
    if (len < limit.min) {
      throw new ProtocolError('ERR_BAD_MESSAGE', `${limit.name} message of ${len} bytes is shorter than its ${limit.min}-byte minimum`);
    }
    this.type = type;
    this.need = len;
  }

  /** Parse a complete payload and get ready for the next header. */
  private finishPayload(payload: Buffer, out: DecodedItem[]): void {
    const type = this.type;
    this.type = -1;
    this.need = MESSAGE_HEADER_BYTES;
    out.push(parsePayload(type, payload));
  }

  /** Remove n bytes from the front of the buffered chunks (copying only when they span chunks). */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first && first.length === n) {
      this.chunks.shift();
      return first;
    }
    if (first && first.length > n) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0];
      if (!c) break;
      const k = Math.min(c.length, n - o);
      c.copy(out, o, 0, k);
      o += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    return out;
  }
}
