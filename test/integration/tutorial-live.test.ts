// Live on 127.0.0.1 against the tutorial-style Python programs in test/python: termcall views a Python sender,
// serves a Python viewer that connects to its listener (TutorialCalls, as the TUI and headless use it), over the
// pickle and raw wires, and talks two-way pickle on one connection.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { once } from 'node:events';
import { connectTutorial, type TutorialLink, type TutorialStats } from '../../src/tutorial/link.js';
import type { RawSize, TutorialWire } from '../../src/tutorial/wire.js';
import type { Frame } from '../../src/shared/frame.js';
import type { FrameSource, PulledFrame } from '../../src/shared/frame-source.js';
import type { Logger } from '../../src/shared/log.js';
import { createCallSide } from '../../src/calls/create-call-side.js';
import { packageRoot } from '../../src/shared/paths.js';
import { pattern } from '../helpers/tutorial-fixtures.js';
import { needTools, python3With } from '../helpers/require-tool.js';
import { settleWithin } from '../helpers/settle.js';

const PY_DIR = join(packageRoot(), 'test', 'python');

const skip = needTools('python3 numpy');
const PYTHON = python3With('numpy');

/** The line the Python viewers print for a frame. */
function line(index: number, img: { data: Uint8Array; width: number; height: number }): string {
  return `frame ${index} ${img.width}x${img.height}x3 ${createHash('sha256').update(img.data).digest('hex').slice(0, 16)}`;
}

interface Py {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the port once the program prints "listening PORT". */
  port: Promise<number>;
  /** Resolves with the exit code and stdout lines. */
  done: Promise<{ code: number | null; lines: string[]; stderr: string }>;
}

/** Starts a test/python program, killed when the test ends; onOut sees its stdout so far on every chunk. */
function python(t: TestContext, script: string, args: string[], onOut: (out: string) => void = () => undefined): Py {
  assert.ok(PYTHON);
  const child = spawn(PYTHON, [join(PY_DIR, script), ...args], { cwd: PY_DIR, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  let onPort: (p: number) => void = () => {};
  const port = new Promise<number>((resolve) => (onPort = resolve));
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    out += s;
    onOut(out);
    const m = /^listening (\d+)$/m.exec(out);
    if (m) onPort(Number(m[1]));
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const done = new Promise<{ code: number | null; lines: string[]; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, lines: out.trim().split('\n'), stderr: err }));
  });
  void done.then((r) => onPort(-1 * (r.code ?? 1)));
  return { child, port, done };
}

/** Collects frames until the link closes; resolves with them and the close reason. */
function collect(link: TutorialLink): Promise<{ frames: Frame[]; reason: unknown }> {
  const frames: Frame[] = [];
  link.on('frame', (f) => frames.push(f));
  return new Promise((resolve) => link.once('close', (reason) => resolve({ frames, reason })));
}

/** Asserts the frames are pattern(0..n-1) of this size. */
function arePattern(frames: Frame[], n: number, size: RawSize, first = 0): void {
  assert.equal(frames.length, n);
  frames.forEach((f, i) => {
    assert.equal(f.width, size.width);
    assert.equal(f.height, size.height);
    assert.equal(line(i, f), line(i, pattern(first + i, size.width, size.height)), `frame ${i}`);
  });
}

/** termcall views a Python sender (the sender is the TCP server). */
async function viewPythonSender(t: TestContext, wire: TutorialWire, script: string, size: RawSize, extra: string[]): Promise<void> {
  const n = 4;
  const py = python(t, script, ['--frames', String(n), '--size', `${size.width}x${size.height}`, ...extra]);
  const port = await py.port;
  assert.ok(port > 0, 'python did not start');
  const link = await connectTutorial({ host: '127.0.0.1', port, wire, rawSize: size });
  t.after(() => link.destroy());
  const { frames, reason } = await collect(link);
  assert.equal(reason, undefined, String(reason));
  arePattern(frames, n, size);
  assert.equal(link.stats().framesReceived, n);
  const r = await py.done;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.lines, [`listening ${port}`, `sent ${n}`]);
}

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, close: () => undefined };

/**
 * pattern(0..n-1) as a FrameSource: frame i is pulled only once the viewer has printed frame i-1, so the latest-wins
 * send path has exactly one frame in flight and every frame must arrive, in order.
 */
function patternSource(size: RawSize, n: number): { source: FrameSource; shown: (count: number) => void } {
  let shownCount = 0;
  const waiting: { seq: number; resolve: (p: PulledFrame) => void }[] = [];
  const frame = (seq: number): PulledFrame => {
    const img = pattern(seq, size.width, size.height);
    return { frame: { ...img, captureTs: Date.now(), seq }, seq, captureTs: Date.now(), skipped: 0 };
  };
  const release = (): void => {
    for (const w of waiting.splice(0)) {
      if (w.seq <= shownCount && w.seq < n) w.resolve(frame(w.seq));
      else waiting.push(w);
    }
  };
  const source: FrameSource = {
    info: { kind: 'test', label: 'tutorial pattern', width: size.width, height: size.height, fps: 30 },
    pull: (opts = {}) => new Promise((resolve) => {
      waiting.push({ seq: (opts.afterSeq ?? -1) + 1, resolve });
      release();
    }),
    close: () => Promise.resolve(),
  };
  return { source, shown: (count) => { shownCount = count; release(); } };
}

/** A Python viewer connects to termcall's tutorial listener (auto-accept, sending), which serves it frames. */
async function servePythonViewer(t: TestContext, wire: TutorialWire, script: string, size: RawSize): Promise<void> {
  const n = 4;
  const { source, shown } = patternSource(size, n);
  const side = createCallSide({
    name: () => 'termcall', renderer: () => 'none', pane: () => ({ width: 0, height: 0 }), source: () => source,
    decode: () => Promise.reject(new Error('no JPEG on a tutorial wire')), fps: 30,
    tutorial: { wire, rawSize: size, send: true },
  }, quiet);
  t.after(() => side.stop());
  const { port } = await side.listen(0, '127.0.0.1', true);
  let last: TutorialStats | undefined;
  side.on('linkStats', (st) => (last = st));
  let connected = 0;
  side.on('connected', () => connected++);
  const ended = once(side, 'ended');
  const py = python(t, script, ['--port', String(port), '--frames', String(n), '--size', `${size.width}x${size.height}`],
    (out) => shown(out.match(/^frame \d+ /gm)?.length ?? 0));
  const done = await settleWithin(py.done, 30_000);
  assert.equal(done.state, 'fulfilled', `the Python viewer did not finish (termcall connected ${connected} time(s))`);
  if (done.state !== 'fulfilled') return;
  const r = done.value;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(connected, 1);
  const want = Array.from({ length: n }, (_, i) => line(i, pattern(i, size.width, size.height)));
  assert.deepEqual(r.lines, [...want, `done ${n}`]);
  const end = await settleWithin(ended, 10_000);
  assert.equal(end.state, 'fulfilled', 'the link did not end after the viewer closed');
  const [info] = (end.state === 'fulfilled' ? end.value : []) as [{ reason: string; byPeer: boolean; error?: unknown }];
  assert.deepEqual([info.reason, info.byPeer, info.error], ['hangup', true, undefined], 'the viewer closing ends the link cleanly');
  assert.equal(last?.framesSent, n);
  assert.equal(last?.framesDropped, 0);
}

for (const protocol of [2, 3, 4, 5]) {
  test(`Node viewer <- Python pickle sender (protocol ${protocol}, 160x120)`, { skip }, async (t) => {
    await viewPythonSender(t, 'pickle', 'pickle_sender.py', { width: 160, height: 120 }, ['--protocol', String(protocol)]);
  });
}

test('Python pickle viewer <- Node sender (640x480)', { skip }, async (t) => {
  await servePythonViewer(t, 'pickle', 'pickle_viewer.py', { width: 640, height: 480 });
});

test('Node viewer <- Python raw sender (default 640x480)', { skip }, async (t) => {
  await viewPythonSender(t, 'raw', 'raw_sender.py', { width: 640, height: 480 }, []);
});

test('Python raw viewer <- Node sender (--raw-size 160x120)', { skip }, async (t) => {
  await servePythonViewer(t, 'raw', 'raw_viewer.py', { width: 160, height: 120 });
});

test('two-way pickle: Node and Python send and receive on one connection', { skip }, async (t) => {
  const n = 4;
  const size = { width: 160, height: 120 };
  const py = python(t, 'pickle_twoway.py', ['--frames', String(n), '--size', '160x120']);
  const port = await py.port;
  assert.ok(port > 0, 'python did not start');
  const link = await connectTutorial({ host: '127.0.0.1', port, wire: 'pickle' });
  t.after(() => link.destroy());
  const received = collect(link);
  for (let i = 0; i < n; i++) {
    link.send(pattern(100 + i, size.width, size.height));
    await link.flushed();
  }
  const { frames, reason } = await received;
  assert.equal(reason, undefined, String(reason));
  arePattern(frames, n, size);
  const r = await py.done;
  assert.equal(r.code, 0, r.stderr);
  const want = Array.from({ length: n }, (_, i) => line(i, pattern(100 + i, size.width, size.height)));
  assert.deepEqual(r.lines, [`listening ${port}`, ...want, `done ${n}`]);
});
