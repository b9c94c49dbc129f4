// The long-lived processes of a fault run: a plain and an encrypted headless listener that take calls one after
// another, and calls placed to them through a proxy the faults can stall or cut.
import { EXIT } from '../shared/exit-codes.js';
import { PeerProcess, startListener } from './peer-process.js';
import { startThrottleProxy, type ThrottleProxy } from './throttle-proxy.js';

/** Which listener a call goes to. */
export type ListenerKind = 'plain' | 'secure';
/** The passphrase of the encrypted listener (long enough not to draw the short-passphrase warning). */
export const RIG_SECRET = 'soak and faults: seven random words here';
/** A call counts as up once the caller reports frames both ways within this time. */
export const CALL_WAIT_MS = 20_000;
/** A line the caller prints once per second when frames flow both ways. */
const FLOWING_RE = /^tx [1-9][\d.]*fps.*\| rx [1-9][\d.]*fps/;

/** One listener of the rig. */
export interface RigListener { peer: PeerProcess; port: number; restarts: number }

/** A call in progress: the caller process, the proxy between it and the listener, and which listener. */
export interface RigCall { caller: PeerProcess; proxy: ThrottleProxy; to: ListenerKind }

/** The two listeners and the call currently up (if any). */
export class FaultRig {
  call: RigCall | null = null;
  private callers = 0;

  private constructor(readonly env: NodeJS.ProcessEnv, readonly source: string, readonly listeners: Record<ListenerKind, RigListener>) {}

  /** Start both listeners. */
  static async start(env: NodeJS.ProcessEnv, source: string): Promise<FaultRig> {
    const plain = await startPlain(env, source);
    const secure = await startSecure(env, source).catch(async (err: unknown) => { await plain.peer.stop('SIGKILL'); throw err; });
    return new FaultRig(env, source, { plain: { ...plain, restarts: 0 }, secure: { ...secure, restarts: 0 } });
  }

  /** Replace a listener that died or hung (the old one is killed first). */
  async restart(kind: ListenerKind): Promise<void> {
    const old = this.listeners[kind];
    if (!old.peer.exit) await old.peer.stop('SIGKILL');
    const fresh = kind === 'plain' ? await startPlain(this.env, this.source) : await startSecure(this.env, this.source);
    this.listeners[kind] = { ...fresh, restarts: old.restarts + 1 };
  }

  /** Spawn `termcall call` to port (extra args: --secret…). */
  spawnCaller(port: number, extra: readonly string[] = []): PeerProcess {
    this.callers++;
    return new PeerProcess(`caller ${this.callers}`, ['call', `127.0.0.1:${port}`, '--headless', '--source', 'test',
      '--name', `fault-caller-${this.callers}`, ...extra], this.env);
  }

  /** Place a call through a fresh proxy; resolves with null and the reason when no frames flowed both ways in time. */
  async placeCall(to: ListenerKind): Promise<{ call: RigCall | null; why?: string }> {
    const proxy = await startThrottleProxy(this.listeners[to].port);
    const caller = this.spawnCaller(proxy.port, to === 'secure' ? ['--secret', RIG_SECRET] : []);
    const line = await caller.waitLine(FLOWING_RE, CALL_WAIT_MS);
    if (!line) {
      const why = caller.exit ? `the caller exited (${caller.exit.code ?? caller.exit.signal}): ${lastLine(caller)}` : `no frames both ways within ${CALL_WAIT_MS} ms`;
      await caller.stop('SIGKILL');
      await proxy.close();
      return { call: null, why };
    }
    this.call = { caller, proxy, to };
    return { call: this.call };
  }

  /** Hang up the current call from the caller (SIGINT); null when it went as documented, else what went wrong. */
  async hangUp(): Promise<string | null> {
    const c = this.call;
    if (!c) return null;
    this.call = null;
    const l = this.listeners[c.to].peer;
    const from = l.mark();
    const e = await c.caller.stop('SIGINT');
    const seen = await l.waitLine(/^call ended: /, CALL_WAIT_MS, from);
    await c.proxy.close();
    if (e.code !== EXIT.INTERRUPTED) return `the caller exited ${e.code ?? e.signal} after SIGINT, not ${EXIT.INTERRUPTED}`;
    if (!seen) return `the ${c.to} listener did not report the hang-up`;
    return null;
  }

  /** Stop everything: the call, then both listeners with SIGTERM (they must exit 143). */
  async close(): Promise<string[]> {
    const problems: string[] = [];
    const h = await this.hangUp().catch((e: unknown) => String(e));
    if (h) problems.push(h);
    for (const [kind, l] of Object.entries(this.listeners)) {
      const e = await l.peer.stop('SIGTERM');
      const crash = l.peer.crash([EXIT.TERMINATED]);
      if (crash) problems.push(`${kind} listener at the end: ${crash}`);
      else if (e.code !== EXIT.TERMINATED) problems.push(`${kind} listener exited ${e.code ?? e.signal} after SIGTERM, not ${EXIT.TERMINATED}`);
    }
    return problems;
  }
}

/** The last line a peer wrote (for reports). */
export function lastLine(p: PeerProcess): string {
  return p.lines.at(-1)?.text ?? '(no output)';
}

/** The plain listener: auto-accept, sends the clip. */
function startPlain(env: NodeJS.ProcessEnv, source: string) {
  return startListener('plain listener', ['--auto-accept', '--source', source, '--name', 'fault-plain'], env);
}

/** The encrypted listener: the passphrase is the acceptance. */
function startSecure(env: NodeJS.ProcessEnv, source: string) {
  return startListener('secure listener', ['--secret', RIG_SECRET, '--source', source, '--name', 'fault-secure'], env);
}
