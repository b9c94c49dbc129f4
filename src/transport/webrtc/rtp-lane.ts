// The lossy lane over an RTP media track (SRTP, keyed by the same DTLS handshake as the data channels): each
// fragment of a termcall message is the payload of one RTP packet. Unlike an SCTP data channel, a track has no
// transport congestion control, so random loss does not shrink a congestion window and queue the frames behind it;
// the call's own controller (call/congestion.ts, from ack delays) sets the rate. Loss-tolerant reassembly as on the
// data-channel lane: an incomplete frame is dropped, never waited for.
import type { Track } from 'node-datachannel';
import type { PathInfo } from '../../call/lanes.js';
import { nowMs } from '../../shared/frame.js';
import { FragmentLane } from './fragment-lane.js';
import { RTP_PAYLOAD_TYPE } from './signal-blob.js';

const RTP_HEADER_BYTES = 12;
/** RTP timestamps tick at 90 kHz for video. */
const RTP_CLOCK_PER_MS = 90;

/** The 12-byte RTP header (version 2, no padding, extension or CSRCs) for one packet. */
export function rtpHeader(seq: number, timestamp: number, ssrc: number): Buffer {
  const h = Buffer.alloc(RTP_HEADER_BYTES);
  h[0] = 0x80;
  h[1] = RTP_PAYLOAD_TYPE;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(timestamp >>> 0, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  return h;
}

/** The payload of an RTP packet of ours, or null for anything else (RTCP, another payload type, a malformed packet). */
export function rtpPayload(packet: Buffer): Buffer | null {
  if (packet.length < RTP_HEADER_BYTES || (packet[0] ?? 0) >> 6 !== 2) return null;
  if (((packet[1] ?? 0) & 0x7f) !== RTP_PAYLOAD_TYPE) return null;
  let off = RTP_HEADER_BYTES + 4 * ((packet[0] ?? 0) & 0x0f);
  if ((packet[0] ?? 0) & 0x10) {
    if (packet.length < off + 4) return null;
    off += 4 + 4 * packet.readUInt16BE(off + 2);
  }
  let end = packet.length;
  if ((packet[0] ?? 0) & 0x20) end -= packet[packet.length - 1] ?? 0;
  return off <= end ? packet.subarray(off, end) : null;
}

/** The lane over one open track; ssrc is this side's (signal-blob.ts RTP_SSRC). */
export class RtpLane extends FragmentLane {
  private seq = 0;

  constructor(private readonly track: Track, private readonly ssrc: number, pathOf: () => PathInfo) {
    super(pathOf);
    track.onMessage((m) => {
      const payload = rtpPayload(Buffer.isBuffer(m) ? m : Buffer.from(m));
      if (payload) this.deliver(payload);
    });
  }

  /** Fragment and send, one RTP packet per fragment; dropped (counted) when the track is gone. */
  send(encoded: Buffer): void {
    if (!this.track.isOpen()) {
      this.sendDropped++;
      return;
    }
    const ts = Math.round(nowMs() * RTP_CLOCK_PER_MS);
    try {
      for (const d of this.fragments(encoded)) this.track.sendMessageBinary(Buffer.concat([rtpHeader(this.seq++, ts, this.ssrc), d]));
    } catch {
      this.sendDropped++;
    }
  }

  /** Unsent bytes: none, a track hands each packet to the socket at once (node-datachannel's Track has no
   *  bufferedAmount, though its types list one). Queueing on the path shows in the ack delays instead. */
  backlogBytes(): number {
    return 0;
  }
}
