// The headless commands on every wire go through the one call side: --stats-file for the tutorial wires, and a stop
// signal ends them promptly with the documented code even while a tutorial program floods 640x480 frames.
import { test, type TestContext } from 'node:test';
import { runChild, waitForText } from '../helpers/child.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/shared/paths.js';
import type { SessionStats } from '../../src/call/stats.js';
import { needTools } from '../helpers/require-tool.js';

const bin = fileURLToPath(new URL('../../../bin/termcall', import.meta.url));
const pyDir = join(packageRoot(), 'test', 'python');
const skip = needTools('python3', 'python3 numpy');
/** A process that stops on a signal exits well within this (a hang never does); the goal is 2 s. */
const EXIT_BOUND_MS = 4_000;



// A temp folder removed when the test ends.
function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'termcall-headless-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('--stats-file with --wire pickle: the termcall JSON-lines shape, with the fields that apply', { skip, timeout: 60_000 }, async (t) => {
  const file = join(tempDir(t), 'stats.jsonl');
  const py = runChild(t, 'python3', [join(pyDir, 'pickle_sender.py'), '--frames', '60', '--size', '160x120']);
  const port = (await waitForText(py.out, /^listening (\d+)$/m))[1]!;
  const tc = runChild(t, process.execPath, [bin, 'call', `127.0.0.1:${port}`, '--wire', 'pickle', '--headless', '--stats-file', file]);
  assert.equal((await tc.done).code, 0, tc.out());
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SessionStats);
  assert.ok(lines.length >= 1, 'at least the last stats line is written');
  const last = lines[lines.length - 1]!;
  assert.equal(last.peer, 'tutorial (pickle)');
  assert.equal(last.rx.frames, 60, 'every frame received is counted');
  assert.equal(last.rx.width, 160);
  assert.equal(last.rx.height, 120);
  assert.equal(last.rttMs, null, 'what the tutorial wires cannot measure is null');
  assert.equal(last.rx.latencyMs, null);
  assert.equal(last.tx.frames, 0, 'viewing only: nothing sent');
  for (const key of Object.keys(last.rx)) assert.ok(key in last.tx, `tx and rx have the same fields (${key})`);
});

for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
  test(`--wire pickle --headless viewing a 640x480 flood: ${sig} exits ${code} promptly, every time`, { skip, timeout: 120_000 }, async (t) => {
    const dir = tempDir(t);
    for (let i = 0; i < 4; i++) {
      const py = runChild(t, 'python3', [join(pyDir, 'pickle_sender.py'), '--frames', '100000', '--size', '640x480']);
      const port = (await waitForText(py.out, /^listening (\d+)$/m))[1]!;
      const outFile = join(dir, `out-${i}.txt`);
      const fd = openSync(outFile, 'w');
      const tc = runChild(t, process.execPath, [bin, 'call', `127.0.0.1:${port}`, '--wire', 'pickle', '--headless'], fd);
      closeSync(fd);
      await waitForText(() => readFileSync(outFile, 'utf8'), /tutorial \(pickle\): rx [\d.]+fps 640x480/);
      tc.child.kill(sig);
      const exited = await Promise.race([tc.done, new Promise<null>((r) => setTimeout(() => r(null), EXIT_BOUND_MS))]);
      assert.ok(exited, `run ${i}: still running ${EXIT_BOUND_MS} ms after ${sig}:\n${readFileSync(outFile, 'utf8')}${tc.out()}`);
      assert.equal(exited.code, code, `run ${i}: ${tc.out()}`);
      py.child.kill('SIGKILL');
    }
  });
}

test('termcall wire: a headless listener and caller stop on SIGTERM with 143', { timeout: 60_000 }, async (t) => {
  const listener = runChild(t, process.execPath, [bin, 'listen', '--headless', '--auto-accept', '--bind', '127.0.0.1', '--port', '0', '--source', 'fixtures/clip.mp4']);
  const port = (await waitForText(listener.out, /listening on 127\.0\.0\.1:(\d+)/))[1]!;
  const caller = runChild(t, process.execPath, [bin, 'call', `127.0.0.1:${port}`, '--headless', '--source', 'test']);
  await waitForText(caller.out, /^tx .*\| rx [\d.]+fps/m);
  // One at a time: a listener stopped first would hang up on the caller, which then ends its call normally (exit 0).
  for (const p of [caller, listener]) {
    p.child.kill('SIGTERM');
    const exited = await Promise.race([p.done, new Promise<null>((r) => setTimeout(() => r(null), EXIT_BOUND_MS))]);
    assert.ok(exited, `still running after SIGTERM:\n${p.out()}`);
    assert.equal(exited.code, 143, p.out());
  }
});
