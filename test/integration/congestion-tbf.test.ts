// A real call through a real kernel link shaped to 256 kbit/s each way (two network namespaces, a veth pair, a tbf
// qdisc on each end): the clip sender and the test-pattern sender shrink their frames before they take JPEG quality
// below FLOOR_JPEG_QUALITY, and latency does not build up. Needs root, ip and tc (iproute2).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { SessionStats } from '../../src/call/stats.js';
import { packageRoot } from '../../src/shared/paths.js';
import {
  DEFAULT_PANE_HEIGHT_PX, DEFAULT_PANE_WIDTH_PX, FLOOR_JPEG_QUALITY, MIN_SEND_SCALE,
} from '../../src/shared/limits.js';
import { needRoot, needTools } from '../helpers/require-tool.js';

const RATE_KBIT = 256;
/** Seconds of call whose stats are judged (a stats line a second on each side). */
const CALL_SECONDS = 22;
const ADDR_A = '198.51.100.1';
const ADDR_B = '198.51.100.2';


/** Run a command; throw with its stderr when it fails. */
function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message || ''}`);
}

/** Two namespaces joined by a veth pair, each end shaped by tbf; returns the names and a cleanup. */
function shapedLink(tag: string): { a: string; b: string; remove(): void } {
  const a = `tcg${tag}a`, b = `tcg${tag}b`, va = `tcv${tag}a`, vb = `tcv${tag}b`;
  const remove = (): void => {
    for (const ns of [a, b]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  };
  try {
    run('ip', ['netns', 'add', a]);
    run('ip', ['netns', 'add', b]);
    run('ip', ['link', 'add', va, 'type', 'veth', 'peer', 'name', vb]);
    run('ip', ['link', 'set', va, 'netns', a]);
    run('ip', ['link', 'set', vb, 'netns', b]);
    for (const [ns, dev, addr] of [[a, va, ADDR_A], [b, vb, ADDR_B]] as const) {
      run('ip', ['-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev]);
      run('ip', ['-n', ns, 'link', 'set', dev, 'up']);
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      // A queue of at most 200 ms at the rate, bursts of 4 KB (a few packets).
      run('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', `${RATE_KBIT}kbit`,
        'burst', '4kb', 'latency', '200ms']);
    }
  } catch (err) {
    remove();
    throw err;
  }
  return { a, b, remove };
}

/** Start bin/termcall inside a namespace; its output goes to a file. */
function termcallIn(ns: string, args: string[], dir: string, name: string): ChildProcess {
  const out = fs.openSync(path.join(dir, `${name}.out`), 'w');
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state') };
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, 'bin/termcall', ...args,
    '--log-file', path.join(dir, `${name}.log`)], { cwd: packageRoot(), env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return child;
}

/** Poll until check() is true or ms pass; returns whether it became true. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** The stats lines of a --stats-file written so far. */
function statsLines(file: string): SessionStats[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as SessionStats);
}

/** Stop a child with SIGINT (headless hangs up and exits); resolves once it exited, SIGKILL after 5 s. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => { clearTimeout(t); resolve(); });
    child.kill('SIGINT');
  });
}

/** Median of the finite values (NaN when none). */
function median(values: readonly (number | null)[]): number {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  return v.length ? (v[Math.floor(v.length / 2)] as number) : Number.NaN;
}

/** One line per second of what a sender did, for the test's diagnostics. */
function describe(name: string, lines: readonly SessionStats[]): string {
  const last = lines.slice(-8).map((s) => s.tx);
  const sizes = [...new Set(lines.map((s) => `${s.tx.width}x${s.tx.height} q${s.tx.quality}`))].join(' → ');
  return `${name}: ${sizes}; last 8 s: ${median(last.map((t) => t.fps))} fps, ${median(last.map((t) => t.bytesPerFrame))} B/frame, ` +
    `${median(last.map((t) => t.kbps))} kbit/s, p95 ${median(last.map((t) => t.latencyP95Ms))} ms (peer clock)`;
}

test(`through ${RATE_KBIT} kbit/s tbf each way, senders shrink frames before quality goes below the floor; latency stays bounded`,
  { skip: needTools('ip', 'tc') || needRoot('network namespaces and tc qdiscs'), timeout: 60_000 }, async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-tbf-'));
    const link = shapedLink(String(process.pid));
    const children: ChildProcess[] = [];
    t.after(async () => {
      for (const c of children) await stop(c);
      link.remove();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const listenStats = path.join(dir, 'listen.jsonl');
    const callStats = path.join(dir, 'call.jsonl');
    const listener = termcallIn(link.a, ['listen', '--headless', '--auto-accept', '--source', 'fixtures/clip.mp4',
      '--bind', ADDR_A, '--stats-file', listenStats], dir, 'listen');
    children.push(listener);
    const listening = await until(() => fs.readFileSync(path.join(dir, 'listen.out'), 'utf8').includes('listening on'), 15_000);
    assert.ok(listening, `the listener did not start: ${fs.readFileSync(path.join(dir, 'listen.out'), 'utf8')}`);
    const caller = termcallIn(link.b, ['call', ADDR_A, '--headless', '--source', 'test', '--stats-file', callStats], dir, 'call');
    children.push(caller);
    const enough = (): boolean => statsLines(callStats).length >= CALL_SECONDS && statsLines(listenStats).length >= CALL_SECONDS;
    const ran = await until(enough, (CALL_SECONDS + 12) * 1000);
    await stop(caller);
    await stop(listener);
    assert.ok(ran, `the call did not last ${CALL_SECONDS} s: ${fs.readFileSync(path.join(dir, 'call.out'), 'utf8').slice(-2000)}`);

    const clip = statsLines(listenStats).filter((s) => s.tx.frames > 0);
    const pattern = statsLines(callStats).filter((s) => s.tx.frames > 0);
    t.diagnostic(describe('clip sender (listener)', clip));
    t.diagnostic(describe('test-pattern sender (caller)', pattern));
    const minWidth = Math.round(DEFAULT_PANE_WIDTH_PX * MIN_SEND_SCALE);
    for (const [name, lines] of [['clip', clip], ['test pattern', pattern]] as const) {
      // The link was shaped: a typical second carried no more video than the rate (written to the socket, so single
      // seconds may run ahead into buffers; unshaped this sends megabits).
      const kbps = median(lines.map((s) => s.tx.kbps));
      assert.ok(kbps <= RATE_KBIT, `${name}: ${kbps} kbit/s through a ${RATE_KBIT} kbit/s link`);
      // Quality below the floor only once the frame is as small as congestion makes it.
      for (const s of lines) {
        if (s.tx.quality < FLOOR_JPEG_QUALITY) {
          assert.ok(s.tx.width <= minWidth, `${name}: quality ${s.tx.quality} at ${s.tx.width}x${s.tx.height}, before shrinking to ${minWidth} px wide`);
        }
      }
      assert.ok(lines.every((s) => s.tx.width <= DEFAULT_PANE_WIDTH_PX && s.tx.height <= DEFAULT_PANE_HEIGHT_PX));
    }
    // 320x240 test-pattern frames are ~8 KB, 250 ms each at this rate: that sender must shrink, at a sane quality.
    assert.ok(pattern.some((s) => s.tx.width < DEFAULT_PANE_WIDTH_PX && s.tx.quality >= FLOOR_JPEG_QUALITY),
      'the test-pattern sender never sent a smaller frame at or above the quality floor');
    // Latency does not build up: capture → decoded summed over both directions (the clock offset cancels), median of
    // the last 8 s against seconds 2–7 of the call (measured: 0.5–1.4 times).
    const n = Math.min(clip.length, pattern.length);
    const both = Array.from({ length: n }, (_v, i) => (clip[i]?.rx.latencyMs ?? Number.NaN) + (pattern[i]?.rx.latencyMs ?? Number.NaN));
    const first = median(both.slice(2, 8));
    const last = median(both.slice(-8));
    t.diagnostic(`capture → decoded, both directions summed: ${first} ms early, ${last} ms at the end`);
    assert.ok(Number.isFinite(first) && Number.isFinite(last), `no latency samples: ${both.join(' ')}`);
    assert.ok(last / first <= 2, `latency grew from ${first} to ${last} ms`);
  });
