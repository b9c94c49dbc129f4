// Ping/pong bookkeeping: round-trip time and the offset between the peer's clock and ours (NTP-style).

/**
 * Samples kept (one ping a second: about a minute); the offset comes from the one with the lowest RTT (least
 * queueing). Under load in both directions every RTT is queued and the offset of each sample is off by half its
 * asymmetry (±100–170 ms measured through 256 kbit/s each way), so a short memory made the estimate jump with each
 * new best sample, and one-way times (latency stats, congestion) with it. Both clocks are monotonic (nowMs), so a
 * minute-old sample is off by its drift only (well under 10 ms).
 */
const CLOCK_SAMPLES = 64;

/** Tracks RTT and clock offset (peer clock minus local clock, ms) from pongs. Pure: times are passed in. */
export class PingClock {
  private nextId = 1;
  private samples: { rtt: number; offset: number }[] = [];
  /** Last measured round trip in ms (NaN before the first pong). */
  rttMs = Number.NaN;

  /** The fields of the next ping to send at local time now. */
  nextPing(now: number): { id: number; ts: number } {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0;
    return { id, ts: now };
  }

  /** Account a pong that echoes our ping time echoTs and carries the peer's time peerTs, received at now. */
  onPong(echoTs: number, peerTs: number, now: number): void {
    const rtt = now - echoTs;
    if (!(rtt >= 0) || rtt > 600_000) return;
    this.rttMs = rtt;
    this.samples.push({ rtt, offset: peerTs - (echoTs + rtt / 2) });
    if (this.samples.length > CLOCK_SAMPLES) this.samples.shift();
  }

  /** Peer clock minus local clock in ms (0 until a pong arrived). */
  get offsetMs(): number {
    let best: { rtt: number; offset: number } | undefined;
    for (const s of this.samples) if (!best || s.rtt < best.rtt) best = s;
    return best ? best.offset : 0;
  }
}
