// Chat in the real TUI (tmux, two processes on 127.0.0.1): messages both ways with CJK and emoji at the right cells,
// a hostile message shown as placeholders with the terminal untouched, q inside the input, the unread count with the
// pane hidden, the length limit refused at the input, and headless stdin chat against a TUI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import { dial } from '../../src/transport/connect.js';
import { MAX_CHAT_BYTES } from '../../src/shared/limits.js';
import { needTools } from '../helpers/require-tool.js';
import { TERMCALL_BIN, layoutsFromLog, waitFor } from '../helpers/tui-tmux.js';
import { cellColumn, layoutOf, rectText, startAlice, startPair } from '../helpers/tui-pair.js';

const skip = needTools('tmux');

// The screen row (0-based) holding needle, or -1.
function rowOf(plain: string, needle: string): number {
  return plain.split('\n').findIndex((l) => l.includes(needle));
}

test('chat both ways: CJK and emoji at their real cell widths, names and times, the input never quits on q', { skip, timeout: 120_000 }, async (t) => {
  const chatLog = path.join(os.tmpdir(), `termcall-chat-${process.pid}-${Date.now()}.log`);
  t.after(() => fs.rmSync(chatLog, { force: true }));
  const { tm, aLog, bLog } = await startPair(t, 120, 40, { aArgs: ['--chat-log', chatLog] });
  const aLay = await layoutOf(aLog, 120, 40, 'side');
  const bLay = await layoutOf(bLog, 120, 40, 'side');
  assert.ok(aLay.chat && bLay.chat, 'both have a chat pane');

  // bob: Enter opens the input; q, h, p are text there; Enter sends
  tm.keys('b', 'Enter');
  await waitFor(() => tm.plain('b').includes('chat>'), 5_000, "bob's input");
  tm.text('b', 'q 日本語 😀✅');
  await waitFor(() => tm.plain('b').includes('chat> q 日本語 😀✅'), 5_000, 'the typed text in the input');
  // typed after wide characters, END is drawn as a change of a few cells: it lands where the cell widths say
  tm.text('b', ' END');
  await waitFor(() => tm.plain('b').includes('chat> q 日本語 😀✅ END'), 5_000, 'the rest of the text');
  const input = tm.plain('b').split('\n')[bLay.strip?.row ?? -1] ?? '';
  assert.equal(cellColumn(input, 'END'), (bLay.strip?.col ?? 0) + stringWidth('chat> q 日本語 😀✅ '), `END in the input: ${JSON.stringify(input)}`);
  tm.keys('b', 'Enter');
  await waitFor(() => tm.plain('a').includes('bob: q 日本語 😀✅ END'), 10_000, 'alice shows the message');
  assert.ok(!tm.plain('b').includes('EXIT='), 'q in the input did not quit');
  await waitFor(() => tm.plain('b').includes('bob: q 日本'), 5_000, 'bob sees his own line');

  // alignment: the line starts at the pane's column and END sits exactly where the cell widths put it
  const head = /\d\d:\d\d bob: /.exec(tm.plain('a'))?.[0] ?? '';
  assert.ok(head, 'a time and a name');
  const line = tm.plain('a').split('\n')[rowOf(tm.plain('a'), 'bob: q 日本')] ?? '';
  assert.equal(cellColumn(line, head), aLay.chat.col, `the message starts at the chat pane: ${JSON.stringify(line)}`);
  assert.equal(cellColumn(line, 'END'), aLay.chat.col + stringWidth(`${head}q 日本語 😀✅ `), 'END after two-cell CJK and emoji');
  assert.ok(stringWidth(line) <= 120, 'nothing pushed past the right edge');

  // alice answers with an emoji and CJK; the input closes with Esc and reopens with c
  tm.keys('a', 'c');
  await waitFor(() => tm.plain('a').includes('chat>'), 5_000, "alice's input");
  tm.text('a', '👍 了解 OK');
  tm.keys('a', 'Enter');
  await waitFor(() => tm.plain('b').includes('alice: 👍 了解 OK'), 10_000, 'bob shows the answer');
  const bLine = tm.plain('b').split('\n')[rowOf(tm.plain('b'), 'alice: 👍')] ?? '';
  const bHead = /\d\d:\d\d alice: /.exec(bLine)?.[0] ?? '';
  assert.equal(cellColumn(bLine, bHead), bLay.chat.col);
  assert.equal(cellColumn(bLine, 'OK'), bLay.chat.col + stringWidth(`${bHead}👍 了解 `));
  tm.keys('a', 'Escape');
  await waitFor(() => !tm.plain('a').includes('chat>'), 5_000, 'Esc closes the input');
  // --chat-log: both lines, in order
  const log = fs.readFileSync(chatLog, 'utf8');
  assert.match(log, /< bob: q 日本語 😀✅ END\n.*> alice: 👍 了解 OK\n/);

  // with the input closed, q quits
  tm.keys('b', 'Escape');
  await new Promise((r) => setTimeout(r, 500)); // Esc and q at once would read as Meta-q
  tm.keys('b', 'q');
  await waitFor(() => tm.plain('b').includes('EXIT=0'), 10_000, 'q quits once the input is closed');
});

test('a hostile message (OSC 52, OSC 0, CSI, C1) shows as placeholders; clipboard, title and screen are untouched', { skip, timeout: 90_000 }, async (t) => {
  const { tm, aLog, port } = await startAlice(t, 120, 40, ['--auto-accept'], (m) => m.tmux('set-option', '-g', 'set-clipboard', 'on'));
  const title = tm.display('a', '#{pane_title}');
  const eve = await dial('127.0.0.1', port, { name: 'eve', pane: { width: 320, height: 240 } });
  t.after(() => eve.hangup());
  await eve.established;
  await waitFor(() => /connected to eve/.test(fs.readFileSync(aLog, 'utf8')), 10_000, 'alice connected to eve');
  await waitFor(() => /state\s+connected/.test(tm.plain('a')), 10_000, 'the call screen');
  // a chat pane is visible: nothing unread; the raw bytes would set the clipboard, retitle, clear, recolour
  eve.sendChat('A\x1b]52;c;cHduZWQ=\x07B\x1b]0;pwned\x07C\x1b[2J\x1b[31mD\x9b1;1HE\x9d0;x\x9cF\x07G\x08Z');
  const lay = await layoutOf(aLog, 120, 40, 'side');
  assert.ok(lay.chat);
  const chat = lay.chat;
  await waitFor(() => rectText(tm.plain('a'), chat).map((l) => l.trim()).join('').includes('eve: A␛]52;c;cHduZWQ=␇B'), 10_000, 'placeholders in the chat pane');
  // a long word wraps inside the pane (continuation lines are indented): compare without the line breaks
  const text = rectText(tm.plain('a'), chat).map((l) => l.trim()).join('');
  for (const want of ['␛]0;pwned␇C', '␛[2J␛[31mD', '‹9B›1;1HE', '‹9D›0;x‹9C›F', '␇G␈Z']) assert.ok(text.includes(want), `${want} in ${text}`);
  assert.equal(tm.display('a', '#{pane_title}'), title, 'the title did not change');
  assert.equal(tm.tmux('list-buffers').trim(), '', 'nothing reached the clipboard (tmux buffers)');
  assert.match(tm.plain('a'), /state\s+connected/, 'the screen was not cleared');
  const red = tm.cells('a').slice(chat.row, chat.row + chat.rows).flat().filter((c) => c.fg?.kind === 'idx' && c.fg.n === 1).length;
  assert.equal(red, 0, 'no red text from the CSI 31 m');
  assert.equal(tm.display('a', '#{alternate_on}'), '1', 'still on the alternate screen');
});

test('the pane hidden (C): unread count and the flashed line; showing it clears the count', { skip, timeout: 90_000 }, async (t) => {
  const { tm, aLog } = await startPair(t, 120, 40);
  tm.keys('a', 'C');
  await waitFor(() => layoutsFromLog(aLog).at(-1)?.chat === null, 5_000, 'pane hidden');
  for (const msg of ['first one', 'second 日本']) {
    tm.keys('b', 'Enter');
    tm.text('b', msg);
    tm.keys('b', 'Enter');
    await waitFor(() => tm.plain('b').includes(`bob: ${msg}`), 5_000, `bob sent ${msg}`);
  }
  await waitFor(() => tm.plain('a').includes('✉ 2 unread'), 10_000, 'the unread count on the help line');
  assert.ok(tm.plain('a').includes('✉ bob: second 日本'), 'the newest line flashed under the video');
  tm.keys('a', 'C');
  await waitFor(() => !tm.plain('a').includes('unread') && tm.plain('a').includes('bob: first one'), 5_000, 'pane shown, count cleared');
});

test('over the protocol limit: refused at the input with a note, nothing sent, the text kept', { skip, timeout: 90_000 }, async (t) => {
  const { tm, aLog, bLog } = await startPair(t, 120, 40);
  tm.keys('b', 'Enter');
  // tmux send-keys takes a long literal in pieces: 4097 bytes of ASCII
  const big = 'x'.repeat(MAX_CHAT_BYTES + 1);
  for (let i = 0; i < big.length; i += 1000) tm.text('b', big.slice(i, i + 1000));
  await waitFor(() => /chat> x{60}/.test(tm.plain('b')), 20_000, 'the long text in the input');
  tm.keys('b', 'Enter');
  await waitFor(() => tm.plain('b').includes(`not sent: ${MAX_CHAT_BYTES + 1} bytes, the limit is ${MAX_CHAT_BYTES}`), 5_000, 'the note');
  assert.ok(tm.plain('b').includes('chat> x'), 'the input stays open with the text');
  assert.ok(!fs.readFileSync(aLog, 'utf8').includes('chat from bob'), 'alice got nothing');
  tm.keys('b', 'BSpace');
  tm.keys('b', 'Enter');
  // 4096 x wrap into more lines than the pane holds: alice's log says what arrived
  await waitFor(() => fs.readFileSync(aLog, 'utf8').includes(`chat from bob: ${MAX_CHAT_BYTES} chars`), 10_000, 'exactly the limit goes through');
  assert.ok(!fs.readFileSync(aLog, 'utf8').includes(`chat from bob: ${MAX_CHAT_BYTES + 1} chars`), 'the refused one never arrived');
  assert.ok(fs.readFileSync(bLog, 'utf8').includes('connected to alice'));
});

test('headless: stdin lines go out as chat, received messages print as "chat NAME: text", sanitised', { skip, timeout: 90_000 }, async (t) => {
  const { tm, aLog, port } = await startAlice(t, 120, 40, ['--auto-accept']);
  const child = spawn(process.execPath, [TERMCALL_BIN, 'call', `127.0.0.1:${port}`, '--headless', '--name', 'cam', '--source', 'test',
    '--log-file', path.join(tm.dir, 'cam.log')], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, XDG_STATE_HOME: tm.dir, XDG_CONFIG_HOME: tm.dir } });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
  await waitFor(() => out.includes('connected: alice'), 20_000, 'headless connected');
  await waitFor(() => /connected to cam/.test(fs.readFileSync(aLog, 'utf8')), 10_000, 'alice connected');
  child.stdin.write('hello from the camera box 日本\n');
  await waitFor(() => tm.plain('a').includes('cam: hello from'), 10_000, 'alice shows the stdin line')
    .catch((err: Error) => { throw new Error(`${err.message}\nheadless out:\n${out}\nalice:\n${tm.plain('a')}`); });
  tm.keys('a', 'Enter');
  tm.text('a', 'got it 😀');
  tm.keys('a', 'Enter');
  await waitFor(() => out.includes('chat alice: got it 😀\n'), 10_000, 'headless prints the message');
  child.stdin.end();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
});

test('headless: a hostile message prints with placeholders, no escape byte reaches stdout', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-hchat-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const child = spawn(process.execPath, [TERMCALL_BIN, 'listen', '--headless', '--auto-accept', '--port', '0', '--bind', '127.0.0.1', '--name', 'box',
    '--source', 'test', '--log-file', path.join(dir, 'box.log')], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, XDG_STATE_HOME: dir, XDG_CONFIG_HOME: dir } });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
  const port = Number((await waitFor(() => /listening on 127\.0\.0\.1:(\d+)/.exec(out), 20_000, 'the headless listener'))[1]);
  const eve = await dial('127.0.0.1', port, { name: 'eve\x1b[2J', pane: { width: 320, height: 240 } });
  t.after(() => eve.hangup());
  await eve.established;
  await waitFor(() => out.includes('connected: eve'), 10_000, 'connected');
  eve.sendChat('x\x1b]52;c;cHduZWQ=\x07y\x9b2Jz');
  await waitFor(() => out.includes('chat eve␛[2J: x␛]52;c;cHduZWQ=␇y‹9B›2Jz\n'), 10_000, 'the sanitised line');
  assert.ok(!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(out), 'no control byte on stdout');
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
});
