// `termcall bench --faults [--count N]` (npm run faults): inject N faults in a loop into calls between real termcall
// processes (kills, half-open links, cut links, refused dials, garbage, wrong passphrases) and report, per kind, how
// the surviving side took them: noticed (how fast), crashed, hung, and whether a new call works right after.
import { UsageError } from '../shared/errors.js';
import { quantile } from '../call/stats.js';
import { FAULT_KINDS, NEEDS_CALL, DETECT_BOUND_MS, injectFault, type FaultKind, type FaultOutcome } from './fault-kinds.js';
import { FaultRig, type ListenerKind } from './fault-rig.js';
import { benchEnv } from './peer-process.js';

export interface FaultsOptions {
  count: number;
  json: boolean;
  /** The clip the listeners send. */
  source: string;
  log?: (s: string) => void;
}

/** One row of the count table. */
export interface FaultKindReport {
  kind: FaultKind;
  injected: number;
  /** Every surviving side noticed within the bound. */
  detected: number;
  crashes: number;
  hangs: number;
  /** Fault → noticed by the slowest survivor, over the detected faults, ms. */
  detectP50Ms: number | null;
  detectP95Ms: number | null;
  /** A new call right after had frames both ways. */
  recovered: number;
  /** Error codes the survivors reported, with counts. */
  codes: Record<string, number>;
  /** Details (garbage variants, where a kill fell), with counts. */
  details: Record<string, number>;
}

/** A listener's open fds and RSS when idle, after a first call and after the last fault. */
export interface FaultListenerReport { kind: ListenerKind; restarts: number; fdsBefore: number; fdsAfter: number; rssBeforeBytes: number; rssAfterBytes: number }

/** The "faults" section of the report. */
export interface FaultsSection {
  count: number;
  seconds: number;
  detectBoundMs: number;
  kinds: FaultKindReport[];
  listeners: FaultListenerReport[];
  /** Calls hung up on purpose between faults (SIGINT): clean ones, and what went wrong otherwise. */
  hangups: { clean: number; problems: number };
  /** The first problems met (crashes, hangs, failed recoveries), in order. */
  problems: { index: number; kind: FaultKind | 'run'; what: string }[];
}

/** Problems listed in the report at most. */
const MAX_PROBLEMS = 50;
/** After the last call a listener gets this long to drop its sockets before its idle fds are counted (BYE grace 1 s). */
const SETTLE_MS = 2_000;

/** Runs the fault loop and writes the report; resolves with the exit code (1 on any crash, hang or failed recovery). */
export async function runFaults(opts: FaultsOptions): Promise<number> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`faults: ${s}\n`));
  if (!(Number.isInteger(opts.count) && opts.count > 0)) throw new UsageError('ERR_USAGE', `--count ${String(opts.count)}: give a whole number of faults, more than 0`);
  const { env, cleanup } = benchEnv();
  const started = performance.now();
  const rows = new Map<FaultKind, { r: FaultKindReport; times: number[] }>(FAULT_KINDS.map((k) => [k, { r: emptyRow(k), times: [] }]));
  const problems: FaultsSection['problems'] = [];
  const problem = (index: number, kind: FaultKind | 'run', what: string) => { if (problems.length < MAX_PROBLEMS) problems.push({ index, kind, what }); };
  const hangups = { clean: 0, problems: 0 };
  const rig = await FaultRig.start(env, opts.source);
  try {
    // A first call to each listener, so the idle "before" figures include what a first call loads.
    for (const to of ['secure', 'plain'] as const) {
      const { call, why } = await rig.placeCall(to);
      if (!call) throw new Error(`no call to the ${to} listener could be placed: ${why ?? ''}`);
      await rig.hangUp();
    }
    await sleep(SETTLE_MS);
    const before = idle(rig);
    log(`${opts.count} faults, kinds ${FAULT_KINDS.join(', ')}; a survivor that notices nothing within ${DETECT_BOUND_MS} ms hangs`);
    for (let i = 0; i < opts.count; i++) {
      const kind = FAULT_KINDS[i % FAULT_KINDS.length] as FaultKind;
      const row = rows.get(kind) as { r: FaultKindReport; times: number[] };
      if (rig.call?.caller.exit) {
        problem(i, 'run', `the call in progress dropped on its own: ${rig.call.caller.exit.code ?? rig.call.caller.exit.signal}`);
        await rig.call.proxy.close();
        rig.call = null;
      }
      const target = listenerFor(kind, row.r.injected);
      if (rig.call && (!NEEDS_CALL.has(kind) || rig.call.to !== target)) {
        const h = await rig.hangUp();
        if (h) { hangups.problems++; problem(i, 'run', `hang-up before the fault: ${h}`); } else hangups.clean++;
      }
      if (NEEDS_CALL.has(kind) && !rig.call) {
        const { call, why } = await rig.placeCall(target);
        if (!call) { problem(i, kind, `no call to inject into: ${why ?? ''}`); continue; }
      }
      const o = await injectFault(rig, kind, row.r.injected);
      tally(row, o);
      if (o.crash) problem(i, kind, `crash: ${o.crash}`);
      if (o.hang) problem(i, kind, `hang: ${o.hang}`);
      for (const l of o.restart) await rig.restart(l);
      const { call, why } = await rig.placeCall(target);
      if (call) row.r.recovered++;
      else problem(i, kind, `no new call right after: ${why ?? ''}`);
      if ((i + 1) % 10 === 0 || i + 1 === opts.count) log(`${i + 1}/${opts.count} after ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const h = await rig.hangUp();
    if (h) { hangups.problems++; problem(opts.count, 'run', `last hang-up: ${h}`); } else hangups.clean++;
    await sleep(SETTLE_MS);
    const after = idle(rig);
    for (const p of await rig.close()) problem(opts.count, 'run', p);
    const section: FaultsSection = {
      count: opts.count, seconds: Math.round((performance.now() - started) / 1000), detectBoundMs: DETECT_BOUND_MS,
      kinds: [...rows.values()].map(({ r, times }) => finishRow(r, times)),
      listeners: (['plain', 'secure'] as const).map((kind) => ({
        kind, restarts: rig.listeners[kind].restarts, fdsBefore: before[kind].fds, fdsAfter: after[kind].fds,
        rssBeforeBytes: before[kind].rssBytes, rssAfterBytes: after[kind].rssBytes,
      })),
      hangups, problems,
    };
    process.stderr.write(formatFaults(section) + '\n');
    if (opts.json) process.stdout.write(JSON.stringify({ node: process.version, source: opts.source, faults: section }, null, 2) + '\n');
    const bad = section.kinds.some((k) => k.crashes > 0 || k.hangs > 0 || k.recovered < k.injected) || problems.length > 0;
    return bad ? 1 : 0;
  } finally {
    if (rig.call) await rig.call.caller.stop('SIGKILL');
    for (const l of Object.values(rig.listeners)) if (!l.peer.exit) await l.peer.stop('SIGKILL');
    cleanup();
  }
}

/** The listener the nth fault of a kind goes to (and the new call after it): calls alternate between the two. */
function listenerFor(kind: FaultKind, nth: number): ListenerKind {
  if (kind === 'wrong-passphrase') return 'secure';
  if (!NEEDS_CALL.has(kind)) return 'plain';
  return nth % 2 === 0 ? 'plain' : 'secure';
}

/** An empty row for a kind. */
function emptyRow(kind: FaultKind): FaultKindReport {
  return { kind, injected: 0, detected: 0, crashes: 0, hangs: 0, detectP50Ms: null, detectP95Ms: null, recovered: 0, codes: {}, details: {} };
}

/** Count one outcome into its row. */
function tally(row: { r: FaultKindReport; times: number[] }, o: FaultOutcome): void {
  const r = row.r;
  r.injected++;
  if (o.detected && o.detectMs !== null) { r.detected++; row.times.push(o.detectMs); }
  if (o.crash) r.crashes++;
  if (o.hang) r.hangs++;
  for (const c of o.codes) r.codes[c] = (r.codes[c] ?? 0) + 1;
  if (o.detail) r.details[o.detail] = (r.details[o.detail] ?? 0) + 1;
}

/** Fill in the detection percentiles. */
function finishRow(r: FaultKindReport, times: number[]): FaultKindReport {
  const s = [...times].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? Math.round(quantile(s, p)) : null);
  return { ...r, detectP50Ms: q(0.5), detectP95Ms: q(0.95) };
}

/** Both listeners' fds and RSS now. */
function idle(rig: FaultRig): Record<ListenerKind, { fds: number; rssBytes: number }> {
  const one = (k: ListenerKind) => {
    const s = rig.listeners[k].peer.sample();
    return { fds: s?.fds ?? 0, rssBytes: s?.rssBytes ?? 0 };
  };
  return { plain: one('plain'), secure: one('secure') };
}

/** The count table for stderr. */
export function formatFaults(s: FaultsSection): string {
  const ms = (v: number | null) => (v === null ? '-' : String(v));
  const counts = (o: Record<string, number>) => Object.entries(o).map(([k, n]) => `${k}×${n}`).join(' ');
  const lines = [
    `faults: ${s.count} injected in ${s.seconds} s (hang bound ${s.detectBoundMs} ms)`,
    'kind              injected  detected  crashes  hangs  detect p50/p95 (ms)  recovered  codes',
  ];
  for (const k of s.kinds) {
    lines.push(`${k.kind.padEnd(16)}  ${String(k.injected).padStart(8)}  ${String(k.detected).padStart(8)}  ${String(k.crashes).padStart(7)}  ` +
      `${String(k.hangs).padStart(5)}  ${`${ms(k.detectP50Ms)} / ${ms(k.detectP95Ms)}`.padStart(19)}  ${String(k.recovered).padStart(9)}  ${counts(k.codes)}`);
  }
  for (const k of s.kinds) if (Object.keys(k.details).length) lines.push(`  ${k.kind}: ${counts(k.details)}`);
  for (const l of s.listeners) {
    lines.push(`${l.kind} listener (idle): fds ${l.fdsBefore} → ${l.fdsAfter}, RSS ${(l.rssBeforeBytes / 1048576).toFixed(1)} → ` +
      `${(l.rssAfterBytes / 1048576).toFixed(1)} MB, restarts ${l.restarts}`);
  }
  lines.push(`hang-ups between faults: ${s.hangups.clean} clean, ${s.hangups.problems} not`);
  for (const p of s.problems) lines.push(`  #${p.index} ${p.kind}: ${p.what}`);
  return lines.join('\n');
}

/** Wait ms. */
function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
