// `termcall call/listen --wire pickle|raw --headless` against the real Python tutorial programs.
import { test } from 'node:test';
import { runChild, waitForText } from '../helpers/child.js';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/shared/paths.js';
import { needTools, python3With } from '../helpers/require-tool.js';

const bin = fileURLToPath(new URL('../../../bin/termcall', import.meta.url));
const skip = needTools('python3 numpy');
const PY = python3With('numpy') ?? 'python3';
const pyDir = join(packageRoot(), 'test', 'python');


test('termcall views a Python pickle sender (termcall dials it)', { skip }, async (t) => {
  const py = runChild(t, PY, [join(pyDir, 'pickle_sender.py'), '--frames', '60', '--size', '160x120', '--protocol', '4']);
  const port = (await waitForText(py.out, /^listening (\d+)$/m))[1]!;
  const tc = runChild(t, process.execPath, [bin, 'call', `127.0.0.1:${port}`, '--wire', 'pickle', '--headless']);
  assert.equal((await tc.done).code, 0, tc.out());
  assert.match(tc.out(), /connected: tutorial \(pickle\)/);
  assert.match(tc.out(), /rx [\d.]+fps 160x120 .*frames 60 /);
  assert.equal((await py.done).code, 0);
});

test('termcall serves its video to a Python raw viewer (the viewer dials termcall)', { skip }, async (t) => {
  const tc = runChild(t, process.execPath, [bin, 'listen', '--port', '0', '--bind', '127.0.0.1', '--wire', 'raw', '--raw-size', '160x120',
    '--send', '--headless', '--source', 'fixtures/clip.mp4']);
  const port = (await waitForText(tc.out, /waiting for a tutorial program on 127\.0\.0\.1:(\d+)/))[1]!;
  const py = runChild(t, PY, [join(pyDir, 'raw_viewer.py'), '--port', port, '--frames', '20', '--size', '160x120']);
  assert.equal((await py.done).code, 0, py.out());
  assert.match(py.out(), /^frame 19 160x120x3 /m);
  assert.match(py.out(), /^done 20$/m);
  await waitForText(tc.out, /link closed/);
});

test('a bad --raw-size is a usage error', async (t) => {
  const tc = runChild(t, process.execPath, [bin, 'listen', '--wire', 'raw', '--raw-size', '0x10', '--headless']);
  assert.equal((await tc.done).code, 2, tc.out());
});
