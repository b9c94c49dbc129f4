#!/usr/bin/env node
// Long fuzz run of termcall's parsers and call states (build first: npx tsc -p tsconfig.json). Targets: the termcall
// wire decoder, the tutorial pickle and raw decoders, and the Session handshake/states over an in-memory Duplex pair
// (test/helpers/net-fuzz.ts). Cases run in a worker thread watched from here: a crash (anything but a TermcallError
// escaping, or a broken invariant), a hang (no case finished for HANG_MS) or memory past MAX_RSS_BYTES fails the run.
//
// Usage: node scripts/fuzz-wire.mjs [cases=200000] [firstSeed=1] [--seconds=S] [--target=wire,pickle,raw,session] [--reasons=N]
// Prints the number of cases and, per target, how many ended accepted or in which error code (--reasons: the top N
// messages of each). Exit 0: no crash; 1: a crash, hang or memory blow-up (the seed is printed, replay it with
// `node scripts/fuzz-wire.mjs 1 SEED`).
import { performance } from 'node:perf_hooks';
import { clearInterval, setImmediate, setInterval } from 'node:timers';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** No case finishing for this long is a hang. */
const HANG_MS = 20_000;
/** Resident memory of the whole process (both threads) past this is unbounded growth. */
const MAX_RSS_BYTES = 1536 * 1024 * 1024;
/** The worker posts its tally this often (cases), so a failing run still shows its mix. */
const REPORT_EVERY = 20_000;

if (isMainThread) {
  const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const cases = Number(positional[0] ?? 200_000);
  const first = Number(positional[1] ?? 1);
  const seconds = flag('seconds') === undefined ? undefined : Number(flag('seconds'));
  const only = flag('target')?.split(',');
  const reasons = Number(flag('reasons') ?? 0);
  const { FuzzTally } = await import('../dist/test/helpers/net-fuzz.js');

  const progress = new Int32Array(new SharedArrayBuffer(8)); // [cases finished, seed running]
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { cases, first, seconds, only, progress },
    resourceLimits: { maxOldGenerationSizeMb: 1024 },
  });
  const t0 = performance.now();
  let tally = new FuzzTally();
  let peakRss = 0;
  let lastDone = -1;
  let lastMove = performance.now();
  let failure = null;

  const finish = (code) => {
    clearInterval(watch);
    const secs = (performance.now() - t0) / 1000;
    const done = Math.max(tally.cases, Atomics.load(progress, 0));
    if (done > tally.cases) process.stdout.write(`(the histogram below covers the first ${tally.cases} cases)\n`);
    process.stdout.write(`fuzz: ${done} cases (seeds ${first}..${first + done - 1}) in ${secs.toFixed(1)} s, ` +
      `${Math.round(done / secs)} cases/s; peak RSS ${Math.round(peakRss / 1048576)} MB; ` +
      `${failure ? `FAILED: ${failure}` : 'no crash, no hang, memory bounded'}\n`);
    process.stdout.write(`${tally.format(reasons)}\n`);
    process.exit(code);
  };

  const watch = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const done = Atomics.load(progress, 0);
    if (done !== lastDone) {
      lastDone = done;
      lastMove = performance.now();
    }
    if (peakRss > MAX_RSS_BYTES) failure = `memory: RSS ${Math.round(peakRss / 1048576)} MB > ${MAX_RSS_BYTES / 1048576} MB near seed ${Atomics.load(progress, 1)}`;
    else if (performance.now() - lastMove > HANG_MS) failure = `hang: seed ${Atomics.load(progress, 1)} did not finish in ${HANG_MS / 1000} s`;
    if (failure) void worker.terminate().then(() => finish(1));
  }, 500);

  worker.on('message', (m) => {
    if (m.type === 'tally' || m.type === 'done') {
      tally = new FuzzTally();
      tally.merge(m.tally);
    }
    if (m.type === 'failure') failure = `crash at seed ${m.seed}: ${m.message}`;
    if (m.type === 'done') finish(failure ? 1 : 0);
  });
  worker.on('error', (err) => {
    failure ??= `crash near seed ${Atomics.load(progress, 1)}: ${err?.stack ?? err}`;
    finish(1);
  });
  worker.on('exit', (code) => {
    if (code !== 0 && !failure) failure = `worker exited with ${code} near seed ${Atomics.load(progress, 1)}`;
    if (failure) finish(1);
  });
} else {
  const { cases, first, seconds, only, progress } = workerData;
  const { runCase, FuzzTally } = await import('../dist/test/helpers/net-fuzz.js');
  const tally = new FuzzTally();
  const deadline = seconds === undefined ? Infinity : Date.now() + seconds * 1000;
  // An exception thrown from a timer or stream callback inside a case is a crash of the seed being run.
  process.on('uncaughtException', (err) => {
    parentPort.postMessage({ type: 'failure', seed: Atomics.load(progress, 1), message: `uncaught: ${err?.stack ?? err}` });
    parentPort.postMessage({ type: 'done', tally: tally.toJSON() });
  });
  process.on('unhandledRejection', (err) => {
    parentPort.postMessage({ type: 'failure', seed: Atomics.load(progress, 1), message: `unhandled rejection: ${err?.stack ?? err}` });
    parentPort.postMessage({ type: 'done', tally: tally.toJSON() });
  });
  let failed = false;
  for (let seed = first; seed < first + cases; seed++) {
    Atomics.store(progress, 1, seed);
    try {
      const res = runCase(seed, only);
      tally.add(res instanceof Promise ? await res : res);
    } catch (err) {
      parentPort.postMessage({ type: 'failure', seed, message: err?.stack ?? String(err) });
      failed = true;
      break;
    }
    Atomics.store(progress, 0, tally.cases);
    if (tally.cases % 1000 === 0) {
      await new Promise((r) => setImmediate(r)); // let timers (the sessions' bye grace) run
      if (tally.cases % REPORT_EVERY === 0) parentPort.postMessage({ type: 'tally', tally: tally.toJSON() });
      if (Date.now() >= deadline) break;
    }
  }
  parentPort.postMessage({ type: 'done', tally: tally.toJSON(), failed });
}
