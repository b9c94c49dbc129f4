// WebRTC calls on the real call screen: two TUIs in tmux exchange call codes (the offer copied off the first pane,
// the answer from its file, each pasted into the other TUI), connect over WebRTC on 127.0.0.1, show video both ways
// and name the path in the status panel; q restores the terminal. A browser joining `listen --web` gets the same
// accept prompt as a TCP caller and is accepted with y (a fresh link follows the call); so does a call signalled through ssh (the project's sshd).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { needRoot, needTools } from '../helpers/require-tool.js';
import { startSshd } from '../helpers/sshd.js';
import { packageRoot } from '../../src/shared/paths.js';
import { Tmux, layoutsFromLog, truecolorCells, waitFor } from '../helpers/tui-tmux.js';

/** The code shown in a pane's dialog, read back off the screen: its first line starts with prefix, the rest follow. */
function codeFromScreen(plain: string, prefix: string): string | null {
  const lines = plain.split('\n');
  const first = lines.findIndex((l) => l.includes(prefix));
  if (first < 0) return null;
  // each code line sits between the dialog's borders: "│ chunk │" (tmux prints the border as x without -e)
  const chunk = /^\s*\S\s([0-9a-z]+)\s+\S\s*$/;
  let code = '';
  for (let i = first; i < lines.length; i++) {
    const m = chunk.exec(lines[i] ?? '');
    if (!m?.[1]) break;
    code += m[1];
  }
  return code.startsWith(prefix) ? code : null;
}

/** Two panes in one tmux (killed after the test), a for alice and b for bob, 100x32 each, with their log files. */
function twoPanes(t: TestContext): { tm: Tmux; aLog: string; bLog: string } {
  const tm = new Tmux();
  t.after(() => tm.kill());
  tm.start('a', 100, 32);
  tm.start('b', 100, 32);
  return { tm, aLog: path.join(tm.dir, 'alice.log'), bLog: path.join(tm.dir, 'bob.log') };
}

/** Run wait; should it fail, fail with the warnings and errors of the logs added (why the link failed). */
async function orLogWarnings<T>(logs: readonly string[], wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (err) {
    const why = logs.flatMap((l) => (fs.existsSync(l) ? fs.readFileSync(l, 'utf8').split('\n') : [])).filter((l) => / (warn|error) /.test(l));
    throw new Error(`${(err as Error).message}\n${why.join('\n')}`);
  }
}

/** Wait until each session shows the call connected, or fail with the warnings of the logs (why the link failed). */
async function waitConnected(tm: Tmux, sessions: readonly string[], logs: readonly string[]): Promise<void> {
  await orLogWarnings(logs, async () => {
    for (const s of sessions) await waitFor(() => /● connected|state {5}connected/.test(tm.plain(s)), 45_000, `${s} connected`);
  });
}

/** Remote video cells fill the remote pane (the newest layout in log). */
async function videoIn(tm: Tmux, session: string, log: string): Promise<void> {
  const lay = await waitFor(() => layoutsFromLog(log).at(-1), 10_000, `${session}'s layout`);
  await waitFor(() => truecolorCells(tm.cells(session), lay.remote) > lay.remote.cols * lay.remote.rows * 0.8, 20_000, `${session}: remote video`);
}

const PATH = /direct (host|srflx|prflx)→(host|srflx|prflx)/;

test('a call-code call between two TUIs: codes copied off the screen and pasted, video both ways, the path named, q restores',
  { skip: needTools('tmux'), timeout: 180_000 }, async (t) => {
    const { tm, aLog, bLog } = twoPanes(t);
    tm.runTui('a', ['call', '--code', '--no-listen', '--name', 'alice', '--source', 'test', '--log-file', aLog]);
    // alice's screen shows her call code; it is also in a file (and the log)
    const offer = await waitFor(() => codeFromScreen(tm.plain('a'), 'tco1'), 30_000, 'the call code on alice\'s screen');
    assert.match(tm.plain('a'), /Paste their answer code/);
    assert.equal(fs.readFileSync(path.join(tm.dir, 'state', 'termcall', 'call-code.txt'), 'utf8').trim(), offer, 'the file holds the same code');
    assert.ok(fs.readFileSync(aLog, 'utf8').includes(offer), 'the log holds it too');

    tm.runTui('b', ['answer', offer, '--no-listen', '--name', 'bob', '--source', 'test', '--log-file', bLog]);
    await waitFor(() => tm.plain('b').includes('Your answer code'), 30_000, 'the answer code on bob\'s screen');
    const answerFile = path.join(tm.dir, 'state', 'termcall', 'answer-code.txt');
    const answer = await waitFor(() => fs.existsSync(answerFile) && fs.readFileSync(answerFile, 'utf8').trim(), 5_000, 'the answer code file');
    assert.equal(codeFromScreen(tm.plain('b'), 'tca1'), answer, 'bob\'s screen shows the answer code of the file');

    // pasted in two pieces with Enter between (a paste that broke the line): the half is refused, the whole connects
    tm.text('a', answer.slice(0, 90));
    tm.keys('a', 'Enter');
    await waitFor(() => /too short|damaged|cut/.test(tm.plain('a')), 5_000, 'the half code refused');
    tm.text('a', answer.slice(90));
    tm.keys('a', 'Enter');
    await waitConnected(tm, ['a', 'b'], [aLog, bLog]);
    assert.match(tm.plain('a'), /connected \| bob \(call code\)/);
    assert.match(tm.plain('b'), /connected \| alice \(call code\)/);
    // video both ways, and the status panel names the WebRTC path and says it is encrypted
    await videoIn(tm, 'a', aLog);
    await videoIn(tm, 'b', bLog);
    for (const s of ['a', 'b']) {
      await waitFor(() => PATH.test(tm.plain(s)), 10_000, `${s}: the path in the status panel`);
      assert.match(tm.plain(s), /encrypted, not authenticated/);
      await waitFor(() => /in [1-9][0-9.]*fps/.test(tm.plain(s)), 10_000, `${s}: frames counted`);
    }

    // q quits: exit 0, main screen back, the shell usable; alice is told
    tm.keys('b', 'q');
    await waitFor(() => tm.plain('b').includes('EXIT=0'), 15_000, 'bob exits with 0');
    assert.equal(tm.display('b', '#{alternate_on}'), '0', 'alternate screen left');
    assert.equal(tm.display('b', '#{cursor_flag}'), '1', 'cursor shown');
    await waitFor(() => /bob hung up|call ended/.test(tm.plain('a')), 15_000, 'alice told the call ended');
    tm.keys('a', 'q');
    await waitFor(() => tm.plain('a').includes('EXIT=0'), 15_000, 'alice exits with 0');
    assert.equal(tm.display('a', '#{alternate_on}'), '0');
  });

test('call codes from the start screens: Ctrl-O makes one, pasted into the other\'s host field it is answered, the answer pasted back connects',
  { skip: needTools('tmux'), timeout: 180_000 }, async (t) => {
    const { tm, aLog, bLog } = twoPanes(t);
    tm.runTui('a', ['--no-listen', '--name', 'alice', '--source', 'test', '--log-file', aLog]);
    tm.runTui('b', ['--no-listen', '--name', 'bob', '--source', 'test', '--log-file', bLog]);
    for (const s of ['a', 'b']) await waitFor(() => tm.plain(s).includes('Ctrl-O make a call code'), 30_000, `${s}'s start screen names Ctrl-O`);
    tm.keys('a', 'C-o');
    const offer = await waitFor(() => codeFromScreen(tm.plain('a'), 'tco1'), 30_000, 'the call code on alice\'s screen');
    tm.text('b', offer);
    tm.keys('b', 'Enter');
    const answer = await waitFor(() => codeFromScreen(tm.plain('b'), 'tca1'), 30_000, 'the answer code on bob\'s screen');
    tm.text('a', answer);
    tm.keys('a', 'Enter');
    await waitConnected(tm, ['a', 'b'], [aLog, bLog]);
    assert.match(tm.plain('a'), /connected \| bob \(call code\)/);
    assert.match(tm.plain('b'), /connected \| alice \(call code\)/);
    await videoIn(tm, 'b', bLog);
    assert.ok(fs.existsSync(path.join(tm.dir, 'state', 'termcall', 'answer-code.txt')), 'the answer code is in a file too');
    tm.keys('b', 'q');
    await waitFor(() => tm.plain('b').includes('EXIT=0'), 15_000, 'bob exits with 0');
  });

test('a browser joining listen --web is prompted like a TCP caller and accepted with y: video both ways, the path named',
  { skip: needTools('tmux', 'chromium'), timeout: 180_000 }, async (t) => {
    const tm = new Tmux();
    t.after(() => tm.kill());
    const aLog = path.join(tm.dir, 'alice.log');
    tm.start('a', 100, 32);
    tm.runTui('a', ['listen', '--web', '0', '--name', 'alice', '--source', 'test', '--log-file', aLog]);
    const link = await waitFor(() => /open (http:\/\/127\.0\.0\.1:\d+\/join\/[A-Za-z0-9_-]+)/.exec(tm.plain('a').replace(/\n\s*/g, ''))?.[1], 30_000, 'the join link');
    const loggedLink = /open (http:\/\/\S+\/join\/[A-Za-z0-9_-]+)/.exec(fs.readFileSync(aLog, 'utf8'))?.[1];
    assert.equal(loggedLink, link, 'the link on screen is the logged one');
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-chromium-'));
    const browser: ChildProcess = spawn('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream', '--window-size=700,600', `--user-data-dir=${profile}`,
      '--remote-debugging-port=0', link], { stdio: 'ignore', detached: true });
    const exited = new Promise((r) => browser.once('exit', r));
    t.after(async () => {
      // the whole process group: chromium's helpers (renderer, crashpad) otherwise go on writing into the profile
      // while it is removed (ENOTEMPTY failed a CI run)
      try {
        if (browser.pid) process.kill(-browser.pid, 'SIGKILL');
      } catch {
        browser.kill('SIGKILL');
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
    });
    // the same prompt as a TCP caller: nothing flows until y
    await orLogWarnings([aLog], () =>
      waitFor(() => /Incoming call from .* \(browser\) — accept\? \[y\/n\]/.test(tm.plain('a').replace(/\n\s*x?\s*/g, ' ')), 45_000, 'the prompt'));
    assert.match(tm.plain('a'), /encrypted \(WebRTC\), not authenticated/);
    assert.doesNotMatch(fs.readFileSync(aLog, 'utf8'), /connected to /, 'not connected before the answer');
    tm.keys('a', 'y');
    await waitConnected(tm, ['a'], [aLog]);
    await videoIn(tm, 'a', aLog);
    await waitFor(() => /in [1-9][0-9.]*fps/.test(tm.plain('a')), 15_000, 'frames from the browser counted');
    await waitFor(() => PATH.test(tm.plain('a')), 10_000, 'the path in the status panel');
    assert.ok(fs.readFileSync(aLog, 'utf8').includes('accepting call from'), 'accepted by the key');
    // h hangs up: back on the start screen with a fresh one-time link (the used one is spent)
    tm.keys('a', 'h');
    const next = await waitFor(() => {
      const shown = /open (http:\/\/127\.0\.0\.1:\d+\/join\/[A-Za-z0-9_-]+)/.exec(tm.plain('a').replace(/\n\s*/g, ''))?.[1];
      return shown !== link && shown;
    }, 15_000, 'a fresh join link on the start screen');
    assert.notEqual(next, link, 'a new link after the call');
    assert.equal((await fetch(link)).status, 403, 'the used link is refused');
    tm.keys('a', 'q');
    await waitFor(() => tm.plain('a').includes('EXIT=0'), 15_000, 'alice exits with 0');
    assert.equal(tm.display('a', '#{alternate_on}'), '0', 'alternate screen left');
  });

test('call ssh://… between two TUIs: the answering TUI prompts, y connects, the path and the proven passphrase are shown',
  { skip: needTools('tmux', 'sshd', 'ssh', 'ssh-keygen') || needRoot('sshd logs a user in'), timeout: 180_000 }, async (t) => {
    const sshd = await startSshd(t);
    const runDir = fs.mkdtempSync(path.join(sshd.dir, 'run-'));
    const secret = 'correct horse battery staple orbit';
    const { tm, aLog, bLog } = twoPanes(t);
    tm.runTui('a', ['answer', '--name', 'alice', '--source', 'test', '--secret', secret, '--log-file', aLog], { env: [`XDG_RUNTIME_DIR=${runDir}`] });
    await waitFor(() => tm.plain('a').includes('listening for calls signalled over ssh'), 30_000, 'alice waiting for ssh calls');
    const remote = `XDG_RUNTIME_DIR=${runDir} ${process.execPath} ${path.join(packageRoot(), 'bin', 'termcall')} signal-answer`;
    tm.runTui('b', ['call', `ssh://root@127.0.0.1:${sshd.port}`, '--no-listen', '--name', 'bob', '--source', 'test', '--secret', secret,
      '--ssh-command', sshd.sshCommand.join(' '), '--ssh-remote-command', remote, '--log-file', bLog]);
    await orLogWarnings([aLog, bLog], () =>
      waitFor(() => /Incoming call from bob .*accept\? \[y\/n\]/.test(tm.plain('a').replace(/\n\s*x?\s*/g, ' ')), 60_000, 'the prompt'));
    assert.match(tm.plain('a'), /encrypted: the caller knows the passphrase/);
    assert.match(tm.plain('b'), /ringing alice|calling ssh:\/\/root@127\.0\.0\.1/);
    tm.keys('a', 'y');
    await waitConnected(tm, ['a', 'b'], [aLog, bLog]);
    await videoIn(tm, 'b', bLog);
    for (const s of ['a', 'b']) {
      await waitFor(() => PATH.test(tm.plain(s)), 10_000, `${s}: the path in the status panel`);
      assert.match(tm.plain(s), /encrypted, passphrase proven/);
    }
    assert.match(tm.plain('b'), /alice \(ssh:\/\/root@127\.0\.0\.1\)/);
    tm.keys('b', 'q');
    await waitFor(() => tm.plain('b').includes('EXIT=0'), 15_000, 'bob exits with 0');
    assert.equal(tm.display('b', '#{alternate_on}'), '0', 'alternate screen left');
  });

test('ssh://… typed into the start screen\'s host field: signalled through ssh, the answering TUI prompts, y connects',
  { skip: needTools('tmux', 'sshd', 'ssh', 'ssh-keygen') || needRoot('sshd logs a user in'), timeout: 180_000 }, async (t) => {
    const sshd = await startSshd(t);
    const runDir = fs.mkdtempSync(path.join(sshd.dir, 'run-'));
    const { tm, aLog, bLog } = twoPanes(t);
    tm.runTui('a', ['answer', '--name', 'alice', '--source', 'test', '--log-file', aLog], { env: [`XDG_RUNTIME_DIR=${runDir}`] });
    await waitFor(() => tm.plain('a').includes('listening for calls signalled over ssh'), 30_000, 'alice waiting for ssh calls');
    const remote = `XDG_RUNTIME_DIR=${runDir} ${process.execPath} ${path.join(packageRoot(), 'bin', 'termcall')} signal-answer`;
    tm.runTui('b', ['--no-listen', '--name', 'bob', '--source', 'test', '--ssh-command', sshd.sshCommand.join(' '),
      '--ssh-remote-command', remote, '--log-file', bLog]);
    await waitFor(() => tm.plain('b').includes('ssh://USER@HOST'), 30_000, 'bob\'s start screen (its host hint names ssh://)');
    // a bad address is refused with what to type
    tm.text('b', 'ssh://-x@box');
    tm.keys('b', 'Enter');
    await waitFor(() => tm.plain('b').includes('is not an ssh://[USER@]HOST[:PORT] address'), 10_000, 'a bad ssh:// address refused');
    tm.keys('b', 'C-u');
    tm.text('b', `ssh://root@127.0.0.1:${sshd.port}`);
    tm.keys('b', 'Enter');
    await orLogWarnings([aLog, bLog], () =>
      waitFor(() => /Incoming call from bob .*accept\? \[y\/n\]/.test(tm.plain('a').replace(/\n\s*x?\s*/g, ' ')), 60_000, 'the prompt'));
    tm.keys('a', 'y');
    await waitConnected(tm, ['a', 'b'], [aLog, bLog]);
    await videoIn(tm, 'b', bLog);
    assert.match(tm.plain('b'), /alice \(ssh:\/\/root@127\.0\.0\.1\)/);
    tm.keys('b', 'q');
    await waitFor(() => tm.plain('b').includes('EXIT=0'), 15_000, 'bob exits with 0');
    assert.equal(tm.display('b', '#{alternate_on}'), '0', 'alternate screen left');
  });
