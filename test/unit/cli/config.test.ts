import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath, defaultLogFile, loadConfig, parseConfig, rememberRecent, resolvePeer } from '../../../src/cli/config.js';
import { UsageError } from '../../../src/shared/errors.js';
import { MAX_RECENT_PEERS } from '../../../src/shared/limits.js';

const configError = (re: RegExp) => (e: unknown) => e instanceof UsageError && e.code === 'ERR_CONFIG' && re.test(e.message);

function tempDir(t: { after: (fn: () => void) => void }): string {
  const d = mkdtempSync(join(tmpdir(), 'termcall-config-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('paths follow XDG with home fallbacks', () => {
  assert.equal(configPath({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/a' }), '/x/cfg/termcall/config.json');
  assert.equal(configPath({ HOME: '/home/a' }), '/home/a/.config/termcall/config.json');
  assert.equal(configPath({ XDG_CONFIG_HOME: 'relative', HOME: '/home/a' }), '/home/a/.config/termcall/config.json');
  assert.equal(configPath({}, '/etc/my.json'), '/etc/my.json');
  assert.equal(defaultLogFile({ XDG_STATE_HOME: '/s', HOME: '/h' }), '/s/termcall/termcall.log');
  assert.equal(defaultLogFile({ HOME: '/h' }), '/h/.local/state/termcall/termcall.log');
});

test('a valid config parses with defaults, saved peers and recent peers', () => {
  const c = parseConfig(JSON.stringify({
    name: 'alice', defaults: { port: 7000, render: 'truecolor', preview: false },
    peers: { bob: { host: '10.0.0.5', port: 7878, secret: 's3' }, carol: { host: 'carol.lan' } },
    recent: [{ host: '10.0.0.9', port: 7878, at: '2026-01-01T00:00:00Z' }],
  }), 'c.json');
  assert.equal(c.name, 'alice');
  assert.deepEqual(c.defaults, { port: 7000, render: 'truecolor', preview: false });
  assert.deepEqual(c.peers.bob, { host: '10.0.0.5', port: 7878, secret: 's3' });
  assert.deepEqual(c.peers.carol, { host: 'carol.lan', port: 7878 });
  assert.equal(c.recent.length, 1);
});

test('broken JSON names the path, line and column', () => {
  const text = '{\n  "name": "alice",\n  "peers": { "bob": { "host": "x" } \n}';
  assert.throws(() => parseConfig(text, '/home/a/.config/termcall/config.json'),
    configError(/^\/home\/a\/\.config\/termcall\/config\.json:\d+:\d+: not valid JSON/));
  assert.throws(() => parseConfig('{"name": "a",}', 'c.json'), configError(/^c\.json:1:\d+:/));
  assert.throws(() => parseConfig('', 'c.json'), configError(/^c\.json.*not valid JSON/));
});

test('wrong types name the key and what it should be', () => {
  assert.throws(() => parseConfig('[]', 'c.json'), configError(/top level/));
  assert.throws(() => parseConfig('{"name": 5}', 'c.json'), configError(/"name" must be a string/));
  assert.throws(() => parseConfig('{"peers": {"bob": {"host": "x", "port": 70000}}}', 'c.json'), configError(/peers\.bob\.port/));
  assert.throws(() => parseConfig('{"peers": {"bob": {"port": 1}}}', 'c.json'), configError(/peers\.bob\.host/));
  assert.throws(() => parseConfig('{"defaults": {"fps": [1]}}', 'c.json'), configError(/defaults\.fps/));
  assert.throws(() => parseConfig('{"recent": [{"host": "x"}]}', 'c.json'), configError(/recent\[0\]/));
});

test('a missing file is an empty config', (t) => {
  const d = tempDir(t);
  assert.deepEqual(loadConfig(join(d, 'none.json')), { defaults: {}, peers: {}, recent: [] });
});

test('remembering a call keeps every other key and never touches a broken file', (t) => {
  const d = tempDir(t);
  const p = join(d, 'sub', 'config.json');
  rememberRecent(p, { host: '10.0.0.1', port: 7878 });
  assert.equal(loadConfig(p).recent[0]?.host, '10.0.0.1');

  const q = join(d, 'config.json');
  writeFileSync(q, JSON.stringify({ name: 'a', peers: { bob: { host: 'b', port: 1 } }, custom: { keep: [1, 2, 3] } }));
  for (let i = 0; i < MAX_RECENT_PEERS + 3; i++) rememberRecent(q, { host: `h${i}`, port: 7878 });
  rememberRecent(q, { host: 'h5', port: 7878, name: 'five' });
  const raw = JSON.parse(readFileSync(q, 'utf8'));
  assert.deepEqual(raw.custom, { keep: [1, 2, 3] }, 'unknown keys survive');
  assert.deepEqual(raw.peers, { bob: { host: 'b', port: 1 } });
  assert.equal(raw.recent.length, MAX_RECENT_PEERS, 'the recent list is capped');
  assert.equal(raw.recent[0].name, 'five', 'most recent first, no duplicates');
  assert.equal(raw.recent.filter((r: { host: string }) => r.host === 'h5').length, 1);

  const broken = '{"name": "a", "peers": {';
  writeFileSync(q, broken);
  assert.throws(() => rememberRecent(q, { host: 'x', port: 1 }), configError(/not valid JSON/));
  assert.equal(readFileSync(q, 'utf8'), broken, 'a broken file is never overwritten');
});

test('peer targets: HOST, HOST:PORT, [IPv6]:PORT, bare IPv6, and saved names', () => {
  const cfg = parseConfig('{"peers": {"bob": {"host": "10.0.0.5", "port": 9000, "secret": "k"}}}', 'c.json');
  assert.deepEqual(resolvePeer('example.org', cfg, 7878), { host: 'example.org', port: 7878 });
  assert.deepEqual(resolvePeer('example.org:80', cfg, 7878), { host: 'example.org', port: 80 });
  assert.deepEqual(resolvePeer('[::1]:7000', cfg, 7878), { host: '::1', port: 7000 });
  assert.deepEqual(resolvePeer('[::1]', cfg, 7878), { host: '::1', port: 7878 });
  assert.deepEqual(resolvePeer('fe80::1', cfg, 7878), { host: 'fe80::1', port: 7878 });
  assert.deepEqual(resolvePeer('bob', cfg, 7878), { host: '10.0.0.5', port: 9000, name: 'bob', secret: 'k' });
  assert.throws(() => resolvePeer('host:99999', cfg, 7878), (e: unknown) => e instanceof UsageError && e.code === 'ERR_USAGE');
  assert.throws(() => resolvePeer(':80', cfg, 7878), (e: unknown) => e instanceof UsageError);
});
