// The whole SSH path with real processes: `termcall answer --secret S` waits on this machine; `termcall call
// ssh://root@127.0.0.1:PORT` signals through the project's sshd (which runs `termcall signal-answer` here), then the
// WebRTC call connects peer to peer with the passphrase proven, and video flows both ways.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/shared/paths.js';
import { isolatedEnv, startTermcall } from '../helpers/termcall-process.js';
import { needRoot, needTools } from '../helpers/require-tool.js';
import { startSshd } from '../helpers/sshd.js';

const skip = needTools('sshd', 'ssh', 'ssh-keygen') || needRoot('sshd logs a user in');
const SECRET = 'correct horse battery staple orbit';

/** Wait (bounded) until get() matches re. */
async function until(get: () => string, re: RegExp, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!re.test(get())) {
    if (Date.now() > end) throw new Error(`${what}: ${re} not seen within ${ms} ms:\n${get()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('termcall call ssh://… reaches the termcall answering there; the call runs over WebRTC, passphrase proven', { skip, timeout: 120_000 }, async (t) => {
  const sshd = await startSshd(t);
  const runDir = fs.mkdtempSync(path.join(sshd.dir, 'run-'));
  const envB = { ...isolatedEnv(t), XDG_RUNTIME_DIR: runDir };
  const b = startTermcall(t, envB, ['answer', '--source', 'test', '--name', 'bob', '--secret', SECRET, '--fps', '10']);
  await until(b.stderr, /waiting for calls signalled over ssh/, 30_000, 'answerer waiting');
  const remote = `XDG_RUNTIME_DIR=${runDir} ${process.execPath} ${path.join(packageRoot(), 'bin', 'termcall')} signal-answer`;
  const a = startTermcall(t, isolatedEnv(t), ['call', `ssh://root@127.0.0.1:${sshd.port}`, '--source', 'test', '--name', 'alice',
    '--secret', SECRET, '--fps', '10', '--ssh-command', sshd.sshCommand.join(' '), '--ssh-remote-command', remote]);
  await until(a.stderr, /answer received over ssh/, 40_000, 'caller got the answer');
  await until(a.stderr, /connected to bob over WebRTC \(passphrase proven, encrypted\)/, 30_000, 'caller connected');
  await until(b.stderr, /connected to alice over WebRTC \(passphrase proven, encrypted\)/, 30_000, 'answerer connected');
  await until(a.stderr, /stats: tx [1-9][\d.]*fps.*\| rx [1-9][\d.]*fps.*direct/, 30_000, 'frames both ways');
  a.child.kill('SIGTERM');
  assert.equal((await a.waitEnd(20_000)).code, 143);

  // A caller without the passphrase is refused by the answering side, through ssh, with a clear error.
  const c = startTermcall(t, isolatedEnv(t), ['call', `ssh://root@127.0.0.1:${sshd.port}`, '--source', 'test',
    '--ssh-command', sshd.sshCommand.join(' '), '--ssh-remote-command', remote]);
  const endC = await c.waitEnd(60_000);
  assert.equal(endC.code, 1);
  assert.match(c.stderr(), /127\.0\.0\.1: the caller does not use a passphrase and this side does.*ERR_PEER_HAS_NO_SECRET/s);
  b.child.kill('SIGTERM');
  await b.waitEnd(20_000);
});
