// Sound-server administration for one call: listing devices for `termcall devices`, and loading PulseAudio's echo
// canceller between a microphone and a speaker.
import { spawnSync } from 'node:child_process';
import { AudioError } from '../shared/errors.js';
import type { AudioSpec } from './audio-spec.js';
import { have, pulseAvailable, resolveDefault } from './devices.js';

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
