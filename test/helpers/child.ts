// Child processes for integration tests: output collected, killed when the test ends, bounded waits on their output.
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import { packageRoot } from '../../src/shared/paths.js';

/** A running child: its output so far (stdout unless redirected, then stderr) and how it exited. */
export interface Child {
  readonly child: ChildProcess;
  out(): string;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts cmd in the package root, SIGKILLed when the test ends; stdout goes to stdoutFd when given. */
export function runChild(t: TestContext, cmd: string, args: string[], stdoutFd?: number): Child {
  const child = spawn(cmd, args, {
    cwd: packageRoot(), stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { out += s; });
  return { child, out: () => out, done: new Promise((r) => child.on('exit', (code, signal) => r({ code, signal }))) };
}

/** Waits (bounded) until get() matches re; throws with the text so far when it does not. */
export async function waitForText(get: () => string, re: RegExp, ms = 20_000): Promise<RegExpExecArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = re.exec(get());
    if (m) return m;
    if (Date.now() > until) throw new Error(`timed out waiting for ${re} in:\n${get()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
