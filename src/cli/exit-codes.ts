// The one place that turns errors into messages and exit codes (the codes themselves: src/shared/exit-codes.ts).
import { TermcallError, messageOf } from '../shared/errors.js';

export { EXIT } from '../shared/exit-codes.js';
import { EXIT } from '../shared/exit-codes.js';

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
