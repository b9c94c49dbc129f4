// `termcall preview` in tmux with an HTTP MJPEG source: q, SIGTERM, SIGHUP and SIGINT each restore the terminal
// and exit with their documented code; a stream that stops is exit 1 with one error line; never a crash.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Tmux, truecolorCells, waitFor } from '../helpers/tui-tmux.js';
import { needTools } from '../helpers/require-tool.js';
import { mjpegSource } from '../helpers/termcall-process.js';
import type { MjpegServer } from '../helpers/mjpeg-server.js';

const skip = needTools('tmux');
const COLS = 80;
const ROWS = 24;

// The process a pane's shell started (env execs node, so it is the shell's child).
function childOf(ppid: number): number | null {
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppidField = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (Number(ppidField) === ppid) return Number(name);
    } catch {
      // the process ended meanwhile
    }
  }
  return null;
}

// Starts the preview of the stream in a fresh tmux server; resolves once video fills the screen, with its pid.
async function startPreview(t: TestContext, mjpeg: MjpegServer): Promise<{ tm: Tmux; pid: number }> {
  const tm = new Tmux();
  t.after(() => tm.kill());
  tm.start('d', COLS, ROWS);
  // Typed before the shell's first prompt, the command's output would share a line with that prompt.
  await waitFor(() => tm.plain('d').startsWith('$'), 5_000, 'the shell prompt');
  tm.runTui('d', ['preview', '--source', mjpeg.url]);
  await waitFor(() => tm.plain('d').includes('q quits'), 20_000, 'the preview status line');
  await waitFor(() => truecolorCells(tm.cells('d'), { col: 0, row: 0, cols: COLS, rows: ROWS - 1 }) > 200, 10_000, 'video on screen');
  const shell = Number(tm.display('d', '#{pane_pid}'));
  const pid = await waitFor(() => childOf(shell), 5_000, 'the preview process');
  return { tm, pid };
}

// Asserts the shell in session d got its terminal back after the preview exited with code.
async function assertRestored(tm: Tmux, code: number): Promise<void> {
  await waitFor(() => /EXIT=\d+/.test(tm.plain('d')), 10_000, 'the preview exited');
  const screen = tm.plain('d');
  assert.match(screen, new RegExp(`EXIT=${code}\\b`), screen);
  assert.doesNotMatch(screen, /Assertion|uv loop|Segmentation|core dumped|node::/, 'no crash output');
  assert.equal(tm.display('d', '#{alternate_on}'), '0', 'alternate screen left');
  assert.equal(tm.display('d', '#{cursor_flag}'), '1', 'cursor shown');
  tm.text('d', 'stty -a | tr " " "\\n" | grep -x -e icanon -e echo -e -icanon -e -echo | sort | tr "\\n" ,; echo');
  tm.keys('d', 'Enter');
  await waitFor(() => tm.plain('d').includes('echo,icanon,'), 5_000, 'stty shows icanon and echo on');
}

test('preview of an MJPEG stream: q restores the terminal and exits 0', { skip, timeout: 60_000 }, async (t) => {
  const mjpeg = await mjpegSource(t, 30);
  const { tm } = await startPreview(t, mjpeg);
  tm.keys('d', 'q');
  await assertRestored(tm, 0);
});

for (const [sig, code] of [['SIGTERM', 143], ['SIGHUP', 129], ['SIGINT', 130]] as const) {
  test(`preview of an MJPEG stream: ${sig} restores the terminal and exits ${code}`, { skip, timeout: 60_000 }, async (t) => {
    const mjpeg = await mjpegSource(t, 30);
    const { tm, pid } = await startPreview(t, mjpeg);
    process.kill(pid, sig);
    await assertRestored(tm, code);
  });
}

test('preview: the stream stopping restores the terminal, prints one error line and exits 1', { skip, timeout: 60_000 }, async (t) => {
  const mjpeg = await mjpegSource(t, 30);
  const { tm } = await startPreview(t, mjpeg);
  await mjpeg.close();
  await assertRestored(tm, 1);
  // -J joins lines the terminal wrapped.
  const screen = tm.tmux('capture-pane', '-p', '-J', '-t', 'd');
  const lines = screen.split('\n').filter((l) => /^(\$ )?termcall:/.test(l));
  assert.equal(lines.length, 1, screen);
  assert.match(lines[0]!, /^(\$ )?termcall: .*(stopped sending frames|stopped: .*) \[ERR_SOURCE_ENDED\]\s*$/);
});
