// Two real TUIs in one private tmux server, on 127.0.0.1: alice listens (and answers the prompt with y), bob calls.
import path from 'node:path';
import fs from 'node:fs';
import stringWidth from 'string-width';
import { Tmux, layoutsFromLog, waitFor, type LoggedLayout } from './tui-tmux.js';

/** A running pair. */
export interface Pair {
  readonly tm: Tmux;
  readonly aLog: string;
  readonly bLog: string;
  readonly port: number;
}

/** Start alice listening in session a (extra args aArgs), or only that when bob is false. */
export async function startAlice(t: { after(fn: () => void): void }, cols: number, rows: number, aArgs: readonly string[] = [],
  before?: (tm: Tmux) => void): Promise<{ tm: Tmux; aLog: string; port: number }> {
  const tm = new Tmux();
  t.after(() => tm.kill());
  const aLog = path.join(tm.dir, 'alice.log');
  tm.start('a', cols, rows);
  before?.(tm);
  tm.runTui('a', ['--port', '0', '--bind', '127.0.0.1', '--name', 'alice', '--source', 'test', '--log-file', aLog, ...aArgs]);
  const port = await waitFor(() => Number(/listening on 127\.0\.0\.1:(\d+)/.exec(tm.plain('a'))?.[1] ?? 0), 20_000, 'alice to listen');
  return { tm, aLog, port };
}

/** alice and bob connected (bob dials with `call`, alice accepts with y). */
export async function startPair(t: { after(fn: () => void): void }, cols: number, rows: number,
  opts: { aArgs?: readonly string[]; bArgs?: readonly string[]; bCols?: number; bRows?: number; before?: (tm: Tmux) => void } = {}): Promise<Pair> {
  const { tm, aLog, port } = await startAlice(t, cols, rows, opts.aArgs ?? [], opts.before);
  const bLog = path.join(tm.dir, 'bob.log');
  tm.start('b', opts.bCols ?? cols, opts.bRows ?? rows);
  tm.runTui('b', ['call', `127.0.0.1:${port}`, '--no-listen', '--name', 'bob', '--source', 'test', '--log-file', bLog, ...(opts.bArgs ?? [])]);
  await waitFor(() => tm.plain('a').includes('accept? [y/n]'), 20_000, 'the incoming-call prompt');
  tm.keys('a', 'y');
  for (const log of [aLog, bLog]) await waitFor(() => fs.existsSync(log) && /connected to \w+/.test(fs.readFileSync(log, 'utf8')), 20_000, `${path.basename(log)} connected`);
  return { tm, aLog, bLog, port };
}

/** The newest logged layout of this size (and mode, when given). */
export async function layoutOf(log: string, cols: number, rows: number, mode?: LoggedLayout['mode']): Promise<LoggedLayout> {
  return waitFor(() => layoutsFromLog(log).filter((l) => l.cols === cols && l.rows === rows && (!mode || l.mode === mode)).at(-1), 10_000,
    `a ${cols}x${rows}${mode ? ` ${mode}` : ''} layout in ${path.basename(log)}`);
}

/** The screen column (cells, wide characters counted twice) where needle starts on a captured line, or -1. */
export function cellColumn(line: string, needle: string): number {
  const i = line.indexOf(needle);
  return i < 0 ? -1 : stringWidth(line.slice(0, i));
}

/** Lines of the captured screen inside a rect, each cut to the rect's columns (by cell width). */
export function rectText(plain: string, r: { col: number; row: number; cols: number; rows: number }): string[] {
  const out: string[] = [];
  for (const line of plain.split('\n').slice(r.row, r.row + r.rows)) {
    let col = 0;
    let s = '';
    for (const ch of line) {
      const w = stringWidth(ch);
      if (col >= r.col && col + w <= r.col + r.cols) s += ch;
      col += w;
    }
    out.push(s);
  }
  return out;
}
