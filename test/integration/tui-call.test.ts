// Two TUI processes in tmux on 127.0.0.1: one listens and answers the prompt, the other calls from the form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { dial } from '../../src/transport/connect.js';
import {
  Tmux, layoutsFromLog, pidFromLog, truecolorCells, truecolorOutside, waitFor, type LoggedLayout,
} from '../helpers/tui-tmux.js';
import { needTools } from '../helpers/require-tool.js';

const skip = needTools('tmux');

/** A listener (alice) and a caller (bob) in one tmux server; bob has typed host and port and pressed Enter. */
async function startCall(t: { after(fn: () => void): void }, cols = 110, rows = 34, typedName?: string): Promise<{ tm: Tmux; aLog: string; bLog: string; port: number }> {
  const tm = new Tmux();
  t.after(() => tm.kill());
  const aLog = path.join(tm.dir, 'alice.log');
  const bLog = path.join(tm.dir, 'bob.log');
  tm.start('a', cols, rows);
  tm.start('b', cols, rows);
  tm.runTui('a', ['--port', '0', '--bind', '127.0.0.1', '--name', 'alice', '--source', 'test', '--log-file', aLog]);
  tm.runTui('b', ['--no-listen', '--name', 'bob', '--source', 'test', '--log-file', bLog]);
  const port = await waitFor(() => {
    const m = /listening on 127\.0\.0\.1:(\d+)/.exec(tm.plain('a'));
    return m ? Number(m[1]) : null;
  }, 20_000, 'alice to listen');
  await waitFor(() => tm.plain('b').includes('not listening for calls'), 20_000, "bob's start screen");
  // the focus starts on Host; Tab to Port (its default text is selected, so typing replaces it), Enter calls
  tm.text('b', '127.0.0.1');
  tm.keys('b', 'Tab');
  tm.text('b', String(port));
  // (a name typed into the Name field, replacing --name, is the one the call announces)
  if (typedName) {
    tm.keys('b', 'Tab');
    tm.text('b', typedName);
  }
  tm.keys('b', 'Enter');
  const who = new RegExp(`Incoming call from ${typedName ?? 'bob'} \\(127\\.0\\.0\\.1:\\d+\\)`);
  await waitFor(() => who.test(tm.plain('a')) && tm.plain('a').includes('accept? [y/n]'), 20_000, 'the incoming-call prompt');
  return { tm, aLog, bLog, port };
}

// The newest logged layout whose terminal size is cols x rows.
function layoutFor(log: string, cols: number, rows: number): LoggedLayout | undefined {
  return layoutsFromLog(log).filter((l) => l.cols === cols && l.rows === rows).at(-1);
}

test('call from the form, accept with y: connected, 24-bit video, p toggles the preview, resize, h hangs up, q restores', { skip, timeout: 120_000 }, async (t) => {
  const { tm, aLog, bLog } = await startCall(t);
  assert.ok(tm.plain('b').includes('ringing alice'), 'bob sees the call ringing');
  tm.keys('a', 'y');
  for (const s of ['a', 'b']) await waitFor(() => /● connected/.test(tm.plain(s)), 20_000, `${s} connected`);
  assert.match(tm.plain('b'), /connected \| alice \(127\.0\.0\.1:\d+\)/);
  assert.match(tm.plain('a'), /connected \| bob \(127\.0\.0\.1:\d+\)/);

  // bob: remote video and preview are 24-bit colour cells inside their panes
  const lay = await waitFor(() => layoutFor(bLog, 110, 34), 5_000, "bob's layout");
  assert.ok(lay.preview, 'the preview is shown');
  const preview = lay.preview;
  await waitFor(() => truecolorCells(tm.cells('b'), lay.remote) > lay.remote.cols * lay.remote.rows * 0.8, 10_000, 'remote video cells');
  await waitFor(() => truecolorCells(tm.cells('b'), preview) > preview.cols * preview.rows * 0.8, 10_000, 'preview cells');
  await waitFor(() => /in [1-9][0-9.]*fps/.test(tm.plain('b')), 10_000, 'frames counted in the status panel');

  // p hides the preview: its area holds no video any more (the remote may grow into it)
  tm.keys('b', 'p');
  const noPreview = await waitFor(() => layoutsFromLog(bLog).at(-1)?.preview === null && layoutsFromLog(bLog).at(-1), 5_000, 'layout without preview');
  await waitFor(() => truecolorOutside(tm.cells('b'), [noPreview.remote], 110, 34) === 0, 5_000, 'no video outside the remote pane');
  tm.keys('b', 'p');
  await waitFor(() => layoutsFromLog(bLog).at(-1)?.preview, 5_000, 'preview back');

  // resize mid-call: new layout, video inside the new panes, nothing left outside them
  tm.resize('b', 80, 24);
  const small = await waitFor(() => layoutFor(bLog, 80, 24), 10_000, 'layout after resize');
  const rects = [small.remote, ...(small.preview ? [small.preview] : [])];
  await waitFor(() => truecolorCells(tm.cells('b'), small.remote) > small.remote.cols * small.remote.rows * 0.8, 10_000, 'video after resize');
  await waitFor(() => truecolorOutside(tm.cells('b'), rects, 80, 24) === 0, 10_000, 'no artifacts after resize');
  assert.match(tm.plain('b'), /● connected/);

  // h: bob hangs up and is back on the form; alice is told and goes back to hers
  tm.keys('b', 'h');
  await waitFor(() => tm.plain('b').includes('[ Call ]') && tm.plain('b').includes('you hung up'), 10_000, 'bob back on the form');
  await waitFor(() => tm.plain('a').includes('bob hung up'), 10_000, 'alice told that bob hung up');
  await waitFor(() => tm.plain('a').includes('[ Call ]'), 10_000, 'alice back on the form');
  assert.equal(truecolorOutside(tm.cells('b'), [], 80, 24), 0, 'no video left on the form');

  // q (the focus is on the Call button after a call) quits; the shell is usable: canonical mode and echo on, cursor shown, main screen
  tm.keys('b', 'q');
  await waitFor(() => tm.plain('b').includes('EXIT=0'), 10_000, 'bob exits with 0');
  assert.equal(tm.display('b', '#{alternate_on}'), '0', 'alternate screen left');
  assert.equal(tm.display('b', '#{cursor_flag}'), '1', 'cursor shown');
  tm.text('b', 'stty -a | tr " " "\\n" | grep -x -e icanon -e echo -e -icanon -e -echo | sort | tr "\\n" ,; echo');
  tm.keys('b', 'Enter');
  await waitFor(() => tm.plain('b').includes('echo,icanon,'), 5_000, 'stty shows icanon and echo on');
  tm.keys('a', 'C-c');
  await waitFor(() => tm.plain('a').includes('EXIT=130'), 10_000, 'alice exits with 130 on Ctrl-C');
  assert.ok(fs.readFileSync(aLog, 'utf8').includes('accepting call from'));
});

test('declining with n: the caller sees "declined" and receives no frames (the caller\'s typed name is the one shown)', { skip, timeout: 60_000 }, async (t) => {
  const { tm, bLog } = await startCall(t, 110, 34, 'robert');
  tm.keys('a', 'n');
  await waitFor(() => /alice declined the call/.test(tm.plain('b')), 10_000, 'bob sees the decline');
  await waitFor(() => fs.readFileSync(bLog, 'utf8').includes('frames received in this call'), 5_000, 'bob logs the call end');
  assert.match(fs.readFileSync(bLog, 'utf8'), /frames received in this call: 0\n/);
  assert.doesNotMatch(fs.readFileSync(bLog, 'utf8'), /connected to alice/);
  assert.equal(truecolorOutside(tm.cells('b'), [], 110, 34), 0, 'no video cells on bob\'s screen');
  assert.ok(tm.plain('b').includes('[ Call ]'), 'bob stays on the form');
  await waitFor(() => !tm.plain('a').includes('accept? [y/n]') && tm.plain('a').includes('you declined the call from robert'), 5_000, 'alice: prompt gone, decline noted');
});

test('killing the peer mid-call shows the ended state within 5 s', { skip, timeout: 60_000 }, async (t) => {
  const { tm, aLog } = await startCall(t);
  tm.keys('a', 'y');
  await waitFor(() => /● connected/.test(tm.plain('b')), 20_000, 'bob connected');
  const pid = pidFromLog(aLog);
  assert.ok(pid, 'alice logged her pid');
  process.kill(pid, 'SIGKILL');
  await waitFor(() => /● ended|call ended/.test(tm.plain('b')), 5_000, 'bob shows ended within 5 s');
  await waitFor(() => tm.plain('b').includes('[ Call ]'), 10_000, 'bob back on the form');
});

test('--auto-accept connects without the prompt; a second caller meanwhile is declined as busy', { skip, timeout: 60_000 }, async (t) => {
  const tm = new Tmux();
  t.after(() => tm.kill());
  const aLog = path.join(tm.dir, 'alice.log');
  tm.start('a', 100, 30);
  tm.runTui('a', ['--port', '0', '--bind', '127.0.0.1', '--name', 'alice', '--source', 'test', '--auto-accept', '--log-file', aLog]);
  const port = await waitFor(() => Number(/listening on 127\.0\.0\.1:(\d+)/.exec(tm.plain('a'))?.[1] ?? 0), 20_000, 'alice to listen');
  const carol = await dial('127.0.0.1', port, { name: 'carol', pane: { width: 0, height: 0 } });
  t.after(() => carol.hangup());
  const peer = await carol.established;
  assert.equal(peer.name, 'alice');
  await waitFor(() => /● connected \| carol/.test(tm.plain('a')), 10_000, 'alice connected to carol without a prompt');
  assert.ok(!tm.plain('a').includes('accept? [y/n]'));
  const dave = await dial('127.0.0.1', port, { name: 'dave', pane: { width: 0, height: 0 } });
  const info = await dave.closed;
  assert.equal(info.reason, 'busy');
  assert.match(tm.plain('a'), /● connected \| carol/, 'the first call goes on');
});
