// Bench section `reach`: real termcall processes in the reach rig's namespaces (src/bench/reach-rig.ts). Per
// topology the time from starting both processes to the first frame received, fps and rx latency p50/p95 with 0%
// and 2% loss on WebRTC and on TCP over the same tbf-shaped link, and CPU per peer. The 2%-loss comparison runs on a
// link with a real round trip (LOSS_LINK_RTT_MS, from scripts/delay-wire.py): on the rig's bare ~1 ms round trip TCP
// repairs a loss before anyone could see the stall. Needs root, ip, nft, tc, turnserver, python3.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionStats } from '../call/stats.js';
import { quantile } from '../call/stats.js';
import { NAT_A_WAN, HOME_A_IP, createReachRig, rigIceArgs, type NatKind } from './reach-rig.js';

/** One measured run. */
export interface ReachBenchEntry {
  topology: 'nat-direct' | 'symmetric-relayed';
  transport: 'webrtc' | 'tcp';
  path: string;
  lossPercent: number;
  rateKbit: number;
  /** Round trip added to the link between the homes, ms (0: the rig's own, ~1 ms). */
  addedRttMs: number;
  firstFrameMs: number;
  fps: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Frames sent and never acked (WebRTC lossy lane), per second of call. */
  lostFramesPerS: number;
  cpuPercentPerPeer: number;
  /** Which repetition of the 2%-loss WebRTC/TCP pair this is (1…LOSS_PAIRS); absent for single runs. */
  run?: number;
  /** On the TCP entry of a 2%-loss pair: WebRTC p95 / TCP p95 of that pair (target ≤ 0.5). */
  p95RatioToTcp?: number;
}

const RUN_SECONDS = 20;
/** Round trip of the link the 2%-loss pairs run on: a call across a country. */
const LOSS_LINK_RTT_MS = 50;
/** The 2%-loss WebRTC/TCP comparison runs this many times, interleaved (one run is too noisy to judge a ratio). */
const LOSS_PAIRS = 3;
/** Stats lines skipped at the start of a run (connecting, congestion control settling). */
const SETTLE_LINES = 3;
const TCP_PORT = 7878;
/** CPU ticks per second for /proc/PID/stat (Linux USER_HZ). */
const CLOCK_TICKS = 100;

/** utime + stime of a process in ticks (0 when gone). */
function cpuTicks(pid: number | undefined): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** Stats lines of a file. */
function statsOf(file: string): SessionStats[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as SessionStats);
}

/** SIGINT, SIGKILL after 4 s. */
function stop(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => c.kill('SIGKILL'), 4_000);
    c.once('exit', () => { clearTimeout(t); resolve(); });
    c.kill('SIGINT');
  });
}

/** One call between the homes of a fresh rig (exported for repeated runs of one configuration). */
export async function runOnce(nat: NatKind, transport: 'webrtc' | 'tcp', lossPercent: number, rateKbit: number, tag: string, oneWayDelayMs = 0): Promise<ReachBenchEntry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-reach-'));
  const rig = createReachRig(tag, nat, dir, { rateKbit, oneWayDelayMs });
  const kids: ChildProcess[] = [];
  try {
    rig.setLoss(lossPercent);
    const env = { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state') };
    const node = process.execPath;
    const common = ['--source', 'test', '--fps', '30', '--log-file', path.join(dir, 'termcall.log')];
    const aStats = path.join(dir, 'a.jsonl');
    const bStats = path.join(dir, 'b.jsonl');
    const t0 = Date.now();
    if (transport === 'webrtc') {
      const ice = rigIceArgs(); // STUN and TURN both: behind symmetric NATs the relay is picked on its own
      kids.push(rig.spawnIn(rig.homeA, [node, 'bin/termcall', 'webrtc', 'offer', '--out', path.join(dir, 'offer'), '--in', path.join(dir, 'answer'),
        '--stats-file', aStats, ...ice, ...common], path.join(dir, 'a.out'), env));
      kids.push(rig.spawnIn(rig.homeB, [node, 'bin/termcall', 'webrtc', 'answer', '--auto-accept', '--in', path.join(dir, 'offer'),
        '--out', path.join(dir, 'answer'), '--stats-file', bStats, ...ice, ...common], path.join(dir, 'b.out'), env));
    } else {
      rig.forwardTcp(TCP_PORT);
      kids.push(rig.spawnIn(rig.homeA, [node, 'bin/termcall', 'listen', '--headless', '--auto-accept', '--bind', HOME_A_IP, '--port', String(TCP_PORT),
        '--stats-file', aStats, ...common], path.join(dir, 'a.out'), env));
      await new Promise((r) => setTimeout(r, 1_500));
      kids.push(rig.spawnIn(rig.homeB, [node, 'bin/termcall', 'call', `${NAT_A_WAN}:${TCP_PORT}`, '--headless',
        '--stats-file', bStats, ...common], path.join(dir, 'b.out'), env));
    }
    const cpu0 = kids.map((k) => cpuTicks(k.pid));
    await new Promise((r) => setTimeout(r, RUN_SECONDS * 1000));
    const cpu1 = kids.map((k) => cpuTicks(k.pid));
    const all = [...statsOf(aStats), ...statsOf(bStats)];
    const first = all.filter((s) => s.rx.frames > 0).map((s) => s.ts).sort((x, y) => x - y)[0];
    // WebRTC sides print when their first frame arrived, counted from their process start: the later of the two
    const printed = ['a.out', 'b.out'].map((f) => {
      const text = fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : '';
      return Number(/first frame after \d+ ms \((\d+) ms since process start\)/.exec(text)?.[1] ?? Number.NaN);
    });
    const steady = [statsOf(aStats), statsOf(bStats)].flatMap((l) => l.slice(SETTLE_LINES));
    const p = (xs: number[], q: number): number => Math.round(quantile(xs.filter(Number.isFinite).sort((x, y) => x - y), q) * 10) / 10;
    const last = statsOf(bStats).at(-1);
    const secs = Math.max(1, steady.length / 2);
    return {
      topology: nat === 'cone' ? 'nat-direct' : 'symmetric-relayed', transport,
      path: last?.path ? `${last.path.kind} ${last.path.candidates}` : 'tcp', lossPercent, rateKbit, addedRttMs: oneWayDelayMs * 2,
      // WebRTC: process start → first frame received, the later side; TCP: from the stats lines (once a second, an
      // upper bound within a second, from starting the listener)
      firstFrameMs: transport === 'webrtc' && printed.every(Number.isFinite) ? Math.max(...printed)
        : first === undefined ? Number.NaN : Math.round(first - t0),
      fps: p(steady.map((s) => s.rx.fps), 0.5),
      latencyP50Ms: p(steady.map((s) => s.rx.latencyMs), 0.5),
      latencyP95Ms: p(steady.map((s) => s.rx.latencyP95Ms), 0.5),
      lostFramesPerS: Math.round(((last?.lossy?.lostFrames ?? 0) / secs) * 10) / 10,
      cpuPercentPerPeer: Math.round((((cpu1[0] ?? 0) - (cpu0[0] ?? 0) + (cpu1[1] ?? 0) - (cpu0[1] ?? 0)) / 2 / CLOCK_TICKS / RUN_SECONDS) * 1000) / 10,
    };
  } finally {
    await Promise.all(kids.map((k) => stop(k)));
    rig.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The section, through tbf at rateKbit: direct and relayed first frames at 0% loss (and direct on the
 * LOSS_LINK_RTT_MS link), then LOSS_PAIRS interleaved WebRTC/TCP pairs at 2% loss on that link, and one pair at 2% on
 * the bare rig for reference.
 */
export async function benchReach(log: (s: string) => void, rateKbit = 4000): Promise<ReachBenchEntry[]> {
  const out: ReachBenchEntry[] = [];
  let n = 0;
  const tag = (): string => `b${process.pid % 1000}${n++}`;
  const one = async (nat: NatKind, transport: 'webrtc' | 'tcp', loss: number, rtt: number, run?: number): Promise<ReachBenchEntry> => {
    log(`reach: ${nat} NATs, ${transport}, ${loss}% loss, tbf ${rateKbit} kbit/s, +${rtt} ms round trip, ${RUN_SECONDS} s${run ? `, pair ${run}` : ''}`);
    const e = { ...(await runOnce(nat, transport, loss, rateKbit, tag(), rtt / 2)), ...(run ? { run } : {}) };
    log(`reach:   ${JSON.stringify(e)}`);
    out.push(e);
    return e;
  };
  for (const [nat, transport, loss, rtt] of [['cone', 'webrtc', 0, 0], ['cone', 'tcp', 0, 0], ['symmetric', 'webrtc', 0, 0],
    ['cone', 'webrtc', 0, LOSS_LINK_RTT_MS]] as const) await one(nat, transport, loss, rtt);
  const pair = async (rtt: number, run?: number): Promise<number> => {
    const w = await one('cone', 'webrtc', 2, rtt, run);
    const t = await one('cone', 'tcp', 2, rtt, run);
    t.p95RatioToTcp = Math.round((w.latencyP95Ms / t.latencyP95Ms) * 100) / 100;
    return t.p95RatioToTcp;
  };
  const ratios: number[] = [];
  for (let run = 1; run <= LOSS_PAIRS; run++) ratios.push(await pair(LOSS_LINK_RTT_MS, run));
  log(`reach: 2% loss, +${LOSS_LINK_RTT_MS} ms round trip, WebRTC p95 / TCP p95 per pair: ${ratios.join(', ')} (median ${quantile([...ratios].sort((x, y) => x - y), 0.5)}, target ≤ 0.5)`);
  log(`reach: 2% loss on the bare rig (~1 ms round trip), WebRTC p95 / TCP p95: ${await pair(0)} (reference)`);
  return out;
}
