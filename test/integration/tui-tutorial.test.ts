// The TUI with the Python tutorial programs (--wire pickle), in tmux: view a sender it dials, answer a program that connects.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/shared/paths.js';
import { needTools, python3With } from '../helpers/require-tool.js';
import { Tmux, layoutsFromLog, truecolorCells, truecolorOutside, waitFor } from '../helpers/tui-tmux.js';

const skip = needTools('tmux', 'python3 numpy');
const PY = python3With('numpy') ?? 'python3';
const pyDir = path.join(packageRoot(), 'test', 'python');

// A Python tutorial program, killed when the test ends; its stdout+stderr so far via out().
function python(t: TestContext, script: string, args: string[]): { child: ChildProcess; out: () => string; done: Promise<number | null> } {
  const child = spawn(PY, [path.join(pyDir, script), ...args], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { out += s; });
  return { child, out: () => out, done: new Promise((r) => child.on('exit', (c) => r(c))) };
}

// Types `termcall ARGS; echo EXIT=$?` into a tmux session (its own config and log file in the test's folder).
function termcall(tm: Tmux, name: string, args: readonly string[]): string {
  const log = path.join(tm.dir, `${name}.log`);
  tm.runTui(name, [...args, '--log-file', log]);
  return log;
}

// The terminal is usable again: main screen, cursor shown.
function assertRestored(tm: Tmux, name: string): void {
  assert.equal(tm.display(name, '#{alternate_on}'), '0', 'alternate screen left');
  assert.equal(tm.display(name, '#{cursor_flag}'), '1', 'cursor shown');
}

test('call a Python pickle sender: "tutorial (pickle)", 24-bit video, receive-side stats; the sender ends → ended; q restores', { skip, timeout: 120_000 }, async (t) => {
  // far more frames than the test needs: the sender streams until it is stopped below
  const py = python(t, 'pickle_sender.py', ['--frames', '1000000', '--size', '160x120', '--protocol', '4']);
  const port = Number((await waitFor(() => /^listening (\d+)$/m.exec(py.out()), 20_000, 'the sender to listen'))[1]);
  const tm = new Tmux();
  t.after(() => tm.kill());
  tm.start('a', 100, 30);
  const log = termcall(tm, 'a', ['call', `127.0.0.1:${port}`, '--wire', 'pickle', '--source', 'test']);

  await waitFor(() => /● connected \| tutorial \(pickle\) \(127\.0\.0\.1:\d+\)/.test(tm.plain('a')), 20_000, 'connected to "tutorial (pickle)"');
  const lay = await waitFor(() => layoutsFromLog(log).filter((l) => l.cols === 100 && l.rows === 30).at(-1), 5_000, 'the layout');
  await waitFor(() => truecolorCells(tm.cells('a'), lay.remote) > lay.remote.cols * lay.remote.rows * 0.8, 10_000, 'video cells in the remote pane');
  const rects = [lay.remote, ...(lay.preview ? [lay.preview] : [])];
  assert.equal(truecolorOutside(tm.cells('a'), rects, 100, 30), 0, 'no video outside the panes');
  const status = await waitFor(() => /in [1-9][0-9.]*fps 160x120 [1-9]\d*kbit\/s \| out -fps -kbit\/s \| rtt -ms \| latency -ms/.exec(tm.plain('a')), 10_000, 'receive-side fps, size and kbit/s');
  assert.ok(status);
  assert.match(tm.plain('a'), /not encrypted/);

  // the sender goes away mid-stream: the call ends with its reason, then the form comes back
  py.child.kill('SIGTERM');
  await waitFor(() => /call ended/.test(tm.plain('a')) || /tutorial \(pickle\) hung up/.test(tm.plain('a')), 10_000, 'the ended message');
  await waitFor(() => tm.plain('a').includes('[ Call ]'), 10_000, 'back on the form');
  assert.equal(truecolorOutside(tm.cells('a'), [], 100, 30), 0, 'no video left on the form');
  assert.match(fs.readFileSync(log, 'utf8'), /tutorial \(pickle\) at 127\.0\.0\.1:\d+ closed.*received [1-9]\d* frames/);

  tm.keys('a', 'q');
  await waitFor(() => tm.plain('a').includes('EXIT=0'), 10_000, 'exit 0 after q');
  assertRestored(tm, 'a');
});

test('listen --wire pickle --send: a connecting program waits at the prompt unread and unsent; y → both ways', { skip, timeout: 120_000 }, async (t) => {
  const tm = new Tmux();
  t.after(() => tm.kill());
  tm.start('a', 100, 30);
  const log = termcall(tm, 'a', ['listen', '--port', '0', '--bind', '127.0.0.1', '--wire', 'pickle', '--send', '--source', 'test']);
  const port = await waitFor(() => /listening on 127\.0\.0\.1:(\d+) for tutorial programs \(pickle wire\)/.exec(tm.plain('a'))?.[1], 20_000, 'listening');
  const py = python(t, 'pickle_twoway.py', ['--connect', '--port', port, '--frames', '30', '--size', '160x120']);
  await waitFor(() => /Incoming call from tutorial \(pickle\) \(127\.0\.0\.1:\d+\)/.test(tm.plain('a')) && tm.plain('a').includes('accept? [y/n]'), 20_000, 'the prompt');
  // the program already sends; termcall neither reads nor sends before the answer
  assert.doesNotMatch(py.out(), /^frame /m, 'nothing was sent before acceptance');
  assert.doesNotMatch(fs.readFileSync(log, 'utf8'), /connected to tutorial/);

  tm.keys('a', 'y');
  assert.equal(await py.done, 0, py.out());
  assert.match(py.out(), /^frame 29 \d+x\d+x3 /m, 'the program received our video');
  assert.match(py.out(), /^done 30$/m);
  await waitFor(() => /connected to tutorial \(pickle\)[^\n]*sending my video too/.test(fs.readFileSync(log, 'utf8')), 5_000, 'connected in the log');
  await waitFor(() => /tutorial \(pickle\) at [^\n]* closed[^\n]*received [1-9]\d* frames, sent [1-9]\d*/.test(fs.readFileSync(log, 'utf8')), 10_000, 'the link closed with frames both ways');
  await waitFor(() => tm.plain('a').includes('[ Call ]'), 10_000, 'back on the form');
  tm.keys('a', 'C-c');
  await waitFor(() => tm.plain('a').includes('EXIT=130'), 10_000, 'exit 130 after Ctrl-C');
  assertRestored(tm, 'a');
});

test('listen --wire pickle: n declines a connecting program, which is closed having received nothing', { skip, timeout: 60_000 }, async (t) => {
  const tm = new Tmux();
  t.after(() => tm.kill());
  tm.start('a', 100, 30);
  termcall(tm, 'a', ['listen', '--port', '0', '--bind', '127.0.0.1', '--wire', 'pickle', '--send', '--source', 'test']);
  const port = await waitFor(() => /listening on 127\.0\.0\.1:(\d+) for tutorial programs/.exec(tm.plain('a'))?.[1], 20_000, 'listening');
  const py = python(t, 'pickle_twoway.py', ['--connect', '--port', port, '--frames', '5', '--size', '160x120']);
  await waitFor(() => tm.plain('a').includes('accept? [y/n]'), 20_000, 'the prompt');
  tm.keys('a', 'n');
  await py.done;
  // closed unread: the program sees the end of the stream, or a reset (its frames were never read)
  assert.match(py.out(), /^done 0$|ConnectionResetError/m, py.out());
  assert.doesNotMatch(py.out(), /^frame /m);
  await waitFor(() => tm.plain('a').includes('you declined the call from tutorial (pickle)'), 10_000, 'the decline noted');
  tm.keys('a', 'C-c');
  await waitFor(() => tm.plain('a').includes('EXIT=130'), 10_000, 'exit 130 after Ctrl-C');
  assertRestored(tm, 'a');
});
