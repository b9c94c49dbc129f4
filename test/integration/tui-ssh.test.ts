// termcall over a real SSH session: a private sshd on 127.0.0.1 (Debian's openssh-server), `ssh -tt` inside tmux
// with no COLORTERM forwarded. The demo connects, video cells are drawn, q exits 0 and the session is usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/shared/paths.js';
import { Tmux, waitFor } from '../helpers/tui-tmux.js';
import { startSshd } from '../helpers/sshd.js';
import { needRoot, needTools } from '../helpers/require-tool.js';

// sshd must run as root to log a user in; CI and the setup run as root.
const skip = needTools('tmux', 'sshd', 'ssh', 'ssh-keygen') || needRoot('sshd logs a user in');
test('over ssh: the demo connects without forwarded COLORTERM, draws video, and q exits 0', { skip, timeout: 90_000 }, async (t) => {
  const tm = new Tmux();
  t.after(() => tm.kill());
  const dir = tm.dir;
  const sshd = await startSshd(t);

  tm.start('s', 120, 40);
  const log = path.join(dir, 'demo.log');
  const remote = `cd ${packageRoot()} && XDG_CONFIG_HOME=${dir}/config ${process.execPath} bin/termcall demo --log-file ${log}; echo EXIT=$?`;
  const ssh = ['env', '-u', 'COLORTERM', 'TERM=xterm-256color', ...sshd.sshCommand, '-tt', '-p', String(sshd.port), 'root@127.0.0.1', remote];
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
