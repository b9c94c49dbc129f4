// SIGINT / SIGTERM for the headless commands: one promise that settles on the first, and the exit code it means.
import { EXIT } from './exit-codes.js';

export interface StopSignals {
  /** Resolves on the first SIGINT or SIGTERM. */
  readonly stopped: Promise<void>;
  /** 130 after SIGINT, 143 after SIGTERM, null while no signal came. */
  code(): number | null;
  /** Removes the handlers (always, in finally). */
  dispose(): void;
}

/** Installs the handlers; the caller decides what stopping means and disposes of them when done. */
export function watchStopSignals(): StopSignals {
  let code: number | null = null;
  let resolve = (): void => {};
  const stopped = new Promise<void>((r) => { resolve = r; });
  const on = (c: number) => () => { code = c; resolve(); };
  const sigint = on(EXIT.INTERRUPTED), sigterm = on(EXIT.TERMINATED);
  process.once('SIGINT', sigint);
  process.once('SIGTERM', sigterm);
  return {
    stopped,
    code: () => code,
    dispose: () => { process.off('SIGINT', sigint); process.off('SIGTERM', sigterm); },
  };
}
