// What both WebRTC lossy lanes share: termcall messages cut into fragments with parity, reassembled loss-tolerantly
// (an incomplete frame is dropped, never waited for). The lanes differ in what carries a fragment.
import type { LossyLane, PathInfo } from '../../call/lanes.js';
import { LOSSY_DATAGRAM_BYTES, MAX_JPEG_BYTES, PARITY_GROUP_FRAGMENTS } from '../../shared/limits.js';
import { Reassembler, fragmentMessage } from '../../protocol/datagram.js';
import { nowMs } from '../../shared/frame.js';

/** Fragmenting, reassembly and the counters; a subclass sends fragments and feeds received ones to deliver(). */
export abstract class FragmentLane implements LossyLane {
  private nextId = 0;
  private readonly reassembler = new Reassembler(MAX_JPEG_BYTES + 64);
  private handler: ((b: Buffer) => void) | null = null;
  /** Messages not sent because the carrier was closed or far behind, total. */
  sendDropped = 0;

  constructor(private readonly pathOf: () => PathInfo, protected readonly fragmentBytes = LOSSY_DATAGRAM_BYTES) {}

  abstract send(encoded: Buffer): void;
  abstract backlogBytes(): number;

  /** The message's fragments, parity included, each to be sent as one packet. */
  protected fragments(encoded: Buffer): Buffer[] {
    return fragmentMessage(encoded, this.nextId++, this.fragmentBytes, PARITY_GROUP_FRAGMENTS);
  }

  /** One received fragment; a message it completes goes to the handler. */
  protected deliver(fragment: Buffer): void {
    const whole = this.reassembler.push(fragment, nowMs());
    if (whole) this.handler?.(whole);
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
