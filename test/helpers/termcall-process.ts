// Real `bin/termcall` processes for tests: spawned with private config/state dirs, output collected, exit awaited.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/shared/paths.js';
import { startMjpegServer, type MjpegServer } from './mjpeg-server.js';

/** The real program, as a user runs it. */
export const TERMCALL = fileURLToPath(new URL('../../../bin/termcall', import.meta.url));

/** How a process ended: its exit code, or the signal that killed it (a crash: SIGABRT, SIGSEGV). */
export interface Ended { code: number | null; signal: NodeJS.Signals | null }

export interface TermcallProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has ended. */
  readonly ended: Promise<Ended>;
  /** Waits (at most ms) until stdout matches re; throws with both outputs when it does not. */
  waitOut(re: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Waits (at most ms) for the end; throws with both outputs when the process is still running then. */
  waitEnd(ms: number): Promise<Ended>;
}

/** A temporary HOME with XDG dirs, removed in t.after; the environment has no TERMCALL_* settings. */
export function isolatedEnv(t: { after(fn: () => void): void }): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'termcall-proc-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'cfg'), XDG_STATE_HOME: join(home, 'state') };
  for (const k of Object.keys(env)) if (k.startsWith('TERMCALL_')) delete env[k];
  return env;
}

/** Starts `termcall ARGS` with no terminal; killed with SIGKILL in t.after should it still run. */
export function startTermcall(t: { after(fn: () => void): void }, env: NodeJS.ProcessEnv, args: readonly string[]): TermcallProcess {
  const child = spawn(process.execPath, [TERMCALL, ...args], { cwd: packageRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { err += s; });
  const ended = new Promise<Ended>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  const show = () => `\n--- stdout:\n${out}\n--- stderr:\n${err}`;
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    ended,
    async waitOut(re, ms = 20_000) {
      const end = Date.now() + ms;
      for (;;) {
        const m = re.exec(out);
        if (m) return m;
        if (Date.now() > end || child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`termcall ${args.join(' ')}: ${re} not seen within ${ms} ms${show()}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async waitEnd(ms) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`termcall ${args.join(' ')} still running after ${ms} ms${show()}`)), ms);
      });
      try {
        return await Promise.race([ended, late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Three distinct 320x240 JPEGs made with sharp (no OpenCV in the test process). */
export async function sampleJpegs(): Promise<Uint8Array[]> {
  const sharp = (await import('sharp')).default;
  const colours = [{ r: 200, g: 40, b: 40 }, { r: 40, g: 200, b: 40 }, { r: 40, g: 40, b: 200 }];
  return Promise.all(colours.map((background) =>
    sharp({ create: { width: 320, height: 240, channels: 3, background } }).jpeg({ quality: 70 }).toBuffer()));
}

/** An MJPEG server on 127.0.0.1 serving sampleJpegs() at fps, closed in t.after. */
export async function mjpegSource(t: { after(fn: () => Promise<void> | void): void }, fps = 30): Promise<MjpegServer> {
  const server = await startMjpegServer(await sampleJpegs(), fps);
  t.after(() => server.close());
  return server;
}
