// A private sshd on 127.0.0.1 for tests (Debian's openssh-server, run as root): keys in a temp dir, stopped in t.after.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findTool } from './require-tool.js';

export interface TestSshd {
  readonly port: number;
  readonly dir: string;
  /** ssh with the test key and no host-key prompts or prompts of any kind. */
  readonly sshCommand: string[];
}

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

/** Start sshd on a free port with a fresh host key and a user key authorised for root. */
export async function startSshd(t: { after(fn: () => void): void }): Promise<TestSshd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-sshd-'));
  for (const k of ['host', 'user']) spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, k)]);
  fs.copyFileSync(path.join(dir, 'user.pub'), path.join(dir, 'authorized_keys'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'host')}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`, 'StrictModes no', 'PasswordAuthentication no', 'UsePAM no',
    'PermitRootLogin prohibit-password', 'AcceptEnv LANG LC_*', '',
  ].join('\n'));
  fs.mkdirSync('/run/sshd', { recursive: true });
  const sshd = spawn(findTool('sshd') ?? '/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: 'ignore' });
  t.after(() => { sshd.kill(); fs.rmSync(dir, { recursive: true, force: true }); });
  for (let i = 0; !(await canConnect(port)); i++) {
    if (i >= 200) throw new Error('sshd did not start listening');
    await new Promise((r) => setTimeout(r, 50));
  }
  const sshCommand = ['ssh', '-i', path.join(dir, 'user'), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes'];
  return { port, dir, sshCommand };
}
