// SIGINT / SIGTERM / SIGHUP for the commands without a TUI: one promise that settles on the first, and its exit code.
import { STOP_SIGNAL_EXIT, type StopSignal } from '../shared/exit-codes.js';

export interface StopSignals {
  /** Resolves on the first SIGINT, SIGTERM or SIGHUP (an ssh session or terminal that went away). */
  readonly stopped: Promise<void>;
  /** 130 after SIGINT, 143 after SIGTERM, 129 after SIGHUP, null while no signal came. */
  code(): number | null;
  /** The signal that came first, null while none did. */
  signal(): StopSignal | null;
  /** Removes the handlers (always, in finally). */
  dispose(): void;
}

/**
 * Installs the handlers; the caller decides what stopping means and disposes of them when done. The first signal
 * decides the exit code; later ones are swallowed until dispose(), so a second Ctrl-C cannot kill the cleanup half way.
 */
export function watchStopSignals(): StopSignals {
  let first: StopSignal | null = null;
  let resolve = (): void => {};
  const stopped = new Promise<void>((r) => { resolve = r; });
  const handlers = (Object.keys(STOP_SIGNAL_EXIT) as StopSignal[]).map((sig) => {
    const on = (): void => {
      if (first !== null) return;
      first = sig;
      resolve();
    };
    process.on(sig, on);
    return [sig, on] as const;
  });
  return {
    stopped,
    code: () => (first === null ? null : STOP_SIGNAL_EXIT[first]),
    signal: () => first,
    dispose: () => { for (const [sig, on] of handlers) process.off(sig, on); },
  };
}
