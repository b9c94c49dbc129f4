// Sound devices: capture and playback through PulseAudio/PipeWire (parec/pacat), ALSA (arecord/aplay) or WAV files.
// One long-lived child process per direction and call; frames are 20 ms of 48 kHz mono s16le. A device that fails
// emits 'error' once and goes quiet; the call goes on without it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { AudioError, messageOf } from '../shared/errors.js';
import { nowMs } from '../shared/frame.js';
import { AUDIO_DEVICE_LEAD_MS, AUDIO_DEVICE_SILENT_MS, AUDIO_FRAME_MS, AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE_HZ } from '../shared/limits.js';
import { describeAudioSpec, type AudioSpec } from './audio-spec.js';
import { parseWav, resample, wavHeader } from './wav.js';

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
function have(cmd: string): boolean {
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

/** A WAV file played in a loop as the microphone, paced by the clock. */
class WavInput extends EventEmitter<AudioInputEvents> implements AudioInput {
  private readonly samples: Int16Array;
  private pos = 0;
  private readonly t0 = nowMs();
  private sent = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(readonly label: string, path: string) {
    super();
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      throw new AudioError('ERR_AUDIO_DEVICE', `audio file ${path} could not be read: ${messageOf(err)}`, { cause: err });
    }
    const wav = parseWav(bytes);
    this.samples = resample(wav.samples, wav.sampleRate, AUDIO_SAMPLE_RATE_HZ);
    if (this.samples.length < AUDIO_FRAME_SAMPLES) throw new AudioError('ERR_BAD_WAV', `audio file ${path} holds less than one 20 ms frame`);
    this.timer = setInterval(() => this.tick(), 10);
  }

  /** Emit every frame that is due by now (the file plays at real speed, looping). */
  private tick(): void {
    const due = Math.floor((nowMs() - this.t0) / AUDIO_FRAME_MS);
    while (this.sent < due) {
      const f = new Int16Array(AUDIO_FRAME_SAMPLES);
      for (let i = 0; i < f.length; i++) {
        f[i] = this.samples[this.pos] ?? 0;
        this.pos = (this.pos + 1) % this.samples.length;
      }
      this.emit('frame', f, this.t0 + this.sent * AUDIO_FRAME_MS);
      this.sent++;
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** Frames written into a 16-bit mono 48 kHz WAV file (header fixed up on close). */
class WavOutput extends EventEmitter<AudioOutputEvents> implements AudioOutput {
  private fd: number;
  private bytes = 0;

  constructor(readonly label: string, private readonly path: string) {
    super();
    try {
      this.fd = openSync(path, 'w');
      writeSync(this.fd, wavHeader(AUDIO_SAMPLE_RATE_HZ, 0));
    } catch (err) {
      throw new AudioError('ERR_AUDIO_DEVICE', `audio file ${path} could not be written: ${messageOf(err)}`, { cause: err });
    }
  }

  aheadMs(): number | null {
    return null;
  }

  write(pcm: Int16Array): void {
    if (this.fd < 0) return;
    try {
      this.bytes += writeSync(this.fd, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    } catch (err) {
      closeSync(this.fd);
      this.fd = -1;
      this.emit('error', new AudioError('ERR_AUDIO_DEVICE', `audio file ${this.path}: ${messageOf(err)}`, { cause: err }));
    }
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      writeSync(this.fd, wavHeader(AUDIO_SAMPLE_RATE_HZ, this.bytes), 0, 44, 0);
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
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

/** Audio devices for `termcall devices`: pulse sources and sinks (pactl), else ALSA cards; [] when none. */
export function listAudioDevices(env: NodeJS.ProcessEnv = process.env): { kind: 'input' | 'output'; spec: string; description: string }[] {
  const out: { kind: 'input' | 'output'; spec: string; description: string }[] = [];
  if (have('pactl') && pulseAvailable(env)) {
    for (const [kind, what] of [['input', 'sources'], ['output', 'sinks']] as const) {
      const r = spawnSync('pactl', ['list', 'short', what], { env, timeout: 2000, encoding: 'utf8' });
      for (const line of (r.stdout ?? '').split('\n')) {
        const name = line.split('\t')[1];
        if (name) out.push({ kind, spec: `pulse:${name}`, description: line.split('\t').slice(2).join(' ') });
      }
    }
  }
  for (const [kind, cmd] of [['input', 'arecord'], ['output', 'aplay']] as const) {
    if (!have(cmd)) continue;
    const r = spawnSync(cmd, ['-l'], { timeout: 2000, encoding: 'utf8' });
    for (const m of (r.stdout ?? '').matchAll(/^card (\d+): [^,]*, device (\d+): (.*)$/gm)) {
      out.push({ kind, spec: `alsa:hw:${m[1]},${m[2]}`, description: m[3] ?? '' });
    }
  }
  return out;
}

/** A sound-server echo canceller loaded for one call: the devices to use instead, and how to unload it. */
export interface EchoCanceller {
  readonly input: AudioSpec;
  readonly output: AudioSpec;
  unload(): void;
}

/**
 * Load PulseAudio's module-echo-cancel (WebRTC's canceller) between this microphone and speaker, for one call.
 * Both must be pulse devices (or default on a pulse server). Throws ERR_AUDIO_DEVICE when the server refuses.
 */
export function loadEchoCancel(input: AudioSpec, output: AudioSpec, env: NodeJS.ProcessEnv = process.env): EchoCanceller {
  const i = resolveDefault(input, env);
  const o = resolveDefault(output, env);
  if (i.kind !== 'pulse' || o.kind !== 'pulse') {
    throw new AudioError('ERR_AUDIO_DEVICE', 'echo cancellation needs a PulseAudio/PipeWire microphone and speaker');
  }
  const tag = `termcall_ec_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const args = ['load-module', 'module-echo-cancel', 'aec_method=webrtc', 'use_master_format=1',
    `source_name=${tag}_src`, `sink_name=${tag}_sink`,
    ...(i.device === '@DEFAULT@' ? [] : [`source_master=${i.device}`]), ...(o.device === '@DEFAULT@' ? [] : [`sink_master=${o.device}`])];
  const r = spawnSync('pactl', args, { env, encoding: 'utf8', timeout: 5000 });
  const id = r.stdout?.trim();
  if (r.status !== 0 || !id) throw new AudioError('ERR_AUDIO_DEVICE', `module-echo-cancel could not be loaded: ${(r.stderr ?? '').trim() || `exit ${r.status}`}`);
  return {
    input: { kind: 'pulse', device: `${tag}_src` },
    output: { kind: 'pulse', device: `${tag}_sink` },
    unload: () => { spawnSync('pactl', ['unload-module', id], { env, timeout: 5000, stdio: 'ignore' }); },
  };
}
