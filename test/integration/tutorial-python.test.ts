// The pickle writer and the hostile fixtures against real Python: what Node writes, Python's pickle.loads reads
// as the same numpy array; what would run code in Python is rejected by termcall without running.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readPickledImage, type BgrImage } from '../../src/tutorial/pickle.js';
import { writePickledImage } from '../../src/tutorial/pickle-writer.js';
import { ProtocolError } from '../../src/shared/errors.js';
import { packageRoot } from '../../src/shared/paths.js';
import { sha } from '../helpers/tutorial-fixtures.js';
import { needTools } from '../helpers/require-tool.js';

const ROOT = packageRoot();
const MARKER = 'termcall-pwned-marker';

/** Every python3 with numpy to test against ($TERMCALL_PYTHON, Debian's, the PATH one), one per numpy version. */
function pythons(): { exe: string; numpy: string }[] {
  const seen = new Map<string, string>();
  for (const exe of [process.env.TERMCALL_PYTHON, '/usr/bin/python3', 'python3']) {
    if (!exe) continue;
    const r = spawnSync(exe, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
    const version = r.status === 0 ? r.stdout.trim() : '';
    if (version && ![...seen.values()].includes(version)) seen.set(exe, version);
  }
  return [...seen].map(([exe, numpy]) => ({ exe, numpy }));
}

const skip = needTools('python3 numpy');
const PYTHONS = pythons();

/** A frame with varied bytes (all 256 values occur). */
function varied(width: number, height: number, salt: number): BgrImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + salt) & 0xff;
  return { data, width, height };
}

const LOADS = `
import sys, pickle, hashlib, numpy as np
blob = sys.stdin.buffer.read()
at = 0
while at < len(blob):
    n = int.from_bytes(blob[at:at + 8], 'little'); at += 8
    a = pickle.loads(blob[at:at + n]); at += n
    assert type(a) is np.ndarray and a.dtype == np.uint8 and a.flags.c_contiguous, (type(a), a.dtype)
    print(a.shape[1], a.shape[0], a.shape[2], hashlib.sha256(a.tobytes()).hexdigest())
`;

test('Python pickle.loads turns the writer output into the same uint8 HxWx3 arrays (every numpy found)', { skip }, () => {
  const frames = [varied(4, 4, 0), varied(160, 120, 1), varied(300, 2, 2), varied(640, 480, 3)];
  const stdin = Buffer.concat(frames.map((f) => writePickledImage(f, true)));
  assert.ok(PYTHONS.length > 0, 'needTools found a python3 with numpy');
  for (const py of PYTHONS) {
    const r = spawnSync(py.exe, ['-c', LOADS], { input: stdin, encoding: 'utf8', maxBuffer: 1 << 20 });
    assert.equal(r.status, 0, `${py.exe} (numpy ${py.numpy}): ${r.stderr}`);
    const want = frames.map((f) => `${f.width} ${f.height} 3 ${sha(f.data)}`);
    assert.deepEqual(r.stdout.trim().split('\n'), want, `numpy ${py.numpy}`);
  }
});

test('hostile pickles run code in Python but are rejected by termcall, which runs nothing', { skip }, (t) => {
  const py = PYTHONS[0];
  assert.ok(py);
  const hostile = readdirSync(join(ROOT, 'fixtures/bad')).filter((f) => /os-system|builtins-eval|nested-global/.test(f));
  assert.ok(hostile.length >= 5);
  assert.equal(existsSync(MARKER), false);
  for (const name of hostile) {
    const dir = mkdtempSync(join(tmpdir(), 'termcall-pickle-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    copyFileSync(join(ROOT, 'fixtures/bad', name), join(dir, name));
    // The control: the payload is live (pickle.loads creates the marker, even when it then fails).
    spawnSync(py.exe, ['-c', `import pickle\ntry:\n  pickle.loads(open(${JSON.stringify(name)},'rb').read())\nexcept Exception:\n  pass`], { cwd: dir });
    assert.equal(existsSync(join(dir, MARKER)), true, `${name} did not run in Python: the control failed`);
    assert.throws(() => readPickledImage(readFileSync(join(dir, name))), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_PICKLE_REJECTED', name);
    assert.equal(existsSync(MARKER), false, `${name} ran in termcall`);
  }
});
