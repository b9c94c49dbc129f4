// `demo` mode in tmux: video in both panes, a tiny terminal, and the terminal restored after q, signals and a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { needTools } from '../helpers/require-tool.js';
import { Tmux, layoutsFromLog, pidFromLog, truecolorCells, waitFor, type LoggedLayout } from '../helpers/tui-tmux.js';

const skip = needTools('tmux');

/** Start the demo in a fresh tmux server; resolves once connected with video in the remote pane. */
async function startDemo(t: { after(fn: () => void): void }, cols: number, rows: number, crashAfterMs?: number): Promise<{ tm: Tmux; log: string }> {
  const tm = new Tmux();
  t.after(() => tm.kill());
  const log = path.join(tm.dir, 'demo.log');
  tm.start('d', cols, rows);
  tm.runTui('d', ['demo', '--log-file', log], crashAfterMs !== undefined ? { crashAfterMs } : {});
  // the status panel sits below the video (one line) or beside it (label per line) depending on the window
  await waitFor(() => /● connected \| demo peer|peer {6}demo peer[^]*state {5}connected/.test(tm.plain('d')), 20_000, 'the demo connected');
  return { tm, log };
}

// The newest layout logged for this terminal size.
function layoutFor(log: string, cols: number, rows: number): LoggedLayout | undefined {
  return layoutsFromLog(log).filter((l) => l.cols === cols && l.rows === rows).at(-1);
}

// Assert the shell in session d got its terminal back.
async function assertRestored(tm: Tmux, code: number): Promise<void> {
  await waitFor(() => tm.plain('d').includes(`EXIT=${code}`), 10_000, `exit code ${code}`);
  assert.equal(tm.display('d', '#{alternate_on}'), '0', 'alternate screen left');
  assert.equal(tm.display('d', '#{cursor_flag}'), '1', 'cursor shown');
  tm.text('d', 'stty -a | tr " " "\\n" | grep -x -e icanon -e echo -e -icanon -e -echo | sort | tr "\\n" ,; echo');
  tm.keys('d', 'Enter');
  await waitFor(() => tm.plain('d').includes('echo,icanon,'), 5_000, 'stty shows icanon and echo on');
}

test('demo: the clip fills the remote pane, the test pattern the preview; 40x12 still works; q restores', { skip, timeout: 90_000 }, async (t) => {
  const { tm, log } = await startDemo(t, 120, 40);
  const lay = await waitFor(() => layoutFor(log, 120, 40), 5_000, 'layout');
  assert.ok(lay.preview, 'preview shown');
  const preview = lay.preview;
  await waitFor(() => truecolorCells(tm.cells('d'), lay.remote) > lay.remote.cols * lay.remote.rows * 0.8, 10_000, 'remote video');
  await waitFor(() => truecolorCells(tm.cells('d'), preview) > preview.cols * preview.rows * 0.8, 10_000, 'preview video');
  assert.ok(lay.remote.cols * lay.remote.rows > (120 * 40) / 2, 'the remote pane takes most of the screen');

  // v pauses and resumes sending; ? opens the help over the video and any key closes it
  tm.keys('d', 'v');
  await waitFor(() => /connected \(sending paused\)|state {5}connected[^\n]*\n[^\n]*sending paused/.test(tm.plain('d')), 5_000, 'sending paused');
  tm.keys('d', 'v');
  await waitFor(() => !tm.plain('d').includes('sending paused'), 5_000, 'sending resumed');
  tm.keys('d', '?');
  await waitFor(() => tm.plain('d').includes('Keys in a call'), 5_000, 'help shown');
  tm.keys('d', 'x');
  await waitFor(() => !tm.plain('d').includes('Keys in a call'), 5_000, 'help closed');
  await waitFor(() => truecolorCells(tm.cells('d'), lay.remote) > lay.remote.cols * lay.remote.rows * 0.8, 10_000, 'video back after help');

  // r: the renderers this terminal supports, in the table's order; on '256' the pane holds 256-colour cells and no
  // 24-bit ones; the cycle comes back to where it started
  const rendererShown = (): string => /renderer {2}([a-z0-9]+)\b/.exec(tm.plain('d'))?.[1] ?? '';
  const first = await waitFor(() => rendererShown() || null, 5_000, 'the renderer in the status');
  assert.equal(first, 'symbols', 'auto picks the sub-cell symbols inside tmux');
  const seen = [first];
  for (let i = 0; i < 12; i++) {
    const before = rendererShown();
    tm.keys('d', 'r');
    await waitFor(() => rendererShown() !== before, 5_000, `renderer after ${before}`);
    if (rendererShown() === first) break;
    seen.push(rendererShown());
    if (rendererShown() !== '256') continue;
    await waitFor(() => truecolorCells(tm.cells('d'), lay.remote) === 0, 10_000, 'no 24-bit cells left');
    const indexed = tm.cells('d').slice(lay.remote.row, lay.remote.row + lay.remote.rows)
      .flatMap((row) => row.slice(lay.remote.col, lay.remote.col + lay.remote.cols)).filter((c) => c.bg?.kind === 'idx' && c.bg.n >= 16).length;
    assert.ok(indexed > lay.remote.cols * lay.remote.rows * 0.5, `256-colour cells in the pane: ${indexed}`);
  }
  assert.ok(seen.includes('256') && seen.includes('ascii'), `r went through 256 and ascii: ${seen.join(' → ')}`);
  await waitFor(() => rendererShown() === first, 5_000, `r cycles back to ${first}`);

  tm.resize('d', 40, 12);
  const tiny = await waitFor(() => layoutFor(log, 40, 12), 10_000, 'layout at 40x12');
  assert.ok(tiny.remote.cols >= 10 && tiny.remote.rows >= 5, `a usable remote pane at 40x12: ${JSON.stringify(tiny.remote)}`);
  await waitFor(() => truecolorCells(tm.cells('d'), tiny.remote) > tiny.remote.cols * tiny.remote.rows * 0.8, 10_000, 'video at 40x12');
  await waitFor(() => tm.plain('d').split('\n').some((l) => l.startsWith('● connected')), 5_000, 'status visible at 40x12')
    .catch((err: Error) => { throw new Error(`${err.message}; the screen:\n${tm.plain('d')}`); });
  assert.ok(tm.plain('d').split('\n').some((l) => l.startsWith(' Enter chat | q quit')), 'key help visible at 40x12');

  tm.keys('d', 'q');
  await assertRestored(tm, 0);
});

for (const [sig, code] of [['SIGTERM', 143], ['SIGHUP', 129], ['SIGINT', 130]] as const) {
  test(`demo: ${sig} restores the terminal and exits ${code}`, { skip, timeout: 60_000 }, async (t) => {
    const { tm, log } = await startDemo(t, 100, 30);
    const pid = pidFromLog(log);
    assert.ok(pid);
    process.kill(pid, sig);
    await assertRestored(tm, code);
  });
}

test('demo: the terminal closing under it (its window gone) is a hang-up: exit 129, no error', { skip, timeout: 60_000 }, async (t) => {
  const { tm, log } = await startDemo(t, 100, 30);
  const pid = pidFromLog(log);
  assert.ok(pid);
  tm.tmux('new-session', '-d', '-s', 'keep', 'sleep 60'); // (the server outlives the session)
  tm.tmux('kill-session', '-t', 'd');
  await waitFor(() => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }, 10_000, 'termcall exited');
  const text = fs.readFileSync(log, 'utf8');
  assert.match(text, /quitting with code 129\n/);
  assert.doesNotMatch(text, /uncaught error/);
});

test('demo: an uncaught error restores the terminal, then is printed and logged; exit 1', { skip, timeout: 60_000 }, async (t) => {
  const { tm, log } = await startDemo(t, 100, 30, 2500);
  await assertRestored(tm, 1);
  assert.ok(tm.plain('d').includes('boom: deliberate test crash'), 'the error is printed on the restored screen');
  assert.match(fs.readFileSync(log, 'utf8'), /uncaught error: Error: boom: deliberate test crash/);
});
