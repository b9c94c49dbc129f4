// A real `bin/termcall` process that the soak and fault runs drive: its output read line by line with arrival
// times, its exit, a crash check (stack traces, unexpected signals) and /proc samples of its RSS and open fds.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../shared/paths.js';

/** One line a peer wrote, with the runner's clock (performance.now()) when it arrived. */
export interface PeerLine { readonly at: number; readonly stream: 'out' | 'err'; readonly text: string }
/** How a peer ended, and when (performance.now()). */
export interface PeerExit { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly at: number }
/** One /proc sample of a peer. */
export interface PeerSample { readonly at: number; readonly rssBytes: number; readonly fds: number }

/** Lines kept per peer at most (the oldest are dropped; a 10-minute soak writes ~1,200). */
const MAX_LINES = 20_000;
/** What a crash looks like on stderr: a stack frame, Node's uncaught-error banner, V8 or native aborts. */
const CRASH_RE = /^\s+at .+:\d+:\d+\)?$|unexpected error|Uncaught|FATAL ERROR|Segmentation fault|Aborted|node:internal/m;

/** A private HOME and XDG dirs so no user config, saved peer or log of the person running the bench leaks in. */
export function benchEnv(): { env: NodeJS.ProcessEnv; cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), 'termcall-bench-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'cfg'), XDG_STATE_HOME: join(home, 'state') };
  for (const k of Object.keys(env)) if (k.startsWith('TERMCALL_')) delete env[k];
  return { env, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** A spawned `termcall …` process. */
export class PeerProcess {
  readonly lines: PeerLine[] = [];
  readonly exited: Promise<PeerExit>;
  private ended: PeerExit | null = null;
  private readonly child: ChildProcess;
  private readonly sent = new Set<NodeJS.Signals>();
  private watchers: { re: RegExp; from: number; resolve: (l: PeerLine | null) => void }[] = [];
  private dropped = 0;

  constructor(readonly name: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    const bin = join(packageRoot(), 'bin', 'termcall');
    this.child = spawn(process.execPath, [bin, ...args], { cwd: packageRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.read('out');
    this.read('err');
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.ended = { code, signal, at: performance.now() };
        for (const w of this.watchers) w.resolve(null);
        this.watchers = [];
        resolve(this.ended);
      });
      this.child.once('error', () => {
        this.ended ??= { code: null, signal: null, at: performance.now() };
        resolve(this.ended);
      });
    });
  }

  /** The process id (0 if it never started). */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** How it ended, or null while it runs. */
  get exit(): PeerExit | null {
    return this.ended;
  }

  /** A position in the output: waitLine(re, ms, mark()) sees only lines written after it. */
  mark(): number {
    return this.dropped + this.lines.length;
  }

  /** The lines written at or after output position from (as far as they are kept). */
  linesSince(from: number): PeerLine[] {
    return this.lines.slice(Math.max(0, from - this.dropped));
  }

  /** The first line (at or after position from) matching re; null when the process ends or timeoutMs passes first. */
  waitLine(re: RegExp, timeoutMs: number, from = 0): Promise<PeerLine | null> {
    const seen = this.linesSince(from).find((l) => re.test(l.text));
    if (seen) return Promise.resolve(seen);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      const w = { re, from, resolve: (l: PeerLine | null) => { clearTimeout(timer); resolve(l); } };
      const timer = setTimeout(() => {
        this.watchers = this.watchers.filter((x) => x !== w);
        resolve(null);
      }, timeoutMs);
      this.watchers.push(w);
    });
  }

  /** Resolves with the exit, or null if the process still runs after timeoutMs. */
  waitExit(timeoutMs: number): Promise<PeerExit | null> {
    if (this.ended) return Promise.resolve(this.ended);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      void this.exited.then((e) => { clearTimeout(timer); resolve(e); });
    });
  }

  /** Send a signal (remembered: an exit by a signal the runner sent is not a crash). */
  signal(sig: NodeJS.Signals): void {
    if (this.ended) return;
    this.sent.add(sig);
    this.child.kill(sig);
  }

  /** Stop it: sig, then SIGKILL after graceMs; resolves with the exit. */
  async stop(sig: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<PeerExit> {
    this.signal(sig);
    const e = await this.waitExit(graceMs);
    if (e) return e;
    this.signal('SIGKILL');
    return this.exited;
  }

  /**
   * Why this peer counts as crashed, or null: an exit code outside `allowed`, a signal nobody sent, or a stack trace
   * on stderr (at or after output position `from`).
   */
  crash(allowed: readonly number[] = [], from = 0): string | null {
    const trace = this.linesSince(from).find((l) => l.stream === 'err' && CRASH_RE.test(l.text));
    if (trace) return `stack trace on stderr: ${trace.text.trim()}`;
    const e = this.ended;
    if (!e) return null;
    if (e.signal && !this.sent.has(e.signal)) return `killed by ${e.signal}`;
    if (e.code !== null && !allowed.includes(e.code)) return `exit code ${e.code}`;
    return null;
  }

  /** The text of stderr so far (for reports). */
  stderr(): string {
    return this.lines.filter((l) => l.stream === 'err').map((l) => l.text).join('\n');
  }

  /** RSS and open file descriptors from /proc, or null when the process is gone (or /proc is not there). */
  sample(): PeerSample | null {
    if (this.ended || !this.pid) return null;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
      const fds = readdirSync(`/proc/${this.pid}/fd`).length;
      return kb ? { at: performance.now(), rssBytes: Number(kb[1]) * 1024, fds } : null;
    } catch {
      return null;
    }
  }

  /** Split a stream into lines and wake the watchers whose pattern matches. */
  private read(stream: 'out' | 'err'): void {
    const src = stream === 'out' ? this.child.stdout : this.child.stderr;
    let partial = '';
    src?.setEncoding('utf8').on('data', (s: string) => {
      const parts = (partial + s).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) this.push({ at: performance.now(), stream, text });
    });
    src?.on('end', () => { if (partial) this.push({ at: performance.now(), stream, text: partial }); });
  }

  /** Keep one line and hand it to the watchers waiting for it. */
  private push(line: PeerLine): void {
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) { this.lines.shift(); this.dropped++; }
    const pos = this.dropped + this.lines.length - 1;
    this.watchers = this.watchers.filter((w) => {
      if (pos < w.from || !w.re.test(line.text)) return true;
      w.resolve(line);
      return false;
    });
  }
}

/** Start `termcall listen --headless` on 127.0.0.1, port 0, and resolve once it says where it listens. */
export async function startListener(name: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<{ peer: PeerProcess; port: number }> {
  const peer = new PeerProcess(name, ['listen', '--headless', '--bind', '127.0.0.1', '--port', '0', ...args], env);
  const line = await peer.waitLine(/^listening on 127\.0\.0\.1:(\d+)/, timeoutMs);
  const port = line ? Number(/:(\d+)/.exec(line.text)?.[1]) : 0;
  if (!port) {
    await peer.stop('SIGKILL');
    throw new Error(`${name}: termcall listen did not report its port within ${timeoutMs} ms:\n${peer.stderr()}`);
  }
  return { peer, port };
}
