// The TUI's log: synchronous appends to a file (nothing may print onto the TUI; lines survive a crash).
import fs from 'node:fs';
import path from 'node:path';
import { messageOf } from './errors.js';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
  close(): void;
}

// Open (append) the log file, creating its folder; a log that cannot be opened logs nowhere rather than failing.
export function openLog(file: string): Logger {
  let fd = -1;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fd = fs.openSync(file, 'a');
  } catch {
    fd = -1;
  }
  const write = (level: string, msg: string): void => {
    if (fd < 0) return;
    try {
      fs.writeSync(fd, `${new Date().toISOString()} ${level} [${process.pid}] ${msg}\n`);
    } catch {
      // a full disk must not end the call
    }
  };
  return {
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m, err) => write('error', err === undefined ? m : `${m}: ${err instanceof Error && err.stack ? err.stack : messageOf(err)}`),
    close: () => {
      if (fd >= 0) fs.closeSync(fd);
      fd = -1;
    },
  };
}
