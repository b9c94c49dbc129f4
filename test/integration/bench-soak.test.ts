// `termcall bench --soak`: a short soak between two real termcall processes reports the growth of RSS and fds for
// both peers and the video each way, in the shape docs/bench.md gives, and both peers stay alive with frames flowing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/shared/paths.js';
import type { SoakSection } from '../../src/bench/soak-report.js';

const bin = fileURLToPath(new URL('../../../bin/termcall', import.meta.url));

/** Run termcall with args; resolves with exit code, stdout and stderr (killed after boundMs: a hang guard). */
function termcall(args: string[], boundMs: number): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [bin, ...args], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    c.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
    c.stderr.setEncoding('utf8').on('data', (s: string) => { err += s; });
    const timer = setTimeout(() => c.kill('SIGKILL'), boundMs);
    c.on('exit', (code) => { clearTimeout(timer); resolve({ code, out, err }); });
  });
}

test('a 20-second soak: both peers alive, frames both ways, growth figures for RSS and fds', async () => {
  const r = await termcall(['bench', '--soak', '0.34', '--json'], 90_000);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out) as { source: string; node: string; soak: SoakSection };
  assert.match(report.source, /clip\.mp4$/);
  const s = report.soak;
  assert.equal(s.minutes, 0.34);
  assert.deepEqual(s.peers.map((p) => p.role), ['listener', 'caller']);
  for (const p of s.peers) {
    assert.equal(p.alive, true, `${p.role}: ${p.problem ?? ''}`);
    assert.equal(p.problem, undefined);
    assert.ok(p.samples >= 10, `${p.role}: ${p.samples} samples`);
    for (const g of [p.rssBytes, p.fds]) {
      for (const k of ['first', 'last', 'growth', 'firstMin', 'lastMin', 'slopePerMin'] as const) assert.equal(typeof g[k], 'number', `${p.role} ${k}`);
      assert.ok(g.first > 0 && g.last > 0 && g.firstMin > 0 && g.firstMin <= g.first && g.lastMin <= g.last);
    }
    assert.ok(p.rssMaxBytes >= p.rssBytes.last);
  }
  assert.deepEqual(s.peers.map((p) => p.exitCode), [143, 130], 'SIGTERM → 143, SIGINT → 130');
  assert.deepEqual(s.video.map((v) => v.from), ['caller', 'listener']);
  for (const v of s.video) {
    assert.ok(v.sent > 0 && v.received > 0, `${v.from}: ${v.sent} sent, ${v.received} received`);
    assert.ok(v.received <= v.sent + 60, 'the receiver cannot count many more frames than were sent');
    assert.ok(v.fps > 0);
  }
  assert.match(r.err, /peer +alive +samples/);
  assert.match(r.err, /caller → listener/);
});

test('--soak with a bad number of minutes is a usage error', async () => {
  const r = await termcall(['bench', '--soak', '-1'], 30_000);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /--soak/);
});
