// The fuzzer's targets and their mix: the termcall wire decoder, the tutorial pickle and raw decoders, and the call
// session's handshake and states. Every seed picks its target and its input deterministically, so any case replays
// from its seed. A target returns its outcome (accepted, or the error code it ended in); a crash — anything but a
// TermcallError escaping, or a broken invariant — is thrown as a FuzzFailure.
import { runPickleCase, runRawCase } from './net-fuzz-tutorial.js';
import { runSessionCase } from './net-fuzz-session.js';
import { FuzzFailure, weighted } from './net-fuzz-common.js';
import { runWireCase } from './net-fuzz-wire.js';
import { rng } from './net-samples.js';

export { FuzzFailure } from './net-fuzz-common.js';

/** What can be fuzzed. */
export const FUZZ_TARGETS = ['wire', 'pickle', 'raw', 'session'] as const;
export type FuzzTarget = (typeof FUZZ_TARGETS)[number];
/** Share of the cases each target gets. */
const MIX: Readonly<Record<FuzzTarget, number>> = { wire: 40, pickle: 30, raw: 8, session: 22 };

/** One case's result: its target, its outcome, and (for errors) the message it ended with. */
export interface CaseResult {
  readonly seed: number;
  readonly target: FuzzTarget;
  readonly outcome: string;
  readonly detail?: string | undefined;
}

/** The target a seed runs, from the whole mix or only from the targets given. */
export function targetOf(seed: number, only: readonly FuzzTarget[] = FUZZ_TARGETS): FuzzTarget {
  const w = Object.fromEntries(only.map((t) => [t, MIX[t]])) as Record<FuzzTarget, number>;
  return weighted(rng(seed ^ 0x2545f491), w);
}

/** Wraps anything a target threw into a FuzzFailure naming the seed (FuzzFailures pass through). */
function asFailure(err: unknown, seed: number, target: FuzzTarget): FuzzFailure {
  if (err instanceof FuzzFailure) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  return new FuzzFailure(`${target} seed ${seed}: ${e.name} escaped: ${e.message}\n${e.stack ?? ''}`, { cause: err });
}

/** Runs one case (synchronously for the decoders, asynchronously for the session). Throws FuzzFailure on a crash. */
export function runCase(seed: number, only?: readonly FuzzTarget[]): CaseResult | Promise<CaseResult> {
  const target = targetOf(seed, only);
  const r = rng(seed);
  try {
    if (target === 'session') {
      return runSessionCase(r, seed).then((o) => ({ seed, target, ...o }), (err: unknown) => { throw asFailure(err, seed, target); });
    }
    if (target === 'wire') return { seed, target, outcome: runWireCase(r, seed) };
    return { seed, target, ...(target === 'pickle' ? runPickleCase(r, seed) : runRawCase(r, seed)) };
  } catch (err) {
    throw asFailure(err, seed, target);
  }
}

/** An error message with its numbers and quoted text blanked, so messages group into reasons. */
export function reasonOf(message: string): string {
  const m = message.replace(/[\x00-\x1f]/g, ' ').replace(/"[^"]*"/g, '"…"').replace(/0x[0-9a-f]+/gi, '0x#').replace(/\d+(\.\d+)?/g, '#');
  return m.length > 90 ? `${m.slice(0, 90)}…` : m;
}

/** Outcome counts per target (and reasons per outcome), as the fuzz script prints them. */
export class FuzzTally {
  readonly counts = new Map<FuzzTarget, Map<string, number>>();
  readonly reasons = new Map<string, Map<string, number>>();
  cases = 0;

  /** Counts one result. */
  add(res: CaseResult): void {
    this.cases++;
    const t = this.counts.get(res.target) ?? new Map<string, number>();
    this.counts.set(res.target, t.set(res.outcome, (t.get(res.outcome) ?? 0) + 1));
    if (res.detail !== undefined) {
      const key = `${res.target} ${res.outcome}`;
      const reasons = this.reasons.get(key) ?? new Map<string, number>();
      const reason = reasonOf(res.detail);
      if (reasons.size < 500 || reasons.has(reason)) this.reasons.set(key, reasons.set(reason, (reasons.get(reason) ?? 0) + 1));
    }
  }

  /** Cases of a target that ended in an outcome (0 if none). */
  count(target: FuzzTarget, outcome: string): number {
    return this.counts.get(target)?.get(outcome) ?? 0;
  }

  /** Cases a target ran. */
  total(target: FuzzTarget): number {
    return [...(this.counts.get(target)?.values() ?? [])].reduce((a, b) => a + b, 0);
  }

  /** Merges another tally (from a worker) into this one. */
  merge(o: { counts: [FuzzTarget, [string, number][]][]; reasons: [string, [string, number][]][]; cases: number }): void {
    this.cases += o.cases;
    for (const [t, rows] of o.counts) {
      const m = this.counts.get(t) ?? new Map<string, number>();
      for (const [k, v] of rows) m.set(k, (m.get(k) ?? 0) + v);
      this.counts.set(t, m);
    }
    for (const [key, rows] of o.reasons) {
      const m = this.reasons.get(key) ?? new Map<string, number>();
      for (const [k, v] of rows) m.set(k, (m.get(k) ?? 0) + v);
      this.reasons.set(key, m);
    }
  }

  /** A plain-data copy (to post between threads). */
  toJSON(): { counts: [FuzzTarget, [string, number][]][]; reasons: [string, [string, number][]][]; cases: number } {
    return { counts: [...this.counts].map(([t, m]) => [t, [...m]]), reasons: [...this.reasons].map(([k, m]) => [k, [...m]]), cases: this.cases };
  }

  /** The histogram as text: per target its outcomes by count, and with reasons > 0 the top reasons of each. */
  format(reasons = 0): string {
    const lines: string[] = [];
    for (const target of FUZZ_TARGETS) {
      const m = this.counts.get(target);
      if (!m) continue;
      const total = this.total(target);
      lines.push(`${target}: ${total} cases`);
      for (const [outcome, n] of [...m].sort((a, b) => b[1] - a[1])) {
        lines.push(`  ${outcome.padEnd(44)} ${String(n).padStart(9)}  ${((100 * n) / total).toFixed(1).padStart(5)}%`);
        const rs = this.reasons.get(`${target} ${outcome}`);
        if (reasons > 0 && rs) {
          for (const [reason, k] of [...rs].sort((a, b) => b[1] - a[1]).slice(0, reasons)) lines.push(`      ${String(k).padStart(9)}  ${reason}`);
        }
      }
    }
    return lines.join('\n');
  }
}

/** Runs seeds first..first+count-1 (stopping early at deadlineMs, epoch ms) and tallies them; throws FuzzFailure on a crash. */
export async function runCases(first: number, count: number, opts: { only?: readonly FuzzTarget[]; deadlineMs?: number; onCase?: (seed: number) => void } = {}): Promise<FuzzTally> {
  const tally = new FuzzTally();
  for (let seed = first; seed < first + count; seed++) {
    opts.onCase?.(seed);
    const res = runCase(seed, opts.only);
    tally.add(res instanceof Promise ? await res : res);
    if ((seed - first) % 1000 === 999) {
      await new Promise((r) => setImmediate(r)); // let timers (the sessions' bye grace) run
      if (opts.deadlineMs !== undefined && Date.now() >= opts.deadlineMs) break;
    }
  }
  return tally;
}
