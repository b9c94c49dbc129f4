// The passphrase policy, the same for the TUI and the headless commands: empty is an error, short gets a warning.
import { UsageError } from '../../shared/errors.js';
import { MIN_SECRET_CHARS } from '../../shared/limits.js';

/** The passphrase to use (undefined: a plain call) and a warning to show, if any. */
export interface SecretCheck {
  readonly secret?: string;
  readonly warning?: string;
}

/** Checks a --secret / TERMCALL_SECRET / config value; throws UsageError(ERR_USAGE) when it is given but empty. */
export function checkSecret(secret: string | undefined): SecretCheck {
  if (secret === undefined) return {};
  if (secret === '') throw new UsageError('ERR_USAGE', '--secret (or TERMCALL_SECRET) is empty');
  if ([...secret].length >= MIN_SECRET_CHARS) return { secret };
  return {
    secret,
    warning: `the passphrase is short; use ${MIN_SECRET_CHARS}+ characters or 5+ random words (docs/security.md)`,
  };
}
