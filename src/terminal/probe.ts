// The one I/O part of detection: ask the terminal (raw mode, one write, DA1 last), collect replies ≤ 200 ms.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tty from 'node:tty';
import { MAX_PROBE_REPLY_BYTES, PROBE_TIMEOUT_MS } from '../shared/limits.js';
import { detectCaps, KITTY_FILE_QUERY_ID, KITTY_QUERY_ID, repliesComplete, type Caps, type TermReplies } from '../render/caps.js';

/** The kitty graphics query of one 1x1 RGB image sent inline (a=q: kitty checks it, stores nothing, answers OK). */
const KITTY_QUERY = `\x1b_Gi=${KITTY_QUERY_ID},s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\`;

/**
 * The queries, in one write, DA1 last as the sentinel every terminal answers:
 * XTSMGRAPHICS colour registers (CSI ? 1;1;0 S) and geometry (CSI ? 2;1;0 S), cell size (CSI 16 t),
 * text area size (CSI 14 t), DECRQM synchronized output (CSI ? 2026 $ p), truecolor test (set SGR 38;2;1;2;3,
 * read it back with DECRQSS "DCS $ q m ST", reset SGR), DA1 (CSI c).
 */
export const PROBE_QUERY =
  '\x1b[?1;1;0S\x1b[?2;1;0S\x1b[16t\x1b[14t\x1b[?2026$p\x1b[38;2;1;2;3m\x1bP$qm\x1b\\\x1b[0m' + KITTY_QUERY + '\x1b[>q\x1b[c';

/**
 * The probe with one more kitty query: the same image as a file this machine wrote (t=f). kitty answers OK only when
 * it can read that file — the terminal runs here, so frames can travel as temporary files instead of base64.
 */
export function probeQuery(kittyFile: string | null): string {
  if (!kittyFile) return PROBE_QUERY;
  const q = `\x1b_Gi=${KITTY_FILE_QUERY_ID},s=1,v=1,a=q,t=f,f=24;${Buffer.from(kittyFile, 'utf8').toString('base64')}\x1b\\`;
  return PROBE_QUERY.replace('\x1b[>q', q + '\x1b[>q');
}

// A 1x1 RGB image file for the t=f query (kitty only reads files whose path holds "tty-graphics-protocol").
function kittyQueryFile(): string | null {
  try {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-')), 'tty-graphics-protocol-probe.rgb');
    fs.writeFileSync(file, Buffer.from([1, 2, 3]));
    return file;
  } catch {
    return null;
  }
}

/** Streams to probe through; defaults to stdin/stdout when both are TTYs, else /dev/tty. */
export interface ProbeOptions {
  readonly input?: tty.ReadStream;
  readonly output?: tty.WriteStream;
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

// Collect replies from a raw-mode TTY; resolves on the DA1 reply or the timeout, always restoring the mode.
export function collectReplies(input: tty.ReadStream, output: tty.WriteStream, timeoutMs: number, query = PROBE_QUERY): Promise<string> {
  return new Promise((resolve) => {
    const wasRaw = input.isRaw;
    let data = '';
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      input.off('data', onData);
      input.off('error', finish);
      try {
        input.setRawMode(wasRaw);
      } catch {
        // the tty went away; nothing to restore
      }
      input.pause();
      resolve(data);
    };
    const onData = (chunk: Buffer | string): void => {
      data += typeof chunk === 'string' ? chunk : chunk.toString('latin1');
      if (data.length > MAX_PROBE_REPLY_BYTES) data = data.slice(0, MAX_PROBE_REPLY_BYTES);
      if (repliesComplete(data)) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    try {
      input.setRawMode(true);
      input.on('data', onData);
      input.on('error', finish);
      input.resume();
      output.write(query);
    } catch {
      finish();
    }
  });
}

// Ask the terminal and return its replies plus the window size; harmless (empty replies) without a tty.
export async function queryTerminal(opts: ProbeOptions = {}): Promise<TermReplies> {
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  let input = opts.input;
  let output = opts.output;
  let fd = -1;
  if (!input || !output) {
    if (process.stdin.isTTY && process.stdout.isTTY) {
      input = process.stdin as tty.ReadStream;
      output = process.stdout as tty.WriteStream;
    } else {
      try {
        fd = fs.openSync('/dev/tty', 'r+');
        input = new tty.ReadStream(fd);
        output = new tty.WriteStream(fd);
      } catch {
        return {};
      }
    }
  }
  const file = kittyQueryFile();
  try {
    const data = await collectReplies(input, output, timeoutMs, probeQuery(file));
    const winsize = output.columns > 0 ? { cols: output.columns, rows: output.rows } : undefined;
    return winsize ? { data, winsize } : { data };
  } finally {
    if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
    if (fd >= 0) {
      input.destroy();
      // the WriteStream shares the fd; ReadStream.destroy closed it
    }
  }
}

// Probe the terminal and detect its capabilities (for `termcall probe` and the TUI's start).
export async function probeTerminal(opts: ProbeOptions = {}): Promise<Caps> {
  return detectCaps(opts.env ?? process.env, await queryTerminal(opts));
}

export { formatCaps, chooseRenderer, detectCaps, type Caps, type RenderRequest } from '../render/caps.js';
