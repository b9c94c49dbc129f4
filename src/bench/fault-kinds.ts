// The faults a fault run injects, and how the surviving side is judged: did it notice (and how fast), crash
// (a stack trace, an exit it should not make) or hang (nothing noticed within a bound).
import net from 'node:net';
import {
  CONNECT_TIMEOUT_MS, HANDSHAKE_TIMEOUT_MS, PING_INTERVAL_MS, PING_TIMEOUT_MS, SECURE_HANDSHAKE_TIMEOUT_MS,
} from '../shared/limits.js';
import { garbageVariant, sendGarbage } from './fault-garbage.js';
import { CALL_WAIT_MS, lastLine, type FaultRig, type ListenerKind } from './fault-rig.js';
import type { PeerProcess } from './peer-process.js';

export const FAULT_KINDS = ['peer-killed', 'half-open', 'proxy-cut', 'refused', 'garbage', 'wrong-passphrase'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Kinds injected into a call in progress (the others need no call up). */
export const NEEDS_CALL: ReadonlySet<FaultKind> = new Set(['peer-killed', 'half-open', 'proxy-cut']);

/** A survivor that has not noticed the fault within this long hangs: the longest timeout involved plus a margin. */
export const DETECT_BOUND_MS = Math.max(PING_TIMEOUT_MS + PING_INTERVAL_MS, HANDSHAKE_TIMEOUT_MS, CONNECT_TIMEOUT_MS,
  SECURE_HANDSHAKE_TIMEOUT_MS) + 6_000;
/** A caller that noticed must have exited (code 1) within this long after. */
const EXIT_BOUND_MS = 5_000;
/** The runtime-failure exit code (README: peer unreachable, broken stream). */
const EXIT_FAILURE = 1;
/** An error code as termcall prints it: "termcall: … [ERR_…]". */
const CODE_RE = /\[(ERR_[A-Z_]+)\]/;

/** What one injected fault did to the surviving side(s). */
export interface FaultOutcome {
  /** Every survivor noticed within DETECT_BOUND_MS. */
  detected: boolean;
  /** Fault → the slowest survivor noticed, ms. */
  detectMs: number | null;
  crash: string | null;
  hang: string | null;
  /** Error codes the survivors reported. */
  codes: string[];
  /** A detail counted per kind in the report (how the garbage looked, whether the kill fell mid-message…). */
  detail?: string;
  /** Listeners to replace before the next call (they died or hung). */
  restart: ListenerKind[];
}

/** How one survivor took it. */
interface Survivor { detectMs: number | null; crash: string | null; hang: string | null; code: string | null; listener?: ListenerKind }

/** A listener must report the end of the call (or the refusal) after output position from, and stay up. */
async function listenerSurvives(rig: FaultRig, kind: ListenerKind, from: number, t0: number, re: RegExp): Promise<Survivor> {
  const l = rig.listeners[kind].peer;
  const line = await l.waitLine(re, DETECT_BOUND_MS, from);
  const coded = line ? await l.waitLine(CODE_RE, 1_000, from) : null;
  const exited = l.exit ? `the ${kind} listener exited (${l.exit.code ?? l.exit.signal}): ${lastLine(l)}` : null;
  return {
    detectMs: line ? line.at - t0 : null, crash: l.crash([], from) ?? exited, code: coded ? (CODE_RE.exec(coded.text)?.[1] ?? null) : null,
    hang: !line && !l.exit ? `the ${kind} listener did not notice within ${DETECT_BOUND_MS} ms (its last line: ${lastLine(l)})` : null, listener: kind,
  };
}

/** A caller must report the failure after output position from and exit 1 soon after. */
async function callerSurvives(c: PeerProcess, from: number, t0: number): Promise<Survivor> {
  const line = await c.waitLine(/^call ended: |\[ERR_[A-Z_]+\]/, DETECT_BOUND_MS, from);
  const e = await c.waitExit(EXIT_BOUND_MS);
  let hang: string | null = null;
  if (!e) {
    hang = line ? `the caller noticed but did not exit within ${EXIT_BOUND_MS} ms` : `the caller did not notice within ${DETECT_BOUND_MS} ms`;
    await c.stop('SIGKILL');
  }
  const coded = c.lines.find((l) => l.stream === 'err' && CODE_RE.test(l.text));
  return {
    detectMs: line ? line.at - t0 : null, crash: e ? c.crash([EXIT_FAILURE], from) : null, hang,
    code: coded ? (CODE_RE.exec(coded.text)?.[1] ?? null) : null,
  };
}

/** Fold the survivors into one outcome. */
function outcome(survivors: readonly Survivor[], detail?: string): FaultOutcome {
  const times = survivors.map((s) => s.detectMs);
  const detected = times.every((t) => t !== null);
  return {
    detected, detectMs: detected ? Math.max(...(times as number[])) : null,
    crash: survivors.find((s) => s.crash)?.crash ?? null, hang: survivors.find((s) => s.hang)?.hang ?? null,
    codes: survivors.flatMap((s) => (s.code ? [s.code] : [])),
    ...(detail ? { detail } : {}),
    restart: survivors.flatMap((s) => (s.listener && (s.crash || s.hang) ? [s.listener] : [])),
  };
}

/** A free port nobody listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Spawn a caller and wait for its "calling …" line (the moment it starts dialing); null when it never dials. */
async function dialing(rig: FaultRig, port: number, extra: readonly string[] = []): Promise<{ c: PeerProcess; t0: number; from: number } | null> {
  const c = rig.spawnCaller(port, extra);
  const line = await c.waitLine(/^calling /, CALL_WAIT_MS);
  if (!line) { await c.stop('SIGKILL'); return null; }
  return { c, t0: line.at, from: c.mark() - 1 };
}

/** Inject one fault of `kind` (the nth of its kind); the rig has a call up exactly when NEEDS_CALL has the kind. */
export async function injectFault(rig: FaultRig, kind: FaultKind, nth: number): Promise<FaultOutcome> {
  const call = rig.call;
  if (NEEDS_CALL.has(kind)) {
    if (!call) throw new Error(`${kind} needs a call in progress`);
    rig.call = null;
    const l = rig.listeners[call.to].peer;
    const fromL = l.mark(), fromC = call.caller.mark();
    const t0 = performance.now();
    try {
      if (kind === 'peer-killed') {
        call.caller.signal('SIGKILL');
        const s = await listenerSurvives(rig, call.to, fromL, t0, /^call ended: /);
        const how = l.linesSince(fromL).some((x) => x.text.includes('mid-message')) ? 'mid-message' : 'between messages';
        return outcome([s], `${call.to} listener, ${how}`);
      }
      if (kind === 'half-open') call.proxy.setStalled(true);
      else call.proxy.cut();
      const [s1, s2] = await Promise.all([listenerSurvives(rig, call.to, fromL, t0, /^call ended: /), callerSurvives(call.caller, fromC, t0)]);
      return outcome([s1, s2], `${call.to} listener`);
    } finally {
      await call.proxy.close();
      if (!call.caller.exit) await call.caller.stop('SIGKILL');
    }
  }
  if (kind === 'refused') {
    const d = await dialing(rig, await deadPort());
    if (!d) return setupFailed('the caller never started dialing');
    return outcome([await callerSurvives(d.c, d.from, d.t0)]);
  }
  if (kind === 'wrong-passphrase') {
    const from = rig.listeners.secure.peer.mark();
    const d = await dialing(rig, rig.listeners.secure.port, ['--secret', `not the passphrase, attempt ${nth}`]);
    if (!d) return setupFailed('the caller never started dialing');
    const [s1, s2] = await Promise.all([callerSurvives(d.c, d.from, d.t0), listenerSurvives(rig, 'secure', from, d.t0, /^termcall: refused /)]);
    return outcome([s1, s2]);
  }
  const g = garbageVariant(nth);
  const from = rig.listeners.plain.peer.mark();
  const t0 = performance.now();
  const closedMs = await sendGarbage(rig.listeners.plain.port, g.bytes, DETECT_BOUND_MS);
  const s = await listenerSurvives(rig, 'plain', from, t0, /^(call ended: |termcall: refused )/);
  // The listener noticing is its dropping the connection; its "refused" line gives the code.
  return outcome([{ ...s, detectMs: closedMs, hang: closedMs === null ? `the listener held ${g.name} for ${DETECT_BOUND_MS} ms` : s.hang }], g.name);
}

/** A fault that could not even be set up (counted as a hang of the tool, reported with the reason). */
function setupFailed(why: string): FaultOutcome {
  return { detected: false, detectMs: null, crash: null, hang: why, codes: [], restart: [] };
}
