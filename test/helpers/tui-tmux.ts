// Drive TUI processes in a private tmux server and read their screens back (capture-pane -e) as cells with colours.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dev entry that runs the TUI. */
/** The real program, as a user runs it. */
export const TERMCALL_BIN = fileURLToPath(new URL('../../../bin/termcall', import.meta.url));
/** A preload that throws an uncaught error after $CRASH_TEST_AFTER_MS (the crash-restore test). */
export const CRASH_PRELOAD = fileURLToPath(new URL('./tui-crash.js', import.meta.url));

/** A colour as capture-pane -e reports it. */
export type Color = { readonly kind: 'rgb'; readonly r: number; readonly g: number; readonly b: number } | { readonly kind: 'idx'; readonly n: number } | null;

/** One screen cell. */
export interface Cell {
  readonly ch: string;
  readonly fg: Color;
  readonly bg: Color;
}

/** A tmux server of our own (-L socket), killed with kill(). */
export class Tmux {
  readonly socket = `termcall-tui-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-tui-'));

  // Run a tmux command on our server.
  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Start a session running sh (the "shell" the TUI must leave usable) in a cols x rows window. */
  start(name: string, cols: number, rows: number): void {
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', name, '-x', String(cols), '-y', String(rows),
      'env', 'LANG=C.UTF-8', 'LC_ALL=C.UTF-8', 'TERM=tmux-256color', 'PS1=$ ', 'sh');
  }

  /**
   * Type `termcall ARGS` into a session, followed by an exit-code echo. The config and state directories are this
   * server's own, so tests never read or write the user's config. crashAfterMs: an uncaught error after that long;
   * env: more NAME=value settings.
   */
  runTui(name: string, args: readonly string[], opts: { crashAfterMs?: number; env?: readonly string[] } = {}): void {
    const env = [`XDG_CONFIG_HOME=${path.join(this.dir, 'config')}`, `XDG_STATE_HOME=${path.join(this.dir, 'state')}`,
      ...(opts.crashAfterMs !== undefined ? [`CRASH_TEST_AFTER_MS=${opts.crashAfterMs}`] : []), ...(opts.env ?? [])];
    const node = opts.crashAfterMs !== undefined ? [process.execPath, '--import', CRASH_PRELOAD] : [process.execPath];
    const cmd = ['env', ...env, ...node, TERMCALL_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    this.keys(name, `${cmd}; echo "EXIT=$?"`, 'Enter');
  }

  /** send-keys (each argument is a key or literal string as tmux understands it). */
  keys(name: string, ...keys: string[]): void {
    this.tmux('send-keys', '-t', name, ...keys);
  }

  /** Send literal text (no key-name lookup). */
  text(name: string, text: string): void {
    this.tmux('send-keys', '-t', name, '-l', text);
  }

  /** The screen as plain text lines. */
  plain(name: string): string {
    return this.tmux('capture-pane', '-p', '-t', name);
  }

  /** The screen as cells with colours. */
  cells(name: string): Cell[][] {
    return parseCapture(this.tmux('capture-pane', '-p', '-e', '-t', name));
  }

  /** A tmux format value for the pane (e.g. #{alternate_on}). */
  display(name: string, format: string): string {
    return this.tmux('display-message', '-p', '-t', name, format).trim();
  }

  /** Resize the session's window. */
  resize(name: string, cols: number, rows: number): void {
    this.tmux('resize-window', '-t', name, '-x', String(cols), '-y', String(rows));
  }

  /** Kill the server and remove the temp folder. */
  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    fs.rmSync(this.dir, { recursive: true, force: true });
    // tmux leaves its socket file behind
    const uid = process.getuid?.() ?? 0;
    fs.rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${uid}`, this.socket), { force: true });
  }
}

// Parse an SGR colour (38/48 ; 2 ; r ; g ; b or ; 5 ; n) starting at params[i]; returns the colour and params used.
function sgrColor(params: number[], i: number): [Color, number] {
  const mode = params[i + 1];
  if (mode === 2) return [{ kind: 'rgb', r: params[i + 2] ?? 0, g: params[i + 3] ?? 0, b: params[i + 4] ?? 0 }, 5];
  if (mode === 5) return [{ kind: 'idx', n: params[i + 2] ?? 0 }, 3];
  return [null, 1];
}

/** Parse capture-pane -e output into rows of cells (SGR colours tracked; other escapes skipped). */
export function parseCapture(text: string): Cell[][] {
  const rows: Cell[][] = [];
  let fg: Color = null;
  let bg: Color = null;
  for (const line of text.split('\n')) {
    const row: Cell[] = [];
    for (let i = 0; i < line.length;) {
      if (line[i] === '\x1b') {
        const m = /^\x1b\[([0-9;:]*)([A-Za-z])/.exec(line.slice(i, i + 64));
        if (!m) { i++; continue; }
        i += m[0].length;
        if (m[2] !== 'm') continue;
        const params = (m[1] === '' ? '0' : (m[1] ?? '0')).split(/[;:]/).map((p) => Number(p || 0));
        for (let k = 0; k < params.length;) {
          const p = params[k] ?? 0;
          if (p === 0) { fg = null; bg = null; k++; } else if (p === 38) { const [c, n] = sgrColor(params, k); fg = c; k += n; } else if (p === 48) { const [c, n] = sgrColor(params, k); bg = c; k += n; } else if (p === 39) { fg = null; k++; } else if (p === 49) { bg = null; k++; } else if (p >= 30 && p <= 37) { fg = { kind: 'idx', n: p - 30 }; k++; } else if (p >= 40 && p <= 47) { bg = { kind: 'idx', n: p - 40 }; k++; } else if (p >= 90 && p <= 97) { fg = { kind: 'idx', n: p - 82 }; k++; } else if (p >= 100 && p <= 107) { bg = { kind: 'idx', n: p - 92 }; k++; } else k++;
        }
        continue;
      }
      const cp = line.codePointAt(i) ?? 32;
      const ch = String.fromCodePoint(cp);
      row.push({ ch, fg, bg });
      i += ch.length;
    }
    rows.push(row);
  }
  return rows;
}

/** A cell rect (0-based). */
export interface Rect {
  readonly col: number;
  readonly row: number;
  readonly cols: number;
  readonly rows: number;
}

/** Cells inside rect that show a 24-bit colour (fg of a block glyph, or bg). */
export function truecolorCells(cells: Cell[][], r: Rect): number {
  let n = 0;
  for (let y = r.row; y < r.row + r.rows; y++) {
    for (let x = r.col; x < r.col + r.cols; x++) {
      const c = cells[y]?.[x];
      if (c && (c.bg?.kind === 'rgb' || (c.fg?.kind === 'rgb' && c.ch !== ' '))) n++;
    }
  }
  return n;
}

/** Cells outside every given rect that show a 24-bit colour (leftover video = artifacts). */
export function truecolorOutside(cells: Cell[][], rects: readonly Rect[], cols: number, rows: number): number {
  let n = 0;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      if (rects.some((r) => x >= r.col && x < r.col + r.cols && y >= r.row && y < r.row + r.rows)) continue;
      const c = cells[y]?.[x];
      if (c && (c.bg?.kind === 'rgb' || (c.fg?.kind === 'rgb' && c.ch !== ' '))) n++;
    }
  }
  return n;
}

/** Poll fn every 100 ms until it returns a truthy value or ms pass (then throw with what). */
export async function waitFor<T>(fn: () => T | undefined | null | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The TUI's layout lines from its log file (last one first is what you usually want). */
export interface LoggedLayout {
  cols: number;
  rows: number;
  /** side / bottom / full (logged since the chat layout). */
  mode?: 'side' | 'bottom' | 'full';
  remote: Rect;
  preview: Rect | null;
  status: Rect | null;
  chat?: Rect | null;
  strip?: Rect;
}

// All layouts the TUI logged, in order.
export function layoutsFromLog(logFile: string): LoggedLayout[] {
  if (!fs.existsSync(logFile)) return [];
  const out: LoggedLayout[] = [];
  for (const m of fs.readFileSync(logFile, 'utf8').matchAll(/ layout (\{.*\})$/gm)) out.push(JSON.parse(m[1] as string) as LoggedLayout);
  return out;
}

// The pid the TUI logged at start.
export function pidFromLog(logFile: string): number | null {
  if (!fs.existsSync(logFile)) return null;
  const m = /info \[(\d+)\] termcall tui starting/.exec(fs.readFileSync(logFile, 'utf8'));
  return m ? Number(m[1]) : null;
}
