// `termcall bench --only audio`: Opus cost per frame; mouth to ear through a private PulseAudio (speech played into
// A's microphone sink, recorded from B's speaker sink's monitor, aligned by cross-correlation), on loopback and
// through a 1 Mbit/s throttle with video both ways; audible gaps, lip sync and CPU per peer from the same calls.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchOpus } from '../audio/opus-codec.js';
import { alignAudio } from '../audio/align.js';
import { parseWav, resample } from '../audio/wav.js';
import { fixtureClip, fixtureSpeech, packageRoot } from '../shared/paths.js';
import { AUDIO_FRAME_SAMPLES } from '../shared/limits.js';
import { playInto, recordSource, startPulse } from './pulse-rig.js';
import { startThrottleProxy } from './throttle-proxy.js';

export interface AudioBench {
  opusEncodeMs: number;
  opusDecodeMs: number;
  kbps?: number;
  mouthToEarP50Ms?: number;
  mouthToEarP95Ms?: number;
  throttledKbps?: number;
  throttledMouthToEarP95Ms?: number;
  longestGapMs?: number;
  lipSyncOffsetMs?: number;
  cpuPercentPerPeer?: number;
  similarity?: number;
}

const TERMCALL = fileURLToPath(new URL('../../../bin/termcall', import.meta.url));

/** Collect afters like node:test's t.after, run them at the end. */
class Afters {
  private fns: (() => unknown)[] = [];
  after(fn: () => unknown): void { this.fns.push(fn); }
  async run(): Promise<void> { for (const f of this.fns.reverse()) await f(); }
}

/** A termcall process whose stdout is collected. */
function run(a: Afters, env: NodeJS.ProcessEnv, args: string[]): { child: ChildProcess; out: () => string; wait(re: RegExp, ms: number): Promise<RegExpExecArray> } {
  const child = spawn(process.execPath, [TERMCALL, ...args], { cwd: packageRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr?.resume();
  a.after(() => { child.kill('SIGKILL'); });
  return {
    child, out: () => out,
    async wait(re, ms) {
      const end = Date.now() + ms;
      for (;;) {
        const m = re.exec(out);
        if (m) return m;
        if (Date.now() > end) throw new Error(`bench audio: ${re} not seen in termcall output`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** CPU seconds of a process and its children still running (parec, pacat), from /proc. */
function cpuSeconds(pid: number): number {
  const tick = 100;
  const stat = (p: number): { cpu: number; ppid: number } | null => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      return { ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) / tick };
    } catch { return null; }
  };
  let total = stat(pid)?.cpu ?? 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = stat(Number(d));
    if (s && s.ppid === pid) total += s.cpu;
  }
  return total;
}

/** Parse "audio … tx T rx R kbit/s lat P50/P95ms … gap Gms" and the video rx latency from stats lines. */
function statsOf(out: string): { videoLat: number; audioLat: number; audioP95: number; gap: number; txKbps: number; rxKbps: number }[] {
  return [...out.matchAll(/\| rx [\d.]+fps \d+kbit\/s \S+ q\d+ lat ([\d.]+)\/[\d.]+ms.*\| audio .* tx (\d+) rx (\d+)kbit\/s lat ([\d.]+)\/([\d.]+)ms .* gap ([\d]+)ms/g)]
    .map((m) => ({ videoLat: Number(m[1]), txKbps: Number(m[2]), rxKbps: Number(m[3]), audioLat: Number(m[4]), audioP95: Number(m[5]), gap: Number(m[6]) }));
}

/** Quantile of values (q 0..1). */
function q(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? Number.NaN;
}

/** One two-way call through a private pulse server: utterances mouth → ear, stats lines, CPU per peer. */
async function pulseCall(kbps: number | null, utterances: number, log: (s: string) => void) {
  const a = new Afters();
  try {
    const pulse = startPulse(a, ['micA', 'spkA', 'micB', 'spkB']);
    const env = { ...process.env, ...pulse.env };
    // A real microphone never stops delivering: keep a quiet floor playing into both microphone sinks (a null sink's
    // monitor with nothing playing delivers nothing, and each utterance would start the capture cold).
    for (const sink of ['micA', 'micB']) {
      const floor = spawn('pacat', ['--playback', '-d', sink, '--raw', '--format=s16le', '--rate=48000', '--channels=1'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
      floor.stdin.on('error', () => undefined);
      const noise = Buffer.alloc(1920);
      for (let i = 0; i < noise.length; i += 2) noise.writeInt16LE(((i * 7919) % 64) - 32, i);
      const iv = setInterval(() => floor.stdin.write(noise), 20);
      a.after(() => { clearInterval(iv); floor.kill('SIGKILL'); });
    }
    const video = kbps === null ? ['--source', 'test', '--fps', '15'] : ['--source', fixtureClip()];
    const b = run(a, env, ['listen', '--headless', '--auto-accept', '--port', '0', '--bind', '127.0.0.1', ...video,
      '--audio-in', 'pulse:micB.monitor', '--audio-out', 'pulse:spkB']);
    let port = Number((await b.wait(/listening on 127\.0\.0\.1:(\d+)/, 20_000))[1]);
    if (kbps !== null) {
      const proxy = await startThrottleProxy(port, kbps);
      a.after(() => proxy.close());
      port = proxy.port;
    }
    const caller = run(a, env, ['call', `127.0.0.1:${port}`, '--headless', ...video, '--audio-in', 'pulse:micA.monitor', '--audio-out', 'pulse:spkA']);
    await caller.wait(/\| audio mic/, 20_000);
    // Let the congestion control settle before measuring.
    await new Promise((r) => setTimeout(r, kbps === null ? 2000 : 10_000));
    const cpu0 = [cpuSeconds(caller.child.pid ?? 0), cpuSeconds(b.child.pid ?? 0)];
    const t0 = performance.now();
    const outAt = b.out().length;
    const delays: number[] = [];
    const sims: number[] = [];
    for (let i = 0; i < utterances; i++) {
      const mouth = recordSource(a, env, 'micA.monitor');
      const ear = recordSource(a, env, 'spkB.monitor');
      await new Promise((r) => setTimeout(r, 300));
      await playInto(env, 'micA', fixtureSpeech());
      await new Promise((r) => setTimeout(r, 700));
      const m = await mouth.stop();
      const e = await ear.stop();
      const al = alignAudio(m.samples, e.samples, 48000, 3000);
      delays.push(e.startTs - m.startTs + al.lagMs);
      sims.push(al.similarity);
      const last = statsOf(b.out()).at(-1);
      log(`audio${kbps === null ? '' : ` ${kbps} kbit/s`}: utterance ${i + 1}: mouth to ear ${delays.at(-1)?.toFixed(1)} ms, similarity ${al.similarity.toFixed(3)}` +
        ` (B's stats: audio capture → played ${last?.audioLat} ms, video capture → decoded ${last?.videoLat} ms)`);
    }
    const secs = (performance.now() - t0) / 1000;
    const cpu1 = [cpuSeconds(caller.child.pid ?? 0), cpuSeconds(b.child.pid ?? 0)];
    const cpu = Math.max(...cpu1.map((c, i) => ((c - (cpu0[i] ?? 0)) * 100) / secs));
    const stats = statsOf(b.out().slice(outAt));
    return { delays, sims, stats, cpu };
  } finally {
    await a.run();
  }
}

/** The audio section; the sound-server parts are left out when pulseaudio is not installed. */
export async function benchAudio(log: (s: string) => void, throttledKbps = 1000): Promise<AudioBench> {
  const speech = parseWav(readFileSync(fixtureSpeech()));
  const pcm = resample(speech.samples, speech.sampleRate, 48000);
  const frames: Int16Array[] = [];
  for (let o = 0; o + AUDIO_FRAME_SAMPLES <= pcm.length; o += AUDIO_FRAME_SAMPLES) frames.push(pcm.slice(o, o + AUDIO_FRAME_SAMPLES));
  const op = benchOpus(frames);
  const r: AudioBench = { opusEncodeMs: round(op.encodeMs, 3), opusDecodeMs: round(op.decodeMs, 3) };
  log(`audio: Opus ${r.opusEncodeMs} ms encode, ${r.opusDecodeMs} ms decode per 20 ms frame, ${op.kbps.toFixed(1)} kbit/s`);
  try {
    const loop = await pulseCall(null, 6, log);
    r.mouthToEarP50Ms = round(q(loop.delays, 0.5), 1);
    r.mouthToEarP95Ms = round(q(loop.delays, 0.95), 1);
    r.similarity = round(q(loop.sims, 0.5), 3);
    r.kbps = round(q(loop.stats.map((s) => s.rxKbps).filter((k) => k > 0), 0.5), 1);
    // Positive: audio ahead of video. Both delays capture → out on B, from its stats (video: decoded; audio: played).
    r.lipSyncOffsetMs = round(q(loop.stats.map((s) => s.videoLat - s.audioLat), 0.5), 1);
    r.cpuPercentPerPeer = round(loop.cpu, 1);
    const thr = await pulseCall(throttledKbps, 6, log);
    r.throttledKbps = throttledKbps;
    r.throttledMouthToEarP95Ms = round(q(thr.delays, 0.95), 1);
    r.longestGapMs = Math.max(0, ...thr.stats.map((s) => s.gap));
  } catch (err) {
    log(`audio: no sound-server figures (${err instanceof Error ? err.message : String(err)})`);
  }
  return r;
}

/** Round to digits decimals. */
function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
