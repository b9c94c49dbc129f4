// The call screen in the real TUI (tmux): the layouts at 80x24, 120x40, 200x60 and 40x12, resizing during chat input,
// during the incoming-call prompt and in full-window mode, P and f, and the bell / notification bytes once per event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { needTools } from '../helpers/require-tool.js';
import { layoutsFromLog, truecolorCells, truecolorOutside, waitFor, type LoggedLayout, type Tmux } from '../helpers/tui-tmux.js';
import { layoutOf, rectText, startAlice, startPair } from '../helpers/tui-pair.js';

const skip = needTools('tmux');

// Where video cells are outside the rects (for the failure message).
function leftovers(cells: ReturnType<Tmux['cells']>, rects: readonly LoggedLayout['remote'][], cols: number, rows: number): string {
  const at: string[] = [];
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      if (rects.some((r) => x >= r.col && x < r.col + r.cols && y >= r.row && y < r.row + r.rows)) continue;
      const c = cells[y]?.[x];
      if (c && (c.bg?.kind === 'rgb' || (c.fg?.kind === 'rgb' && c.ch !== ' '))) at.push(`${x},${y}`);
    }
  }
  return `${at.length} cells (${at.slice(0, 12).join(' ')})`;
}

// Video fills the remote picture, nothing of it leaks outside the video area, and the text widgets show their text.
async function checkScreen(tm: Tmux, s: string, l: LoggedLayout, what: string): Promise<void> {
  const area = l.remote;
  await waitFor(() => truecolorCells(tm.cells(s), area) > area.cols * area.rows * 0.8, 10_000, `video in the remote pane (${what})`);
  // the video area: the remote picture, the letterbox around it and the preview over a corner
  const video = [l.remote, ...(l.preview ? [l.preview] : [])];
  await waitFor(() => truecolorOutside(tm.cells(s), video, l.cols, l.rows) === 0, 10_000, `no video outside the video area (${what})`)
    .catch((err: Error) => { throw new Error(`${err.message}: ${leftovers(tm.cells(s), video, l.cols, l.rows)} in ${JSON.stringify(l)}`); });
  // the text widgets show their text (blessed may draw a moment after the layout is logged)
  const textOk = (): string | null => {
    const plain = tm.plain(s);
    if (l.mode === 'side' && !/state\s+connected/.test(plain)) return 'side status';
    if (l.mode === 'bottom' && !/● connected \|/.test(plain)) return 'bottom status';
    if (l.chat && rectText(plain, l.chat)[0]?.trim() !== 'chat') return 'chat pane header';
    if (l.mode !== 'full' && !plain.split('\n')[l.rows - 1]?.startsWith(' Enter chat')) return 'key help on the last row';
    if (l.mode === 'full' && (/state\s+connected|● connected/.test(plain) || plain.includes('Enter chat'))) return 'nothing but video';
    return null;
  };
  await waitFor(() => textOk() === null, 5_000, `the text widgets (${what})`).catch((err: Error) => { throw new Error(`${err.message}: ${textOk()}`); });
}

// The newest logged layout, once it satisfies ok.
function latest(log: string, ok: (l: LoggedLayout) => boolean, what: string): Promise<LoggedLayout> {
  return waitFor(() => { const l = layoutsFromLog(log).at(-1); return l && ok(l) ? l : null; }, 10_000, what);
}

test('layouts at 80x24, 120x40, 200x60 and 40x12; P moves the preview, f is video only', { skip, timeout: 180_000 }, async (t) => {
  const { tm, bLog } = await startPair(t, 80, 24, { bCols: 80, bRows: 24 });
  const expect: Record<string, { mode: LoggedLayout['mode']; chat: boolean }> = {
    '80x24': { mode: 'bottom', chat: true }, '120x40': { mode: 'side', chat: true }, '200x60': { mode: 'side', chat: true }, '40x12': { mode: 'bottom', chat: false },
  };
  for (const [cols, rows] of [[80, 24], [120, 40], [200, 60], [40, 12]] as const) {
    if (cols !== 80) tm.resize('b', cols, rows);
    const l = await latest(bLog, (x) => x.cols === cols && x.rows === rows, `${cols}x${rows}`);
    const want = expect[`${cols}x${rows}`];
    assert.equal(l.mode, want?.mode, `${cols}x${rows} mode`);
    assert.equal(l.chat !== null && l.chat !== undefined, want?.chat, `${cols}x${rows} chat pane`);
    await checkScreen(tm, 'b', l, `${cols}x${rows}`);
  }
  tm.resize('b', 120, 40);
  const before = await latest(bLog, (x) => x.cols === 120 && x.rows === 40, 'back at 120x40');
  tm.keys('b', 'P');
  const moved = await latest(bLog, (l) => l.cols === 120 && l.preview !== null && l.preview.col !== before.preview?.col, 'the preview in the next corner');
  assert.equal(moved.preview?.col, 0, 'bottom-left corner');
  await checkScreen(tm, 'b', moved, 'preview moved');
  tm.keys('b', 'f');
  const full = await latest(bLog, (l) => l.mode === 'full', 'full window');
  assert.equal(full.status, null);
  await checkScreen(tm, 'b', full, 'full window');
  // resize in full-window mode: still full, video in the new area
  tm.resize('b', 80, 24);
  await checkScreen(tm, 'b', await latest(bLog, (l) => l.mode === 'full' && l.cols === 80, 'full at 80x24'), 'full window after resize');
  tm.keys('b', 'f');
  const back = await latest(bLog, (l) => l.mode === 'bottom', 'back from full window');
  await checkScreen(tm, 'b', back, 'back from full window');
});

test('resize during chat input: the input keeps its text and cursor and still sends', { skip, timeout: 120_000 }, async (t) => {
  const { tm, aLog, bLog } = await startPair(t, 120, 40);
  tm.keys('b', 'Enter');
  tm.text('b', 'typed before the resize 日本');
  await waitFor(() => tm.plain('b').includes('chat> typed before the resize 日本'), 5_000, 'the input');
  for (const [cols, rows] of [[80, 24], [40, 12], [200, 60]] as const) {
    tm.resize('b', cols, rows);
    const l = await layoutOf(bLog, cols, rows);
    assert.ok(l.strip, 'a strip row');
    const strip = l.strip;
    await waitFor(() => rectText(tm.plain('b'), strip)[0]?.startsWith('chat> '), 5_000, `the input on the strip row at ${cols}x${rows}`);
    assert.ok(!tm.plain('b').includes('EXIT='));
  }
  tm.text('b', ' and after');
  tm.keys('b', 'Enter');
  await waitFor(() => fs.readFileSync(aLog, 'utf8').includes('chat from bob: 36 chars'), 10_000, 'the message arrived whole');
  await waitFor(() => tm.plain('b').includes('bob: typed before the resize'), 5_000, "bob's pane shows it");
});

test('resize during the incoming-call prompt: the prompt stays and y still accepts', { skip, timeout: 90_000 }, async (t) => {
  const { tm, aLog, port } = await startAlice(t, 120, 40);
  tm.start('b', 100, 30);
  tm.runTui('b', ['call', `127.0.0.1:${port}`, '--no-listen', '--name', 'bob', '--source', 'test', '--log-file', path.join(tm.dir, 'bob.log')]);
  await waitFor(() => tm.plain('a').includes('accept? [y/n]'), 20_000, 'the prompt');
  for (const [cols, rows] of [[80, 24], [40, 12], [120, 40]] as const) {
    tm.resize('a', cols, rows);
    await waitFor(() => layoutsFromLog(aLog).some((l) => l.cols === cols && l.rows === rows), 5_000, `relayout at ${cols}x${rows}`);
    await waitFor(() => /Incoming call from/.test(tm.plain('a')), 5_000, `the prompt at ${cols}x${rows}`);
  }
  tm.keys('a', 'y');
  await waitFor(() => /connected to bob/.test(fs.readFileSync(aLog, 'utf8')), 10_000, 'accepted after the resizes');
  await checkScreen(tm, 'a', await layoutOf(aLog, 120, 40), 'after the prompt');
});

// What the TUI wrote to the terminal, as tmux's pipe-pane saw it.
function output(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'latin1') : '';
}

// Bells that are not the end of an OSC sequence (blessed ends its title OSC with BEL).
function bells(out: string): number {
  return (out.replace(/\x1b\][^\x07\x1b]*\x07/g, '').match(/\x07/g) ?? []).length;
}

for (const mode of ['auto', 'osc9', 'osc777', 'osc99'] as const) {
  test(`notifications (--notify ${mode}): once per incoming call and per chat message; desktop escapes off over plain tmux unless named`, { skip, timeout: 90_000 }, async (t) => {
    let pipe = '';
    const { tm, aLog, bLog } = await startPair(t, 120, 40, {
      aArgs: ['--notify', mode], before: (m) => {
        pipe = path.join(m.dir, 'a.out');
        m.tmux('pipe-pane', '-t', 'a', `cat >> ${pipe}`);
      },
    });
    await waitFor(() => bells(output(pipe)) === 1, 5_000, 'one bell for the incoming call');
    tm.keys('b', 'Enter');
    for (const msg of ['one', 'two']) {
      tm.text('b', msg);
      tm.keys('b', 'Enter');
      await waitFor(() => tm.plain('b').includes(`bob: ${msg}`), 5_000, `bob sent ${msg}`);
    }
    await waitFor(() => (fs.readFileSync(aLog, 'utf8').match(/chat from bob/g) ?? []).length === 2, 5_000, 'both messages');
    await waitFor(() => bells(output(pipe)) === 3, 5_000, 'one bell per message');
    const out = output(pipe);
    const desktop = { osc9: /\]9;/g, osc777: /\]777;notify;/g, osc99: /\]99;i=termcall:d=0;/g };
    for (const [k, re] of Object.entries(desktop)) {
      const n = (out.match(re) ?? []).length;
      assert.equal(n, k === mode ? 3 : 0, `${k} escapes with --notify ${mode}`);
    }
    if (mode !== 'auto') assert.match(out, /\x1bPtmux;\x1b\x1b\]/, 'named inside tmux: wrapped for the passthrough');
    assert.ok(out.includes('bob') || mode === 'auto', 'the notification names the peer');
    assert.ok(fs.readFileSync(bLog, 'utf8').includes('connected to alice'));
  });
}
