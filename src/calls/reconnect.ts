// Calling back after the link to a peer we dialed was lost (half-open link, connection reset): the "reconnecting" state.
import type { CloseInfo } from '../call/session.js';
import { TermcallError, messageOf } from '../shared/errors.js';
import { RECONNECT_INTERVAL_MS, RECONNECT_WINDOW_MS } from '../shared/limits.js';

/** Did the call end because the link was lost (no bye: ping timeout, connection closed or reset) rather than by a decision? */
export function linkLost(info: CloseInfo): boolean {
  const code = info.error?.code;
  return code === 'ERR_PING_TIMEOUT' || code === 'ERR_HANDSHAKE_TIMEOUT' || (code === 'ERR_PEER_CLOSED' && info.reason === 'goingAway');
}

/**
 * Calls back until a call is connected again (the peer accepts as for any call), the peer refuses connections (its
 * termcall is gone), the peer decides (declines, busy), RECONNECT_WINDOW_MS has passed, or cancel() is called.
 */
export class Reconnector {
  private timer: NodeJS.Timeout | null = null;
  private active = false;
  private deadline = 0;
  private dial: () => Promise<void> = async () => {};
  private giveUp: (why: string) => void = () => {};

  constructor(private readonly now: () => number = Date.now) {}

  /** A call back is under way (until connected, given up or cancelled). */
  get isActive(): boolean {
    return this.active;
  }

  /** Starts calling back; onGiveUp gets the reason when it stops without a connection. */
  start(dial: () => Promise<void>, onGiveUp: (why: string) => void): void {
    this.cancel();
    this.active = true;
    this.deadline = this.now() + RECONNECT_WINDOW_MS;
    this.dial = dial;
    this.giveUp = onGiveUp;
    this.attempt();
  }

  /**
   * A call-back session ended before it connected: try again if the link was the problem, or the peer said busy
   * (it may not have noticed yet that the old call is dead); give up on any other answer (declined, …).
   */
  sessionEnded(info: CloseInfo): void {
    if (!this.active) return;
    if (linkLost(info) || info.reason === 'busy') this.failed(info.error ?? new Error(info.text));
    else this.stop(info.error ? messageOf(info.error) : info.text);
  }

  /** The call is connected again. */
  connected(): void {
    this.cancel();
  }

  /** Stops calling back (hung up, quit, connected). */
  cancel(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  // One dial; a failure to connect at all is handled at once, a session that fails later comes via sessionEnded().
  private attempt(): void {
    this.timer = null;
    this.dial().catch((err: unknown) => this.failed(err));
  }

  // Schedules the next attempt, unless the peer refused or the window is over.
  private failed(err: unknown): void {
    if (!this.active) return;
    const refused = err instanceof TermcallError && err.code === 'ERR_CONNECT_REFUSED';
    if (refused || this.now() + RECONNECT_INTERVAL_MS > this.deadline) return this.stop(messageOf(err));
    this.timer = setTimeout(() => this.attempt(), RECONNECT_INTERVAL_MS);
    this.timer.unref();
  }

  // Gives up with a reason.
  private stop(why: string): void {
    this.cancel();
    this.giveUp(why);
  }
}
