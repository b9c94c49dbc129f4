// Sound devices: capture and playback through PulseAudio/PipeWire (parec/pacat), ALSA (arecord/aplay) or WAV files.
// (WAV files: wav-devices.ts; listing and echo cancellation: device-admin.ts.)
// One long-lived child process per direction and call; frames are 20 ms of 48 kHz mono s16le. A device that fails
// emits 'error' once and goes quiet; the call goes on without it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { AudioError, messageOf } from '../shared/errors.js';
import { nowMs } from '../shared/frame.js';
import { AUDIO_DEVICE_LEAD_MS, AUDIO_DEVICE_SILENT_MS, AUDIO_FRAME_MS, AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE_HZ } from '../shared/limits.js';
import { describeAudioSpec, type AudioSpec } from './audio-spec.js';
import { WavInput, WavOutput } from './wav-devices.js';

const FRAME_BYTES = AUDIO_FRAME_SAMPLES * 2;

export interface AudioInputEvents {
  /** One 20 ms frame; captureTs = local epoch ms of its first sample (estimated). */
  frame: [pcm: Int16Array, captureTs: number];
  error: [err: AudioError];
}
export interface AudioOutputEvents { error: [err: AudioError] }

/** A microphone (or a file standing in for one). */
export interface AudioInput extends EventEmitter<AudioInputEvents> {
  readonly label: string;
  close(): void;
}
/** A speaker (or a file). write() takes one frame; it never blocks. */
export interface AudioOutput extends EventEmitter<AudioOutputEvents> {
  readonly label: string;
  write(pcm: Int16Array): void;
  /**
   * Audio written but not yet played at local time now, ms, from the device's own play-out clock (pacat reports
   * it); null when the device does not say (the caller paces by the wall clock) or is not ready for audio yet.
   */
  aheadMs(now: number): number | null;
  close(): void;
}

/** Is a PulseAudio (or PipeWire-pulse) server reachable? (`pactl info`, bounded.) */
export function pulseAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  const r = spawnSync('pactl', ['info'], { env, timeout: 2000, stdio: 'ignore' });
  return r.status === 0;
}

/** Is this command on PATH? */
export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1" >/dev/null', 'sh', cmd]).status === 0;
}

/** The real device behind 'default': the pulse server if one answers, else ALSA's default, else none. */
export function resolveDefault(spec: AudioSpec, env: NodeJS.ProcessEnv = process.env): AudioSpec {
  if (spec.kind !== 'default') return spec;
  if (have('pactl') && pulseAvailable(env)) return { kind: 'pulse', device: '@DEFAULT@' };
  if (have('arecord') && have('aplay') && spawnSync('aplay', ['-L'], { timeout: 2000, stdio: 'ignore' }).status === 0) return { kind: 'alsa', device: 'default' };
  return { kind: 'none' };
}

/** Splits a byte stream into 20 ms frames. */
class Framer {
  private buf: Buffer = Buffer.alloc(0);
  /** Add bytes; returns the whole frames now complete. */
  push(chunk: Buffer): Int16Array[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Int16Array[] = [];
    while (this.buf.length >= FRAME_BYTES) {
      const f = new Int16Array(AUDIO_FRAME_SAMPLES);
      new Uint8Array(f.buffer).set(this.buf.subarray(0, FRAME_BYTES));
      out.push(f);
      this.buf = this.buf.subarray(FRAME_BYTES);
    }
    return out;
  }
}

/** Raw s16le mono 48 kHz arguments for the capture/playback tools. */
function toolArgs(spec: AudioSpec, dir: 'in' | 'out'): [string, string[]] {
  if (spec.kind === 'pulse') {
    const dev = spec.device === '@DEFAULT@' ? [] : [`--device=${spec.device}`];
    const common = ['--raw', '--format=s16le', `--rate=${AUDIO_SAMPLE_RATE_HZ}`, '--channels=1', '--client-name=termcall', ...dev];
    return dir === 'in' ? ['parec', ['--verbose', ...common, `--latency-msec=${AUDIO_FRAME_MS}`, '--stream-name=termcall microphone']]
      : ['pacat', ['--playback', '--verbose', ...common, `--latency-msec=${AUDIO_DEVICE_LEAD_MS}`, '--stream-name=termcall speaker']];
  }
  if (spec.kind === 'alsa') {
    const a = ['-q', '-D', spec.device, '-f', 'S16_LE', '-r', String(AUDIO_SAMPLE_RATE_HZ), '-c', '1', '-t', 'raw', '--buffer-time', String(AUDIO_DEVICE_LEAD_MS * 1000)];
    return [dir === 'in' ? 'arecord' : 'aplay', a];
  }
  throw new AudioError('ERR_AUDIO_DEVICE', `no tool for ${describeAudioSpec(spec)}`);
}

/** Capture from a sound server or ALSA through its recording tool. */
class ProcessInput extends EventEmitter<AudioInputEvents> implements AudioInput {
  private readonly child: ChildProcess;
  private readonly framer = new Framer();
  private closed = false;
  private failed = false;
  private watchdog: NodeJS.Timeout;
  private lastDataAt = nowMs();

  constructor(readonly label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, named: boolean) {
    super();
    let stderr = '';
    this.child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr?.on('data', (d: Buffer) => {
      stderr = keepMessages(stderr, d);
      // A named device that went away: the server moved the stream elsewhere; that is not the device asked for.
      if (named && /Stream moved to/.test(stderr)) this.fail('the device went away');
    });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.lastDataAt = nowMs();
      const frames = this.framer.push(chunk);
      // The newest frame ends now: earlier ones in the same chunk were captured 20 ms apart before it.
      const end = nowMs();
      frames.forEach((f, i) => this.emit('frame', f, end - (frames.length - i) * AUDIO_FRAME_MS));
    });
    this.child.on('error', (err) => this.fail(`${cmd} could not be started: ${messageOf(err)}`));
    this.child.on('exit', (code, sig) => this.fail(`${cmd} stopped (${sig ?? `exit ${code}`})${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
    // A recorder that stops delivering (server gone, device unplugged) counts as failed.
    this.watchdog = setInterval(() => {
      if (nowMs() - this.lastDataAt > AUDIO_DEVICE_SILENT_MS) this.fail(`${label} delivered nothing for ${AUDIO_DEVICE_SILENT_MS} ms`);
    }, 500);
    this.watchdog.unref();
  }

  /** Report the failure once. */
  private fail(why: string): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    clearInterval(this.watchdog);
    this.child.kill('SIGKILL');
    this.emit('error', new AudioError('ERR_AUDIO_DEVICE', `microphone ${this.label}: ${why}`));
  }

  close(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    this.child.kill('SIGTERM');
  }
}

/** Playback to a sound server or ALSA through its playback tool. */
/** The tail of a tool's messages, without pacat/parec --verbose's running "Time: …" lines. */
function keepMessages(kept: string, d: Buffer): string {
  const text = d.toString().split(/[\r\n]+/).filter((l) => l.trim() && !/^Time: /.test(l.trim())).join('\n');
  return text ? (kept + '\n' + text).slice(-400) : kept;
}

class ProcessOutput extends EventEmitter<AudioOutputEvents> implements AudioOutput {
  private readonly child: ChildProcess;
  private closed = false;
  private failed = false;
  /**
   * pacat reads its pipe only once its stream exists: frames written before that would wait in the pipe and add
   * its start-up time to the delay for the rest of the call, so they are dropped until pacat says it is ready.
   */
  private ready: boolean;
  /** Audio handed to the player since it became ready, ms. */
  private writtenMs = 0;
  /** The player's last reported play position and when it came (local ms). */
  private played: { ms: number; at: number } | null = null;

  constructor(readonly label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, named: boolean) {
    super();
    let stderr = '';
    this.ready = cmd !== 'pacat';
    this.child = spawn(cmd, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    this.child.stderr?.on('data', (d: Buffer) => {
      stderr = keepMessages(stderr, d);
      if (named && /Stream moved to/.test(stderr)) this.fail('the device went away');
      if (!this.ready && /Stream successfully created/.test(stderr)) this.ready = true;
      // pacat --verbose reports its stream's play position about every 50 ms: "Time: 1.234 sec; Latency: 30000 usec."
      const times = [...d.toString().matchAll(/Time: ([\d.]+) sec/g)];
      const last = times.at(-1);
      if (last) this.played = { ms: Number(last[1]) * 1000, at: nowMs() };
    });
    this.child.stdin?.on('error', () => undefined);
    this.child.on('error', (err) => this.fail(`${cmd} could not be started: ${messageOf(err)}`));
    this.child.on('exit', (code, sig) => this.fail(`${cmd} stopped (${sig ?? `exit ${code}`})${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
  }

  write(pcm: Int16Array): void {
    const stdin = this.child.stdin;
    if (this.closed || this.failed || !this.ready || !stdin || stdin.destroyed) return;
    // Never queue in Node: the play-out clock paces writes; a player that stopped reading gets frames dropped.
    if (stdin.writableLength > FRAME_BYTES * 10) return;
    stdin.write(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    this.writtenMs += (pcm.length * 1000) / AUDIO_SAMPLE_RATE_HZ;
  }

  aheadMs(now: number): number | null {
    if (!this.ready || !this.played) return this.ready && this.writtenMs === 0 ? 0 : null;
    // Between reports the position moves on with the clock (capped: a stalled player does not run ahead).
    const pos = this.played.ms + Math.min(now - this.played.at, 200);
    return Math.max(0, this.writtenMs - pos);
  }

  /** Report the failure once. */
  private fail(why: string): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    this.child.kill('SIGKILL');
    this.emit('error', new AudioError('ERR_AUDIO_DEVICE', `speaker ${this.label}: ${why}`));
  }

  close(): void {
    this.closed = true;
    this.child.stdin?.end();
    const t = setTimeout(() => this.child.kill('SIGTERM'), 300);
    t.unref();
  }
}

/** A device the user named (pulse:NAME), not the server's default, which may move. */
function isNamed(s: AudioSpec): boolean {
  return s.kind === 'pulse' && s.device !== '@DEFAULT@';
}

/** Open the microphone a spec names (null for none). Throws AudioError when it cannot be opened at all. */
export function openAudioInput(spec: AudioSpec, env: NodeJS.ProcessEnv = process.env): AudioInput | null {
  const s = resolveDefault(spec, env);
  if (s.kind === 'none') return null;
  if (s.kind === 'wav') return new WavInput(s.path, s.path);
  const [cmd, args] = toolArgs(s, 'in');
  return new ProcessInput(describeAudioSpec(s), cmd, args, env, isNamed(s));
}

/** Open the speaker a spec names (null for none). */
export function openAudioOutput(spec: AudioSpec, env: NodeJS.ProcessEnv = process.env): AudioOutput | null {
  const s = resolveDefault(spec, env);
  if (s.kind === 'none') return null;
  if (s.kind === 'wav') return new WavOutput(s.path, s.path);
  const [cmd, args] = toolArgs(s, 'out');
  return new ProcessOutput(describeAudioSpec(s), cmd, args, env, isNamed(s));
}
