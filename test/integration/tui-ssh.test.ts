// termcall over a real SSH session: a private sshd on 127.0.0.1 (Debian's openssh-server), `ssh -tt` inside tmux
// with no COLORTERM forwarded. The demo connects, video cells are drawn, q exits 0 and the session is usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { packageRoot } from '../../src/shared/paths.js';
import { Tmux, waitFor } from '../helpers/tui-tmux.js';
import { findTool, needRoot, needTools } from '../helpers/require-tool.js';

// sshd must run as root to log a user in; CI and the setup run as root.
const skip = needTools('tmux', 'sshd', 'ssh', 'ssh-keygen') || needRoot('sshd logs a user in');
const SSHD = findTool('sshd') ?? '/usr/sbin/sshd';

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

test('over ssh: the demo connects without forwarded COLORTERM, draws video, and q exits 0', { skip, timeout: 90_000 }, async (t) => {
  const tm = new Tmux();
  t.after(() => tm.kill());
  const dir = tm.dir;
  for (const k of ['host', 'user']) spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, k)]);
  fs.copyFileSync(path.join(dir, 'user.pub'), path.join(dir, 'authorized_keys'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'host')}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`, 'StrictModes no', 'PasswordAuthentication no', 'UsePAM no',
    'PermitRootLogin prohibit-password', 'AcceptEnv LANG LC_*', '',
  ].join('\n'));
  fs.mkdirSync('/run/sshd', { recursive: true });
  const sshd = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: 'ignore' });
  t.after(() => sshd.kill());
  for (let i = 0; !(await canConnect(port)); i++) {
    assert.ok(i < 200, 'sshd did not start listening');
    await new Promise((r) => setTimeout(r, 50));
  }

  tm.start('s', 120, 40);
  const log = path.join(dir, 'demo.log');
  const remote = `cd ${packageRoot()} && XDG_CONFIG_HOME=${dir}/config ${process.execPath} bin/termcall demo --log-file ${log}; echo EXIT=$?`;
  const ssh = ['env', '-u', 'COLORTERM', 'TERM=xterm-256color', 'ssh', '-tt', '-i', path.join(dir, 'user'), '-p', String(port),
    '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', 'root@127.0.0.1', remote];
  tm.keys('s', ssh.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), 'Enter');

  // 120x40 puts the status panel beside the video (a label per line); narrower windows put it below (one line)
  await waitFor(() => /● connected \| demo peer|peer {6}demo peer[^]*state {5}connected/.test(tm.plain('s')), 30_000, 'connected over ssh');
  // No COLORTERM came through: the probe asked the terminal (here tmux) and chose a renderer it can show.
  const caps = await waitFor(() => /caps: .* → (\w+)/.exec(fs.readFileSync(log, 'utf8'))?.[1] ?? null, 5_000, 'caps logged');
  // colour block or symbol renderers (the auto pick now prefers sub-cell symbols where the terminal draws them)
  assert.ok(['truecolor', '256', 'symbols', 'symbols256', 'sextants'].includes(caps), `renderer over ssh: ${caps}`);
  const colourCells = () => tm.cells('s').flat().filter((c) => c.bg !== null).length;
  await waitFor(() => colourCells() > 120 * 40 * 0.3 || null, 10_000, 'video cells drawn through ssh')
    .catch((err: Error) => { throw new Error(`${err.message}: ${colourCells()} coloured cells; screen:\n${tm.plain('s')}`); });
  tm.keys('s', 'q');
  await waitFor(() => tm.plain('s').includes('EXIT=0'), 10_000, 'q exits 0 on the remote side');
  assert.equal(tm.display('s', '#{alternate_on}'), '0', 'alternate screen left');
});
