// The lossy lane over an unordered data channel with no retransmission: whole termcall messages, fragmented to fit,
// reassembled loss-tolerantly (an incomplete frame is dropped, never waited for).
import type { DataChannel } from 'node-datachannel';
import type { LossyLane, PathInfo } from '../../call/lanes.js';
import { LOSSY_DATAGRAM_BYTES, MAX_JPEG_BYTES, MAX_SOCKET_BACKLOG_BYTES, PARITY_GROUP_FRAGMENTS } from '../../shared/limits.js';
import { Reassembler, fragmentMessage } from '../../protocol/datagram.js';
import { nowMs } from '../../shared/frame.js';

/** The lane; path() is asked of the peer connection that owns the channel. */
export class ChannelLane implements LossyLane {
  private nextId = 0;
  private readonly reassembler = new Reassembler(MAX_JPEG_BYTES + 64);
  /** Messages not sent because the channel was closed or far behind, total. */
  sendDropped = 0;
  private handler: ((b: Buffer) => void) | null = null;

  constructor(private readonly dc: DataChannel, private readonly pathOf: () => PathInfo, peerMaxMessageBytes: number) {
    this.datagramBytes = Math.max(1024, Math.min(LOSSY_DATAGRAM_BYTES, peerMaxMessageBytes || LOSSY_DATAGRAM_BYTES));
    dc.onMessage((m) => {
      if (typeof m === 'string') return;
      const whole = this.reassembler.push(Buffer.isBuffer(m) ? m : Buffer.from(m), nowMs());
      if (whole) this.handler?.(whole);
    });
  }

  private readonly datagramBytes: number;

  /** Fragment and send; dropped (counted) when the channel is gone or holds more than the sender's backlog bound. */
  send(encoded: Buffer): void {
    if (!this.dc.isOpen() || this.dc.bufferedAmount() > MAX_SOCKET_BACKLOG_BYTES * 4) {
      this.sendDropped++;
      return;
    }
    try {
      for (const d of fragmentMessage(encoded, this.nextId++, this.datagramBytes, PARITY_GROUP_FRAGMENTS)) this.dc.sendMessageBinary(d);
    } catch {
      this.sendDropped++;
    }
  }

  /** Unsent bytes in the channel. */
  backlogBytes(): number {
    return this.dc.isOpen() ? this.dc.bufferedAmount() : 0;
  }

  /** Whole messages go to cb. */
  onMessage(cb: (encoded: Buffer) => void): void {
    this.handler = cb;
  }

  /** Direct or relayed, from the selected candidate pair. */
  path(): PathInfo {
    return this.pathOf();
  }

  /** Incomplete, malformed and late messages dropped on receive, total. */
  droppedCount(): number {
    const c = this.reassembler.counters;
    return c.incomplete + c.malformed + c.late;
  }
}
