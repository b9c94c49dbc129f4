// `termcall call/listen --wire pickle|raw --headless` against the real Python tutorial programs.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/shared/paths.js';
import { needTools, python3With } from '../helpers/require-tool.js';

const bin = fileURLToPath(new URL('../../../bin/termcall', import.meta.url));
const skip = needTools('python3 numpy');
const PY = python3With('numpy') ?? 'python3';
const pyDir = join(packageRoot(), 'test', 'python');

// Starts a process killed when the test ends; resolves its output and exit code.
function run(t: TestContext, cmd: string, args: string[]): { child: ChildProcess; out: () => string; done: Promise<number | null> } {
  const child = spawn(cmd, args, { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { out += s; });
  return { child, out: () => out, done: new Promise((r) => child.on('exit', (c) => r(c))) };
}

// Waits (bounded) until the output matches.
async function waitFor(get: () => string, re: RegExp, ms = 20_000): Promise<RegExpExecArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = re.exec(get());
    if (m) return m;
    if (Date.now() > until) throw new Error(`timed out waiting for ${re} in:\n${get()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('termcall views a Python pickle sender (termcall dials it)', { skip }, async (t) => {
  const py = run(t, PY, [join(pyDir, 'pickle_sender.py'), '--frames', '60', '--size', '160x120', '--protocol', '4']);
  const port = (await waitFor(py.out, /^listening (\d+)$/m))[1]!;
  const tc = run(t, process.execPath, [bin, 'call', `127.0.0.1:${port}`, '--wire', 'pickle', '--headless']);
  assert.equal(await tc.done, 0, tc.out());
  assert.match(tc.out(), /connected: tutorial \(pickle\)/);
  assert.match(tc.out(), /rx [\d.]+fps 160x120 .*frames 60 /);
  assert.equal(await py.done, 0);
});

test('termcall serves its video to a Python raw viewer (the viewer dials termcall)', { skip }, async (t) => {
  const tc = run(t, process.execPath, [bin, 'listen', '--port', '0', '--bind', '127.0.0.1', '--wire', 'raw', '--raw-size', '160x120',
    '--send', '--headless', '--source', 'fixtures/clip.mp4']);
  const port = (await waitFor(tc.out, /waiting for a tutorial program on 127\.0\.0\.1:(\d+)/))[1]!;
  const py = run(t, PY, [join(pyDir, 'raw_viewer.py'), '--port', port, '--frames', '20', '--size', '160x120']);
  assert.equal(await py.done, 0, py.out());
  assert.match(py.out(), /^frame 19 160x120x3 /m);
  assert.match(py.out(), /^done 20$/m);
  await waitFor(tc.out, /link closed/);
});

test('a bad --raw-size is a usage error', async (t) => {
  const tc = run(t, process.execPath, [bin, 'listen', '--wire', 'raw', '--raw-size', '0x10', '--headless']);
  assert.equal(await tc.done, 2, tc.out());
});
