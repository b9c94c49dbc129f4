// Exit codes (documented in the README), the same for every command and for the TUI.

export const EXIT = {
  OK: 0,
  /** Runtime failure: peer unreachable, camera missing, broken stream. */
  FAILURE: 1,
  /** Usage error, or no terminal for the TUI. */
  USAGE: 2,
  /** Interrupted by SIGINT (Ctrl-C). */
  INTERRUPTED: 130,
  /** Ended by SIGTERM. */
  TERMINATED: 143,
  /** Ended by SIGHUP (the terminal or ssh session went away). */
  HANGUP: 129,
} as const;

/** The stop signals every long-running command handles, with the code each one exits with (128 + its number). */
export const STOP_SIGNAL_EXIT = { SIGINT: EXIT.INTERRUPTED, SIGTERM: EXIT.TERMINATED, SIGHUP: EXIT.HANGUP } as const;
export type StopSignal = keyof typeof STOP_SIGNAL_EXIT;
