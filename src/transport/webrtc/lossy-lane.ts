// The lossy lane over an unordered data channel with no retransmission (what a browser peer uses): whole termcall
// messages, fragmented to fit, reassembled loss-tolerantly (fragment-lane.ts).
import type { DataChannel } from 'node-datachannel';
import type { PathInfo } from '../../call/lanes.js';
import { LOSSY_DATAGRAM_BYTES, MAX_SOCKET_BACKLOG_BYTES } from '../../shared/limits.js';
import { FragmentLane } from './fragment-lane.js';

/** The lane; path() is asked of the peer connection that owns the channel. */
export class ChannelLane extends FragmentLane {
  constructor(private readonly dc: DataChannel, pathOf: () => PathInfo, peerMaxMessageBytes: number) {
    super(pathOf, Math.max(1024, Math.min(LOSSY_DATAGRAM_BYTES, peerMaxMessageBytes || LOSSY_DATAGRAM_BYTES)));
    dc.onMessage((m) => {
      if (typeof m !== 'string') this.deliver(Buffer.isBuffer(m) ? m : Buffer.from(m));
    });
  }

  /** Fragment and send; dropped (counted) when the channel is gone or holds more than the sender's backlog bound. */
  send(encoded: Buffer): void {
    if (!this.dc.isOpen() || this.dc.bufferedAmount() > MAX_SOCKET_BACKLOG_BYTES * 4) {
      this.sendDropped++;
      return;
    }
    try {
      for (const d of this.fragments(encoded)) this.dc.sendMessageBinary(d);
    } catch {
      this.sendDropped++;
    }
  }

  /** Unsent bytes in the channel. */
  backlogBytes(): number {
    return this.dc.isOpen() ? this.dc.bufferedAmount() : 0;
  }
}
