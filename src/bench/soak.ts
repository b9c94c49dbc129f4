// `termcall bench --soak MINUTES` (npm run soak): a two-way call on 127.0.0.1 between two real termcall processes
// for N minutes, sampling each peer's RSS and open fds, then reporting their growth after the warm-up and the video
// each way (docs/bench.md). Exit code 1 when a peer died or did not exit the documented way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { PeerProcess, benchEnv, startListener, type PeerSample } from './peer-process.js';
import { directionOf, formatSoak, growthOf, readStatsLines, type SoakPeer, type SoakSection } from './soak-report.js';

export interface SoakOptions {
  minutes: number;
  json: boolean;
  /** The clip the listener sends (the caller sends the test pattern). */
  source: string;
  /** Sampling interval (default: every 5 s, more often for soaks under ~2 minutes). */
  sampleMs?: number;
  log?: (s: string) => void;
}

/** Default sampling interval of /proc. */
const SAMPLE_MS = 5_000;
/** Samples are taken at least this often over a run, so a short soak still has a few per window. */
const MIN_SAMPLES = 20;
/** Warm-up excluded from the figures, and the size of the first and last windows: a minute, or a quarter of a short run. */
const WINDOW_MS = 60_000;
/** A caller must be connected within this time. */
const CONNECT_WAIT_MS = 20_000;
/** A stopped peer gets this long to finish its call and exit. */
const STOP_WAIT_MS = 5_000;

/** Runs the soak and writes the report; resolves with the exit code. */
export async function runSoak(opts: SoakOptions): Promise<number> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`soak: ${s}\n`));
  if (!(opts.minutes > 0)) throw new UsageError('ERR_USAGE', `--soak ${String(opts.minutes)}: give the minutes to run, more than 0`);
  const durationMs = Math.max(1, opts.minutes * 60_000);
  const sampleMs = opts.sampleMs ?? Math.max(250, Math.min(SAMPLE_MS, durationMs / MIN_SAMPLES));
  const windowMs = Math.min(WINDOW_MS, durationMs / 4);
  const { env, cleanup } = benchEnv();
  const dir = mkdtempSync(join(tmpdir(), 'termcall-soak-'));
  const statsOf = { listener: join(dir, 'listener.jsonl'), caller: join(dir, 'caller.jsonl') };
  const peers: PeerProcess[] = [];
  try {
    const l = await startListener('listener', ['--auto-accept', '--source', opts.source, '--name', 'soak-listener', '--stats-file', statsOf.listener], env);
    peers.push(l.peer);
    const caller = new PeerProcess('caller', ['call', `127.0.0.1:${l.port}`, '--headless', '--source', 'test', '--name', 'soak-caller',
      '--stats-file', statsOf.caller], env);
    peers.push(caller);
    if (!(await caller.waitLine(/^connected: /, CONNECT_WAIT_MS))) {
      throw new Error(`the caller did not connect within ${CONNECT_WAIT_MS} ms:\n${caller.stderr()}\n${l.peer.stderr()}`);
    }
    log(`call up (listener pid ${l.peer.pid}, caller pid ${caller.pid}); running ${opts.minutes} min, sampling every ${sampleMs / 1000} s`);
    const start = performance.now();
    const startEpoch = Date.now();
    const samples = await sampleUntil(peers, start, durationMs, sampleMs, log);
    const endMs = performance.now() - start;
    const diedEarly = peers.map((p) => p.exit !== null);
    // The caller hangs up first (SIGINT); once the listener has seen the call end it is stopped too (SIGTERM).
    const ended = l.peer.mark();
    await caller.stop('SIGINT');
    await l.peer.waitLine(/^call ended: /, STOP_WAIT_MS, ended);
    await l.peer.stop('SIGTERM');
    const section: SoakSection = {
      minutes: opts.minutes, sampleSeconds: sampleMs / 1000, warmupSeconds: windowMs / 1000, windowSeconds: windowMs / 1000,
      peers: peers.map((p, i) => peerReport(p, i === 0 ? 'listener' : 'caller', samples[i] ?? [], start, windowMs, endMs,
        diedEarly[i] ?? true, i === 0 ? EXIT.TERMINATED : EXIT.INTERRUPTED)),
      video: [],
    };
    const lines = { listener: readStatsLines(statsOf.listener), caller: readStatsLines(statsOf.caller) };
    const warmEnd = startEpoch + windowMs;
    section.video = [directionOf('caller', lines.caller, lines.listener, warmEnd), directionOf('listener', lines.listener, lines.caller, warmEnd)];
    process.stderr.write(formatSoak(section) + '\n');
    if (opts.json) process.stdout.write(JSON.stringify({ source: opts.source, node: process.version, soak: section }, null, 2) + '\n');
    return section.peers.every((p) => p.alive) ? 0 : 1;
  } finally {
    for (const p of peers) if (!p.exit) await p.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    cleanup();
  }
}

/** Sample every peer every sampleMs until durationMs has passed or one of them exits; one progress line a minute. */
async function sampleUntil(peers: readonly PeerProcess[], start: number, durationMs: number, sampleMs: number,
  log: (s: string) => void): Promise<PeerSample[][]> {
  const out: PeerSample[][] = peers.map(() => []);
  const anyExit = Promise.race(peers.map((p) => p.exited));
  let nextLog = 60_000;
  for (let tick = 0; ; tick++) {
    for (const [i, p] of peers.entries()) {
      const s = p.sample();
      if (s) out[i]?.push(s);
    }
    const elapsed = performance.now() - start;
    if (elapsed >= nextLog) {
      nextLog += 60_000;
      log(`${(elapsed / 60_000).toFixed(0)} min: ` + peers.map((p, i) => {
        const s = out[i]?.at(-1);
        return s ? `${p.name} ${(s.rssBytes / 1048576).toFixed(0)} MB ${s.fds} fds` : `${p.name} gone`;
      }).join(', '));
    }
    if (elapsed >= durationMs || peers.some((p) => p.exit)) return out;
    const wait = Math.min(durationMs, (tick + 1) * sampleMs) - elapsed;
    await Promise.race([anyExit, new Promise((r) => setTimeout(r, Math.max(0, wait)))]);
  }
}

/** One peer's line of the report: growth after the warm-up, and whether it stayed alive and exited as documented. */
function peerReport(p: PeerProcess, role: SoakPeer['role'], samples: readonly PeerSample[], start: number, windowMs: number,
  endMs: number, diedEarly: boolean, expectedExit: number): SoakPeer {
  const e = p.exit;
  const problem = diedEarly ? `exited during the soak (code ${e?.code ?? '-'}, signal ${e?.signal ?? '-'})` : p.crash([expectedExit]);
  return {
    role, pid: p.pid, alive: !problem, exitCode: e?.code ?? null, exitSignal: e?.signal ?? null,
    ...(problem ? { problem } : {}),
    samples: samples.length,
    rssBytes: growthOf(samples, (s) => s.rssBytes, start, windowMs, windowMs, endMs),
    fds: growthOf(samples, (s) => s.fds, start, windowMs, windowMs, endMs),
    rssMaxBytes: Math.max(0, ...samples.map((s) => s.rssBytes)),
  };
}
