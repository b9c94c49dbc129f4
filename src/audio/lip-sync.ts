// Lip sync (pure, no timers): the audio play-out clock says which capture time (local clock) is being heard now;
// video frames are held in a short bounded queue until their capture time is heard. No audio heard lately (peer
// muted, no speaker, speaker muted) → no hold. Never holds a frame longer than LIPSYNC_MAX_HOLD_MS.
import { LIPSYNC_AUDIO_FRESH_MS, LIPSYNC_MAX_HOLD_MS, LIPSYNC_MAX_QUEUED_FRAMES } from '../shared/limits.js';

/** Anything with a capture time on the local clock (ms). */
export interface Timed {
  readonly captureTs: number;
}

/** Maps local time to the capture time being heard, from the last audio frame written to the speaker. */
export class SyncClock {
  /** Capture → heard delay of the last audio frame (ms), and when it was written (local ms). */
  private delay = 0;
  private at = Number.NEGATIVE_INFINITY;

  /** An audio frame captured at captureTs (local clock) will be heard at playAt; writtenAt is now. */
  heard(captureTs: number, playAt: number, writtenAt: number): void {
    this.delay = playAt - captureTs;
    this.at = writtenAt;
  }

  /** Audio is not heard any more (speaker muted or gone): video goes out at once. */
  clear(): void {
    this.at = Number.NEGATIVE_INFINITY;
  }

  /** Capture → heard delay now (ms), or null when no audio was heard within LIPSYNC_AUDIO_FRESH_MS. */
  audioDelayMs(now: number): number | null {
    return now - this.at <= LIPSYNC_AUDIO_FRESH_MS ? this.delay : null;
  }
}

interface Held<T> {
  readonly item: T;
  readonly showAt: number;
}

/** Video frames waiting for their audio; push and due return what to show now (at most one: the newest due). */
export class LipSyncQueue<T extends Timed> {
  private held: Held<T>[] = [];
  /** Frames dropped: overtaken by a newer due frame, or beyond LIPSYNC_MAX_QUEUED_FRAMES. */
  dropped = 0;

  constructor(private readonly clock: SyncClock) {}

  /** A decoded frame arrives at now: the frame to show now, if any (it or an older one now due). */
  push(item: T, now: number): T | null {
    const d = this.clock.audioDelayMs(now);
    const showAt = d === null ? now : Math.min(item.captureTs + d, now + LIPSYNC_MAX_HOLD_MS);
    this.held.push({ item, showAt });
    if (this.held.length > LIPSYNC_MAX_QUEUED_FRAMES) {
      this.held.shift();
      this.dropped++;
    }
    // No audio: release everything held (in order, the newest wins).
    if (d === null) return this.due(Number.POSITIVE_INFINITY);
    return this.due(now);
  }

  /** The newest frame whose time has come (older due ones are stale and dropped), or null. */
  due(now: number): T | null {
    let n = 0;
    while (n < this.held.length && (this.held[n]?.showAt ?? Infinity) <= now) n++;
    if (n === 0) return null;
    const out = this.held[n - 1]?.item ?? null;
    this.dropped += n - 1;
    this.held = this.held.slice(n);
    return out;
  }

  /** When the next held frame is due (local ms), or null when none is held. */
  nextDueAt(): number | null {
    return this.held[0]?.showAt ?? null;
  }

  /** Frames held now. */
  get size(): number {
    return this.held.length;
  }

  /** Forget everything held (the call ended). */
  clear(): void {
    this.held = [];
  }
}
