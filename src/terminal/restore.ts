// Putting the terminal back: raw mode off, cursor shown, attributes reset, alternate screen left — whatever happened.
import fs from 'node:fs';
import type tty from 'node:tty';

/** End synchronized output, reset SGR, show the cursor, leave the alternate screen, mouse, focus and keypad modes off. */
export const RESTORE_SEQUENCE = '\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l\x1b[?1000l\x1b[?1002l\x1b[?1006l\x1b[?1004l\x1b[?1l\x1b>';

/**
 * Whether an error is the terminal going away under a write or read (its window closed, the ssh session dropped):
 * a pty whose other side is closed answers EIO, a closed pipe EPIPE. That is a hang-up, not a crash.
 */
export function terminalGone(err: unknown): boolean {
  const e = err as { code?: unknown; syscall?: unknown } | null;
  return typeof e === 'object' && e !== null && (e.code === 'EIO' || e.code === 'EPIPE') && (e.syscall === 'write' || e.syscall === 'read');
}

// Restore the terminal synchronously (safe in 'exit' handlers and after errors); idempotent enough to call twice.
export function restoreTerminal(input: tty.ReadStream | NodeJS.ReadStream, output: NodeJS.WriteStream): void {
  try {
    if ('isTTY' in input && input.isTTY && 'setRawMode' in input && typeof input.setRawMode === 'function') input.setRawMode(false);
  } catch {
    // the tty is gone (ssh dropped): nothing to restore
  }
  try {
    input.pause();
  } catch {
    // ignore
  }
  if (!output.isTTY) return;
  try {
    const fd = (output as { fd?: number }).fd;
    if (typeof fd === 'number') fs.writeSync(fd, RESTORE_SEQUENCE);
    else output.write(RESTORE_SEQUENCE);
  } catch {
    // the tty is gone
  }
}
