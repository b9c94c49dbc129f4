// `termcall bench --faults`: one fault of each kind against real termcall processes; no survivor crashes or hangs,
// each survivor reports the expected error code, and a new call works after every fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/shared/paths.js';
import { FAULT_KINDS } from '../../src/bench/fault-kinds.js';
import type { FaultsSection } from '../../src/bench/faults.js';

const bin = fileURLToPath(new URL('../../../bin/termcall', import.meta.url));

/** The code each kind's survivors report (every survivor of that kind reports it). */
const EXPECTED_CODE: Record<string, string> = {
  'peer-killed': 'ERR_PEER_CLOSED', 'half-open': 'ERR_PING_TIMEOUT', 'proxy-cut': 'ERR_PEER_CLOSED',
  refused: 'ERR_CONNECT_REFUSED', garbage: 'ERR_BAD_MAGIC', 'wrong-passphrase': 'ERR_AUTH_FAILED',
};

test('six faults, one of each kind: detected, no crash, no hang, a new call after each', async () => {
  const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const c = spawn(process.execPath, [bin, 'bench', '--faults', '--count', '6', '--json'], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    c.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
    c.stderr.setEncoding('utf8').on('data', (s: string) => { err += s; });
    const timer = setTimeout(() => c.kill('SIGKILL'), 120_000);
    c.on('exit', (code) => { clearTimeout(timer); resolve({ code, out, err }); });
  });
  assert.equal(r.code, 0, r.err);
  const s = (JSON.parse(r.out) as { faults: FaultsSection }).faults;
  assert.equal(s.count, 6);
  assert.deepEqual(s.kinds.map((k) => k.kind), [...FAULT_KINDS]);
  for (const k of s.kinds) {
    const row = `${k.kind}: ${JSON.stringify(k)}`;
    assert.equal(k.injected, 1, row);
    assert.equal(k.crashes, 0, row);
    assert.equal(k.hangs, 0, row);
    assert.equal(k.detected, 1, row);
    assert.equal(k.recovered, 1, row);
    assert.equal(typeof k.detectP50Ms, 'number', row);
    assert.deepEqual(Object.keys(k.codes), [EXPECTED_CODE[k.kind]], row);
  }
  assert.deepEqual(s.problems, []);
  assert.deepEqual(s.listeners.map((l) => [l.kind, l.restarts]), [['plain', 0], ['secure', 0]]);
  assert.ok(s.listeners.every((l) => l.fdsBefore > 0 && l.fdsAfter > 0));
  assert.match(r.err, /kind +injected +detected +crashes +hangs/);
});
