// A private PulseAudio daemon per test or bench run (its own runtime dir and socket, so parallel tests never share one), with
// null sinks as microphones and speakers; recording a source with its start time on the wall clock; playing a WAV.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nowMs } from '../shared/frame.js';

export interface PulseServer {
  /** Environment that points pactl/parec/pacat (and termcall) at this server only. */
  readonly env: NodeJS.ProcessEnv;
  readonly dir: string;
  /** Run pactl against this server (throws on failure). */
  pactl(...args: string[]): string;
}

/** Start pulseaudio -D with module-native-protocol-unix on a private socket and a 48 kHz mono null sink per name. */
export function startPulse(t: { after(fn: () => void): void }, sinks: readonly string[], base: NodeJS.ProcessEnv = process.env): PulseServer {
  const dir = mkdtempSync(join(tmpdir(), 'termcall-pulse-'));
  const env: NodeJS.ProcessEnv = {
    ...base, PULSE_RUNTIME_PATH: dir, PULSE_STATE_PATH: dir, PULSE_SERVER: `unix:${dir}/native`, PULSE_COOKIE: join(dir, 'cookie'),
    XDG_RUNTIME_DIR: dir, XDG_CONFIG_HOME: dir, HOME: base.HOME ?? dir,
  };
  const args = ['-D', '-n', '--exit-idle-time=-1', '--use-pid-file=yes', '--disable-shm=yes', '--log-target=stderr',
    `--load=module-native-protocol-unix socket=${dir}/native auth-anonymous=1`,
    ...sinks.map((s) => `--load=module-null-sink sink_name=${s} rate=48000 channels=1`)];
  const r = spawnSync('pulseaudio', args, { env, encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`pulseaudio did not start (${r.status}): ${r.stderr}`);
  t.after(() => {
    spawnSync('pulseaudio', ['-k'], { env, timeout: 5_000 });
    try {
      const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      if (pid > 0) process.kill(pid, 'SIGKILL');
    } catch { /* gone already */ }
    rmSync(dir, { recursive: true, force: true });
  });
  const pactl = (...a: string[]): string => {
    const p = spawnSync('pactl', a, { env, encoding: 'utf8', timeout: 5_000 });
    if (p.status !== 0) throw new Error(`pactl ${a.join(' ')}: ${p.stderr}`);
    return p.stdout;
  };
  return { env, dir, pactl };
}

/** A running recording: stop() ends it and returns the samples and when sample 0 was captured (local epoch ms). */
export interface Recording {
  stop(): Promise<{ samples: Int16Array; startTs: number }>;
}

/** Record a source (e.g. "spk.monitor") as 48 kHz mono s16le. */
export function recordSource(t: { after(fn: () => void): void }, env: NodeJS.ProcessEnv, source: string): Recording {
  const child = spawn('parec', ['-d', source, '--raw', '--format=s16le', '--rate=48000', '--channels=1', '--latency-msec=10'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const chunks: Buffer[] = [];
  let startTs = Infinity;
  let bytes = 0;
  child.stdout.on('data', (c: Buffer) => {
    // Every sample so far was captured before now: sample 0 at most (bytes so far / 96 per ms) before now. The
    // tightest of these bounds is the start (a recorder may hand over a burst of samples it held back).
    bytes += c.length;
    startTs = Math.min(startTs, nowMs() - bytes / 96);
    chunks.push(c);
  });
  t.after(() => { child.kill('SIGKILL'); });
  return {
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => { if (child.exitCode !== null || child.signalCode !== null) r(null); else child.once('exit', r); });
      const all = Buffer.concat(chunks);
      const samples = new Int16Array(Math.floor(all.length / 2));
      new Uint8Array(samples.buffer).set(all.subarray(0, samples.length * 2));
      return { samples, startTs };
    },
  };
}

/** Play a WAV file into a sink; resolves when it has been played. */
export async function playInto(env: NodeJS.ProcessEnv, sink: string, wav: string): Promise<void> {
  const child = spawn('pacat', ['--playback', '-d', sink, '--file-format=wav', wav], { env, stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
}
