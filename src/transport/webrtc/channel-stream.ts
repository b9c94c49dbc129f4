// The reliable ordered data channel as a byte Duplex, so the call runs over it exactly as over TCP.
import { Duplex } from 'node:stream';
import type { DataChannel } from 'node-datachannel';
import { DATA_CHANNEL_HIGH_WATER_BYTES } from '../../shared/limits.js';

/** Largest message the stream sends (SCTP splits it into packets; kept below every peer's max-message-size). */
const STREAM_CHUNK_BYTES = 16 * 1024;
/** end() waits at most this long for queued bytes (a BYE) to leave before the channel closes. */
const FLUSH_TIMEOUT_MS = 2_000;

/** Bytes in, bytes out over one reliable data channel; writes wait while the channel holds too much unsent. */
export class ChannelStream extends Duplex {
  private drainWaiter: (() => void) | null = null;

  constructor(private readonly dc: DataChannel) {
    super({ allowHalfOpen: false });
    dc.setBufferedAmountLowThreshold(DATA_CHANNEL_HIGH_WATER_BYTES / 4);
    dc.onBufferedAmountLow(() => this.releaseWriter());
    dc.onMessage((m) => {
      if (typeof m === 'string') this.push(Buffer.from(m, 'utf8'));
      else this.push(Buffer.isBuffer(m) ? m : Buffer.from(m));
    });
    dc.onClosed(() => {
      this.releaseWriter();
      this.push(null);
      this.destroy();
    });
    dc.onError((e) => this.destroy(new Error(`data channel: ${e}`)));
  }

  /** Unsent bytes the channel holds, plus what the stream itself buffers. */
  get backlogBytes(): number {
    return this.writableLength + (this.dc.isOpen() ? this.dc.bufferedAmount() : 0);
  }

  /** Reads are pushed as messages arrive. */
  override _read(): void {}

  /** Send a chunk as messages; call back at once unless the channel is over its high-water mark. */
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    try {
      for (let o = 0; o < chunk.length; o += STREAM_CHUNK_BYTES) this.dc.sendMessageBinary(chunk.subarray(o, o + STREAM_CHUNK_BYTES));
    } catch (err) {
      cb(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.dc.bufferedAmount() <= DATA_CHANNEL_HIGH_WATER_BYTES) cb();
    else this.drainWaiter = () => cb();
  }

  /** end(): let what is queued leave (bounded), then close the channel. */
  override _final(cb: (err?: Error | null) => void): void {
    const started = Date.now();
    const poll = (): void => {
      if (!this.dc.isOpen() || this.dc.bufferedAmount() === 0 || Date.now() - started > FLUSH_TIMEOUT_MS) {
        cb();
        this.destroy();
        return;
      }
      setTimeout(poll, 20);
    };
    poll();
  }

  /** Close the channel. */
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.releaseWriter();
    try { this.dc.close(); } catch { /* already closed */ }
    cb(err);
  }

  /** The channel drained (or closed): let a waiting write complete. */
  private releaseWriter(): void {
    const w = this.drainWaiter;
    this.drainWaiter = null;
    w?.();
  }
}
