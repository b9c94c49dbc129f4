// A real kitty (Xvfb) running `ssh -tt` to the project's private sshd on 127.0.0.1, where termcall runs with its own
// /tmp and /dev/shm (a mount namespace, so kitty cannot read its files — as on another machine): the probe still finds
// kitty graphics through ssh, frames go inline, and the video written stays inside --max-output-kbps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { packageRoot } from '../../src/shared/paths.js';
import { findTool, needRoot, needTools } from '../helpers/require-tool.js';
import { kittyWindow, screenshot, startKitty, startXvfb, waitForLog } from '../helpers/kitty-x.js';

const skip = needTools('kitty', 'Xvfb', 'xdotool', 'import', 'sshd', 'ssh', 'ssh-keygen') || needRoot('sshd logs a user in; a mount namespace hides /tmp');
const SSHD = findTool('sshd') ?? '/usr/sbin/sshd';
const BUDGET_KBPS = 4000;

// A free port on 127.0.0.1 (bound and released).
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// Does something accept connections on 127.0.0.1:port?
function canConnect(port: number): Promise<boolean> {
  return new Promise((r) => {
    const c = net.connect(port, '127.0.0.1', () => { c.destroy(); r(true); });
    c.on('error', () => r(false));
  });
}

test('kitty over ssh: kitty graphics found through ssh, inline frames, output inside --max-output-kbps', { skip, timeout: 150_000 }, async (t) => {
  // outside /tmp: the remote side's /tmp is a fresh tmpfs
  const dir = fs.mkdtempSync('/var/tmp/termcall-kitty-ssh-');
  const procs: ChildProcess[] = [];
  t.after(() => {
    for (const p of procs.reverse()) if (p.exitCode === null) p.kill('SIGTERM');
    if (!process.env['KEEP_TEST_SHOTS']) fs.rmSync(dir, { recursive: true, force: true });
  });
  for (const k of ['host', 'user']) spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, k)]);
  fs.copyFileSync(path.join(dir, 'user.pub'), path.join(dir, 'authorized_keys'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'host')}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`, 'StrictModes no', 'PasswordAuthentication no', 'UsePAM no',
    'PermitRootLogin prohibit-password', 'AcceptEnv LANG LC_*', '',
  ].join('\n'));
  fs.mkdirSync('/run/sshd', { recursive: true });
  procs.push(spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: 'ignore' }));
  for (let i = 0; !(await canConnect(port)); i++) {
    assert.ok(i < 200, 'sshd did not start listening');
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = path.join(dir, 'demo.log');
  const exit = path.join(dir, 'exit');
  const remote = `unshare -m sh -c 'mount -t tmpfs t /tmp && mount -t tmpfs t /dev/shm && cd ${packageRoot()} && ` +
    `XDG_CONFIG_HOME=${dir}/config ${process.execPath} bin/termcall demo --no-preview --max-output-kbps ${BUDGET_KBPS} --log-file ${log}'; echo $? > ${exit}`;
  const ssh = `ssh -tt -i ${path.join(dir, 'user')} -p ${port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@127.0.0.1 "${remote}"; sleep 20`;
  const display = await startXvfb(procs);
  startKitty(procs, display, ssh);
  const wid = await kittyWindow(display);
  assert.ok(await waitForLog(log, /first remote frame drawn/, 60_000), 'video drawn over ssh');
  await new Promise((r) => setTimeout(r, 12_000));
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
