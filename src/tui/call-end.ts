// After a call: the "call ended" dialog that gives way to the start screen, and calling back a peer whose link was lost.
import type { CloseInfo } from '../call/session.js';
import { TUI_ENDED_MESSAGE_MS } from '../shared/limits.js';
import type { CallSide } from '../calls/call-side.js';
import type { Logger } from '../shared/log.js';
import { Reconnector, linkLost } from '../calls/reconnect.js';
import { tagEscape } from './status.js';

/** What the call-end presentation needs of the app. */
export interface EndScreen {
  /** The call screen without video, in this state, with a dialog of these lines. */
  showEnded(state: 'ended' | 'reconnecting', lines: string[]): void;
  /** Leave the call screen for the start screen, which shows this message. */
  backToForm(message: string): void;
}

/** The ended / reconnecting dialog of the call screen, its timer, and the call back. */
export class CallEnd {
  /** The peer we dialed for the current call (null when it called us): where a lost link is called back. */
  dialedTo: { host: string; port: number } | null = null;
  private readonly reconnector = new Reconnector();
  /** Between a lost link and the call back connecting (or giving up); still set while cancel() hangs up an attempt. */
  private calling = false;
  private timer: NodeJS.Timeout | null = null;
  /** Why the call ended, as the open dialog says it: what the start screen shows when a key leaves the dialog. */
  private why = '';

  constructor(private readonly screen: EndScreen, private readonly calls: Pick<CallSide, 'dial' | 'hangup' | 'refuseIncoming'>, private readonly log: Logger) {}

  /** Calling back after a lost link. */
  get reconnecting(): boolean {
    return this.calling;
  }

  /** What the open dialog says. */
  get text(): string {
    return this.why;
  }

  /** A connected call ended: if it was a link to a peer we dialed that was lost, call back (true); else false. */
  reconnect(info: CloseInfo, why: string): boolean {
    const to = this.dialedTo;
    if (!to || !linkLost(info)) return false;
    this.log.info(`${why}: reconnecting to ${to.host}:${to.port}`);
    this.calling = true;
    this.calls.refuseIncoming = true;
    this.why = why;
    this.screen.showEnded('reconnecting', [`{bold}${tagEscape(why)}{/bold}`, 'reconnecting … (h stops, q quits)']);
    this.reconnector.start(() => this.calls.dial(to.host, to.port), (last) => {
      this.calling = false;
      this.calls.refuseIncoming = false;
      const gaveUp = `${why}; could not reconnect: ${last}`;
      this.log.info(gaveUp);
      this.show(gaveUp);
    });
    return true;
  }

  /** A call-back attempt ended before it connected. */
  sessionEnded(info: CloseInfo): void {
    this.reconnector.sessionEnded(info);
  }

  /** Say why the call ended; after TUI_ENDED_MESSAGE_MS, back to the start screen. */
  show(why: string): void {
    this.why = why;
    this.screen.showEnded('ended', [`{bold}${tagEscape(why)}{/bold}`]);
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.screen.backToForm(why);
    }, TUI_ENDED_MESSAGE_MS);
  }

  /** A call is connected (again): no more calling back, and the pending return to the start screen is off. */
  connected(): void {
    this.calling = false;
    this.calls.refuseIncoming = false;
    this.reconnector.connected();
    this.clearTimer();
  }

  /** Leaving for the start screen: stop calling back, hang up an attempt under way (its end is not a failed attempt). */
  cancel(): void {
    this.reconnector.cancel();
    if (this.calling) this.calls.hangup();
    this.calling = false;
    this.calls.refuseIncoming = false;
    this.clearTimer();
  }

  /** Stop timers (quitting; the call side hangs up itself). */
  stop(): void {
    this.reconnector.cancel();
    this.clearTimer();
  }

  // Drop the pending return to the start screen.
  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
