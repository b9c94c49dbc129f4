// Real termcall processes end with their documented exit code and nothing on stderr but the error line, for every
// source kind, after a signal, the peer hanging up and the source failing mid-call. An HTTP MJPEG source used to
// abort the process at exit (uv_loop_close() while a read ran on the worker's thread pool) or crash it (SIGSEGV).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedEnv, mjpegSource, startTermcall, type Ended, type TermcallProcess } from '../helpers/termcall-process.js';

const LISTEN = ['listen', '--headless', '--auto-accept', '--bind', '127.0.0.1', '--port', '0'];

// A headless listener with this source, once it listens; resolves with it and its port.
async function listener(t: TestContext, env: NodeJS.ProcessEnv, source: string): Promise<{ p: TermcallProcess; port: string }> {
  const p = startTermcall(t, env, [...LISTEN, '--source', source, '--name', 'box']);
  const m = await p.waitOut(/listening on 127\.0\.0\.1:(\d+)/);
  return { p, port: m[1]! };
}

// Asserts the process exited with code (not killed by a signal) and wrote nothing to stderr.
function assertClean(p: TermcallProcess, end: Ended, code: number, what: string, stderr: string | RegExp = ''): void {
  const show = `${what}\n--- stdout:\n${p.stdout()}\n--- stderr:\n${p.stderr()}`;
  assert.deepEqual(end, { code, signal: null }, show);
  if (typeof stderr === 'string') assert.equal(p.stderr(), stderr, show);
  else assert.match(p.stderr(), stderr, show);
}

/** The one line a headless side prints when its source stops mid-call (the call goes on without video). */
const SOURCE_STOPPED = /^termcall: local source failed: http:\/\/127\.0\.0\.1:\d+\/video (stopped sending frames|was closed)[^\n]*\n$/;

test('an MJPEG URL source: SIGTERM, SIGINT and SIGHUP exit 143, 130, 129, several times over, nothing on stderr', { timeout: 60_000 }, async (t) => {
  const env = isolatedEnv(t);
  const mjpeg = await mjpegSource(t, 30);
  // The crash was intermittent (about 5 runs in 6): three rounds of three signals.
  for (let round = 0; round < 3; round++) {
    const ps = await Promise.all((['SIGTERM', 'SIGINT', 'SIGHUP'] as const).map(async (sig) => ({ sig, ...(await listener(t, env, mjpeg.url)) })));
    // Let each grab a few frames, so a read is in flight on the worker's thread pool when the signal comes.
    await new Promise((r) => setTimeout(r, 200 + round * 150));
    for (const { p, sig } of ps) p.child.kill(sig);
    const codes = { SIGTERM: 143, SIGINT: 130, SIGHUP: 129 } as const;
    for (const { p, sig } of ps) assertClean(p, await p.waitEnd(10_000), codes[sig], `round ${round}, ${sig}`);
  }
});

test('a call between two MJPEG sources: hang-up by signal, the peer hanging up, the stream stopping mid-call', { timeout: 60_000 }, async (t) => {
  const env = isolatedEnv(t);
  const mjpeg = await mjpegSource(t, 30);
  for (let round = 0; round < 2; round++) {
    const box = await listener(t, env, mjpeg.url);
    const caller = startTermcall(t, env, ['call', `127.0.0.1:${box.port}`, '--headless', '--source', mjpeg.url]);
    await caller.waitOut(/rx [1-9][\d.]*fps/);
    await box.p.waitOut(/rx [1-9][\d.]*fps/);
    // The listener is stopped: it says bye, the caller's call ends by the peer and it exits 0.
    box.p.child.kill('SIGTERM');
    assertClean(box.p, await box.p.waitEnd(10_000), 143, `round ${round}: listener after SIGTERM`);
    assertClean(caller, await caller.waitEnd(10_000), 0, `round ${round}: caller after the peer hung up`);
  }

  // The stream stops while a call runs: both sources end mid-call; the processes still exit cleanly when stopped.
  const box = await listener(t, env, mjpeg.url);
  const caller = startTermcall(t, env, ['call', `127.0.0.1:${box.port}`, '--headless', '--source', mjpeg.url]);
  await caller.waitOut(/rx [1-9][\d.]*fps/);
  await mjpeg.close();
  await caller.waitOut(/rx 0\.0fps/, 10_000);
  caller.child.kill('SIGINT');
  assertClean(caller, await caller.waitEnd(10_000), 130, 'caller after its stream stopped', SOURCE_STOPPED);
  box.p.child.kill('SIGHUP');
  assertClean(box.p, await box.p.waitEnd(10_000), 129, 'listener after its stream stopped', SOURCE_STOPPED);
});

test('every other source kind: file and test pattern exit 143 on SIGTERM; a missing camera exits 1 with one error line', { timeout: 60_000 }, async (t) => {
  const env = isolatedEnv(t);
  const ps = await Promise.all(['fixtures/clip.mp4', 'test'].map((s) => listener(t, env, s)));
  await new Promise((r) => setTimeout(r, 300));
  for (const { p } of ps) p.child.kill('SIGTERM');
  for (const { p } of ps) assertClean(p, await p.waitEnd(10_000), 143, 'after SIGTERM');

  const cam = startTermcall(t, env, [...LISTEN, '--source', 'camera:9']);
  const end = await cam.waitEnd(20_000);
  assert.deepEqual(end, { code: 1, signal: null }, cam.stderr());
  assert.match(cam.stderr(), /^termcall: no camera 9\b.*\[ERR_CAMERA_UNAVAILABLE\]\n$/, 'exactly one error line');
});

test('headless commands stop on SIGHUP (an ssh session that drops) with 129 within 2 s', { timeout: 60_000 }, async (t) => {
  const env = isolatedEnv(t);
  const box = await listener(t, env, 'test');
  const caller = startTermcall(t, env, ['call', `127.0.0.1:${box.port}`, '--headless', '--source', 'test']);
  await caller.waitOut(/rx [1-9][\d.]*fps/);
  caller.child.kill('SIGHUP');
  assertClean(caller, await caller.waitEnd(2_000), 129, 'caller in a call after SIGHUP');
  await box.p.waitOut(/call ended: .*by the peer/);
  box.p.child.kill('SIGHUP');
  assertClean(box.p, await box.p.waitEnd(2_000), 129, 'idle listener after SIGHUP');
  // The tutorial wire's headless side too, while it waits for a tutorial program.
  const tut = startTermcall(t, env, ['listen', '--wire', 'pickle', '--headless', '--bind', '127.0.0.1', '--port', '0']);
  await tut.waitOut(/waiting for a tutorial program/);
  tut.child.kill('SIGHUP');
  assertClean(tut, await tut.waitEnd(2_000), 129, 'tutorial listener after SIGHUP');
});
