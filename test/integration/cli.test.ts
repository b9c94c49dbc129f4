// The command line as a user meets it: help, exit codes, errors on stderr, config problems, no terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/shared/paths.js';
import { RENDER_CHOICES } from '../../src/render/table.js';

const bin = fileURLToPath(new URL('../../../bin/termcall', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'termcall-cli-'));
const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'cfg'), XDG_STATE_HOME: join(home, 'state') };
for (const k of Object.keys(env)) if (k.startsWith('TERMCALL_')) delete env[k];

// Runs termcall with no terminal (stdin closed, output captured).
function termcall(args: string[], extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], { cwd: packageRoot(), env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

test.after(() => rmSync(home, { recursive: true, force: true }));

test('--help goes to stdout, lists the commands with examples, exits 0', () => {
  const r = termcall(['--help']);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, '');
  for (const c of ['call [peer]', 'answer [code]', 'listen', 'demo', 'probe', 'devices', 'bench']) assert.ok(r.stdout.includes(c), c);
  assert.match(r.stdout, /Exit codes: 0 ok, 1 runtime failure[^]*130 Ctrl-C/);
  const call = termcall(['call', '--help']);
  assert.equal(call.status, 0);
  assert.match(call.stdout, /Examples:/);
  assert.match(call.stdout, /ssh -L 7878:localhost:7878/);
  assert.match(call.stdout, /--secret/);
});

test('usage errors exit 2 with the problem on stderr', () => {
  for (const args of [['frobnicate'], ['call'], ['listen', '--port', 'abc'], ['listen', '--port', '70000'], ['demo', '--render', 'crayon'], ['call', 'host:99999'],
    ['bench', '--only', 'fidelty']]) { // a misspelt bench section once ran nothing and exited 0
    const r = termcall(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^termcall: /);
  }
});

test('the TUI without a terminal exits 2 and says why', () => {
  for (const args of [[], ['listen'], ['demo'], ['call', '127.0.0.1']]) {
    const r = termcall(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /needs a terminal.*\[ERR_NO_TTY\]/);
  }
});

test('an unreachable peer exits 1 naming host:port', async () => {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  const r = termcall(['call', `127.0.0.1:${port}`, '--headless', '--source', 'test']);
  assert.equal(r.status, 1, r.stderr);
  assert.ok(r.stderr.includes(`127.0.0.1:${port}`), r.stderr);
  assert.match(r.stderr, /\[ERR_CONNECT_REFUSED\]/);
});

test('a headless listener refuses to run without --auto-accept or a secret', () => {
  const r = termcall(['listen', '--headless', '--source', 'test', '--port', '0']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--auto-accept/);
});

test('a missing camera exits 1 with what to try', () => {
  const r = termcall(['call', '127.0.0.1:1', '--headless', '--source', 'camera:9']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /camera 9.*\[ERR_CAMERA_UNAVAILABLE\]/s);
});

test('a broken config file is a clear error with its path and position; it is left as it was', () => {
  const dir = mkdtempSync(join(home, 'c-'));
  const path = join(dir, 'config.json');
  const broken = '{\n  "name": "alice",\n  "peers": {\n    "bob": { "host": "10.0.0.5" "port": 7878 }\n  }\n}\n';
  writeFileSync(path, broken);
  const r = termcall(['call', 'bob', '--headless', '--config', path]);
  assert.equal(r.status, 2, r.stderr);
  assert.ok(r.stderr.includes(`${path}:4:`), r.stderr);
  assert.match(r.stderr, /\[ERR_CONFIG\]/);
  assert.equal(readFileSync(path, 'utf8'), broken);
  const viaEnv = termcall(['devices'], { TERMCALL_CONFIG: path });
  assert.equal(viaEnv.status, 2);
});

test('config defaults apply under flags and TERMCALL_* variables', async () => {
  const dir = mkdtempSync(join(home, 'd-'));
  const path = join(dir, 'config.json');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  writeFileSync(path, JSON.stringify({ defaults: { source: 'camera:9' }, peers: { bob: { host: '127.0.0.1', port } } }));
  // The config's source (a missing camera) is used...
  assert.match(termcall(['call', 'bob', '--headless', '--config', path]).stderr, /camera 9/);
  // ...unless an environment variable or a flag says otherwise; then the saved peer's address is dialled.
  const e = termcall(['call', 'bob', '--headless', '--config', path], { TERMCALL_SOURCE: 'test' });
  assert.ok(e.stderr.includes(`127.0.0.1:${port}`), e.stderr);
  const f = termcall(['call', 'bob', '--headless', '--config', path, '--source', 'test']);
  assert.ok(f.stderr.includes(`127.0.0.1:${port}`), f.stderr);
});

test('headless: listen --auto-accept and call stream both ways, write JSON stats lines, and stop cleanly on SIGINT', async (t) => {
  const { spawn } = await import('node:child_process');
  const dir = mkdtempSync(join(home, 'h-'));
  const stats = join(dir, 'stats.jsonl');
  const start = (args: string[]) => {
    const c = spawn(process.execPath, [bin, ...args], { cwd: packageRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
    c.stderr.setEncoding('utf8').on('data', (s: string) => { out += s; });
    t.after(() => { if (c.exitCode === null) c.kill('SIGKILL'); });
    return { c, out: () => out, exit: new Promise<number | null>((r) => c.on('exit', (code) => r(code))) };
  };
  const waitOut = async (get: () => string, re: RegExp) => {
    for (let i = 0; i < 400 && !re.test(get()); i++) await new Promise((r) => setTimeout(r, 50));
    const m = re.exec(get());
    assert.ok(m, `${re} in:\n${get()}`);
    return m;
  };
  const listener = start(['listen', '--headless', '--auto-accept', '--bind', '127.0.0.1', '--port', '0', '--source', 'fixtures/clip.mp4', '--name', 'box']);
  const port = (await waitOut(listener.out, /listening on 127\.0\.0\.1:(\d+)/))[1];
  const caller = start(['call', `127.0.0.1:${port}`, '--headless', '--source', 'test', '--stats-file', stats]);
  await waitOut(caller.out, /connected: box/);
  await waitOut(caller.out, /tx [\d.]+fps.*\| rx [1-9][\d.]*fps/);
  caller.c.kill('SIGINT');
  assert.equal(await caller.exit, 130, caller.out());
  await waitOut(listener.out, /call ended: .*by the peer/);
  const lines = readFileSync(stats, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { rx: { frames: number }; peer: string });
  assert.ok(lines.length >= 1);
  assert.equal(lines.at(-1)!.peer, 'box');
  assert.ok(lines.some((l) => l.rx.frames > 0), 'frames were received');
  listener.c.kill('SIGTERM');
  assert.equal(await listener.exit, 143, listener.out());
});

test('--render takes every renderer of the table, numbers included (256 and 16 once failed as "invalid values")', () => {
  for (const r of RENDER_CHOICES) {
    const p = termcall(['probe', '--json', '--render', r]);
    assert.equal(p.status, 0, `--render ${r}: ${p.stderr}`);
    assert.equal((JSON.parse(p.stdout) as { renderer: string }).renderer, r === 'auto' ? (JSON.parse(p.stdout) as { recommended: string }).recommended : r);
  }
  for (const cmd of [['demo', '--help'], ['call', 'x', '--help'], ['preview', '--help']]) {
    assert.match(termcall([...cmd]).stdout, /"256", "16", "ascii"/, `${cmd.join(' ')} lists the choices`);
  }
});
