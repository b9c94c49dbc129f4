// SSH signalling through the project's own sshd on 127.0.0.1: `ssh host termcall signal-answer` relays the offer to the
// termcall waiting on that machine (here a stub answerer that echoes), the answer comes back; every failure is clear;
// floods of offers and huge lines end the session with bounded memory while the listener keeps working.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/shared/paths.js';
import { ProtocolError } from '../../src/shared/errors.js';
import { MAX_SIGNAL_LINE_BYTES, MAX_SIGNAL_OFFERS } from '../../src/shared/limits.js';
import { encodeCallCode, type CallCode } from '../../src/transport/signal/call-code.js';
import { listenSignalSocket, signalSocketPath } from '../../src/transport/signal/local.js';
import { sshExchange, type SshTarget } from '../../src/transport/signal/ssh.js';
import type { ServeResult } from '../../src/transport/signal/serve.js';
import { needRoot, needTools } from '../helpers/require-tool.js';
import { startSshd, type TestSshd } from '../helpers/sshd.js';

const skip = needTools('sshd', 'ssh', 'ssh-keygen') || needRoot('sshd logs a user in');
const OFFER = Uint8Array.from(Buffer.from('TW offer: fingerprint, ufrag, candidates'));

/** The remote command: this checkout's termcall, with its runtime dir (where the signal socket is) set. */
function remote(runDir: string, extra = ''): string {
  return `XDG_RUNTIME_DIR=${runDir} ${extra}${process.execPath} ${path.join(packageRoot(), 'bin', 'termcall')} signal-answer`;
}

/** sshd, a runtime dir, and a stub "termcall listen" answering on the signal socket (answer = the offer reversed). */
async function setup(t: { after(fn: () => void | Promise<void>): void }) {
  const sshd = await startSshd(t);
  const runDir = fs.mkdtempSync(path.join(sshd.dir, 'run-'));
  const offers: CallCode[] = [];
  const sessions: ServeResult[] = [];
  const sock = await listenSignalSocket(signalSocketPath({ XDG_RUNTIME_DIR: runDir }), async (offer) => {
    offers.push(offer);
    return offer.blob.slice().reverse();
  });
  sock.onSession((r) => sessions.push(r));
  t.after(() => sock.close());
  const target: SshTarget = { user: 'root', host: '127.0.0.1', port: sshd.port };
  return { sshd, runDir, offers, sessions, target };
}

test('offer → answer through ssh and the remote termcall: the answer is the waiting side\'s, authenticated by ssh', { skip, timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  const answer = await sshExchange(s.target, OFFER, { sshCommand: s.sshd.sshCommand, remoteCommand: remote(s.runDir), passphrase: true });
  assert.deepEqual(Buffer.from(answer), Buffer.from(OFFER).reverse());
  assert.equal(s.offers.length, 1);
  assert.equal(s.offers[0]?.passphrase, true, 'the waiting side learns that the caller uses a passphrase');
  // Again: each exchange is its own ssh session.
  await sshExchange(s.target, OFFER, { sshCommand: s.sshd.sshCommand, remoteCommand: remote(s.runDir) });
  assert.equal(s.offers.length, 2);
});

test('clear errors: nobody waiting there, no termcall there, ssh itself failing, shell noise before the greeting is skipped', { skip, timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  const err = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ProtocolError);
  const none = await err(sshExchange(s.target, OFFER, { sshCommand: s.sshd.sshCommand, remoteCommand: remote(path.join(s.runDir, 'empty')) }));
  assert.equal(none?.code, 'ERR_SIGNAL');
  assert.match(none?.message ?? '', /127\.0\.0\.1: nobody is waiting for calls here: start termcall answer/);
  const missing = await err(sshExchange(s.target, OFFER, { sshCommand: s.sshd.sshCommand, remoteCommand: 'no-such-termcall-binary signal-answer' }));
  assert.equal(missing?.code, 'ERR_SIGNAL');
  assert.match(missing?.message ?? '', /termcall is not installed on 127\.0\.0\.1/);
  const refused = await err(sshExchange({ ...s.target, port: 1 }, OFFER, { sshCommand: s.sshd.sshCommand, remoteCommand: remote(s.runDir) }));
  assert.equal(refused?.code, 'ERR_SIGNAL');
  assert.match(refused?.message ?? '', /ssh to 127\.0\.0\.1 failed: .*(refused|port 1)/i);
  const noisy = await sshExchange(s.target, OFFER, { sshCommand: s.sshd.sshCommand, remoteCommand: `echo Welcome to the box; echo motd; ${remote(s.runDir)}` });
  assert.equal(noisy.length, OFFER.length);
});

/** Run the remote side by hand through ssh and write raw bytes to it; returns what it sent back. */
function rawSession(sshd: TestSshd, target: SshTarget, runDir: string,
  write: (stdin: NodeJS.WritableStream, out: () => string, kill: () => void) => void): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(sshd.sshCommand[0] ?? 'ssh', [...sshd.sshCommand.slice(1), '-T', '-p', String(target.port), 'root@127.0.0.1', remote(runDir)]);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => { out += d; });
    child.stdin.on('error', () => undefined);
    child.once('exit', () => resolve(out));
    write(child.stdin, () => out, () => child.kill('SIGTERM'));
  });
}

test('a flood of offers and a huge line end the session with a clear ERROR; memory stays bounded; the listener keeps working', { skip, timeout: 90_000 }, async (t) => {
  const s = await setup(t);
  const code = encodeCallCode('offer', OFFER);
  const flood = await rawSession(s.sshd, s.target, s.runDir, (stdin) => {
    for (let i = 0; i < 200; i++) stdin.write(`OFFER ${code}\n`);
    stdin.end();
  });
  assert.equal((flood.match(/^ANSWER /gm) ?? []).length, MAX_SIGNAL_OFFERS, 'only the first offers are answered');
  assert.match(flood, /^ERROR ERR_SIGNAL too many offers in one session \(at most 4\)$/m);

  // A line that never ends: the waiting side must refuse it once it passes the bound, not buffer it. The pump stops
  // when the ERROR arrives; it must arrive long before the 64 MB are through.
  const rssBefore = process.memoryUsage().rss;
  let sent = 0;
  const huge = await rawSession(s.sshd, s.target, s.runDir, (stdin, out, kill) => {
    const chunk = 'A'.repeat(64 * 1024);
    const pump = (): void => {
      while (sent < 64 * 1024 * 1024) {
        if (/^ERROR /m.test(out())) { kill(); return; }
        sent += chunk.length;
        if (!stdin.write(chunk)) { stdin.once('drain', pump); return; }
      }
      stdin.end();
    };
    pump();
  });
  assert.match(huge, new RegExp(`^ERROR ERR_SIGNAL the caller sent a line longer than ${MAX_SIGNAL_LINE_BYTES} bytes$`, 'm'));
  assert.ok(sent < 32 * 1024 * 1024, `the refusal came after ${sent} bytes, not at the end of the line`);
  assert.ok(process.memoryUsage().rss - rssBefore < 48 * 1024 * 1024, 'the listener did not buffer the line');

  const garbage = await rawSession(s.sshd, s.target, s.runDir, (stdin) => stdin.end('GET / HTTP/1.1\n'));
  assert.match(garbage, /^ERROR ERR_SIGNAL expected OFFER or BYE/m);
  const badCode = await rawSession(s.sshd, s.target, s.runDir, (stdin) => stdin.end(`OFFER ${code.slice(0, 20)}${code[20] === 'a' ? 'b' : 'a'}${code.slice(21)}\nBYE\n`));
  assert.match(badCode, /^ERROR ERR_CALL_CODE the call code is damaged or was altered/m);

  // After all that, a real exchange still works.
  const answer = await sshExchange(s.target, OFFER, { sshCommand: s.sshd.sshCommand, remoteCommand: remote(s.runDir) });
  assert.equal(answer.length, OFFER.length);
  assert.ok(s.sessions.some((r) => r.ended === 'error') && s.sessions.some((r) => r.ended !== 'error'));
});
