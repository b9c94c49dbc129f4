// Exit codes (documented in the README) and the one place that turns errors into messages.
import { TermcallError, messageOf } from '../shared/errors.js';

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

const USAGE_CODES = new Set(['ERR_USAGE', 'ERR_NO_TTY', 'ERR_SOURCE_SPEC', 'ERR_CONFIG']);

/** The exit code for an error that ended a command. */
export function exitCodeFor(err: unknown): number {
  return err instanceof TermcallError && USAGE_CODES.has(err.code) ? EXIT.USAGE : EXIT.FAILURE;
}

/** One clear line (or a few) for stderr: "termcall: message [CODE]". */
export function formatError(err: unknown): string {
  if (err instanceof TermcallError) return `termcall: ${err.message} [${err.code}]`;
  return `termcall: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : messageOf(err)}`;
}
