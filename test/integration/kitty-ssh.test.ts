// A real kitty (Xvfb) running `ssh -tt` to the project's private sshd on 127.0.0.1, where termcall runs with its own
// /dev/shm, its TMPDIR (a mount namespace, so kitty cannot read its files — as on another machine): the probe still finds
// kitty graphics through ssh, frames go inline, and the video written stays inside --max-output-kbps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/shared/paths.js';
import { needRoot, needTools } from '../helpers/require-tool.js';
import { kittyWindow, screenshot, startKitty, startXvfb, waitForLog } from '../helpers/kitty-x.js';
import { startSshd } from '../helpers/sshd.js';

const skip = needTools('kitty', 'Xvfb', 'xdotool', 'import', 'sshd', 'ssh', 'ssh-keygen') || needRoot('sshd logs a user in; a mount namespace hides /tmp');
const BUDGET_KBPS = 4000;

test('kitty over ssh: kitty graphics found through ssh, inline frames, output inside --max-output-kbps', { skip, timeout: 150_000 }, async (t) => {
  // the log and config stay readable to the test: outside the remote side's fresh /dev/shm
  const dir = fs.mkdtempSync('/var/tmp/termcall-kitty-ssh-');
  const procs: ChildProcess[] = [];
  t.after(() => {
    for (const p of procs.reverse()) if (p.exitCode === null) p.kill('SIGTERM');
    if (!process.env['KEEP_TEST_SHOTS']) fs.rmSync(dir, { recursive: true, force: true });
  });
  const sshd = await startSshd(t);
  const log = path.join(dir, 'demo.log');
  const exit = path.join(dir, 'exit');
  // a fresh /dev/shm (and TMPDIR there) hides the remote side's files from the local kitty, as a real remote would;
  // not a tmpfs over /tmp, which would hide a checkout that lives under /tmp
  const remote = `unshare -m sh -c 'mount -t tmpfs t /dev/shm && cd ${packageRoot()} && ` +
    `TMPDIR=/dev/shm XDG_CONFIG_HOME=${dir}/config ${process.execPath} bin/termcall demo --no-preview --max-output-kbps ${BUDGET_KBPS} --log-file ${log}'; echo $? > ${exit}`;
  const ssh = `${sshd.sshCommand.join(' ')} -tt -p ${sshd.port} root@127.0.0.1 "${remote}"; sleep 20`;
  const display = await startXvfb(procs);
  startKitty(procs, display, ssh);
  assert.ok(await waitForLog(log, /first remote frame drawn/, 60_000), 'video drawn over ssh');
  await new Promise((r) => setTimeout(r, 12_000));
  const wid = await kittyWindow(display);
  screenshot(display, wid, path.join(dir, 'kitty-ssh.png'));
  spawnSync('xdotool', ['key', '--window', wid, 'q'], { env: { ...process.env, DISPLAY: display } });
  assert.ok(await waitForLog(exit, /^0/, 15_000), 'q exits 0 on the remote side');
  const text = fs.readFileSync(log, 'utf8');
  assert.match(text, /caps: .*kitty true, .*→ kitty/, 'the probe found kitty graphics through ssh');
  assert.doesNotMatch(text, /kitty true \(local\)/, 'kitty could not read the remote side\'s file: inline frames');
  const out = /video output: (\d+) paints, (\d+) bytes in ([\d.]+) s = (\d+) kbit\/s, ([\d.]+) paints\/s; (.*)/.exec(text);
  assert.ok(out, 'output summary logged');
  const kbps = Number(out[4]);
  t.diagnostic(`over ssh: ${out[0]}`);
  // the token bucket may borrow TUI_OUTPUT_BURST_MS ahead: allow that burst over the run
  assert.ok(kbps <= BUDGET_KBPS * 1.1, `${kbps} kbit/s written, budget ${BUDGET_KBPS}`);
  assert.ok(Number(out[1]) > 30, `frames kept coming (${out[1]} paints)`);
  assert.match(out[6] ?? '', /kitty (zlib|png) \d+x\d+ \(budget 4000 kbit\/s/, 'the renderer shrank the picture for the budget');
});
