// The --audio-in / --audio-out strings: default, pulse:NAME, alsa:DEVICE, a WAV file, or none. Pure.
import { AudioError } from '../shared/errors.js';

/** Where audio comes from or goes to. */
export type AudioSpec =
  | { readonly kind: 'default' }
  | { readonly kind: 'none' }
  | { readonly kind: 'pulse'; readonly device: string }
  | { readonly kind: 'alsa'; readonly device: string }
  | { readonly kind: 'wav'; readonly path: string };

export const AUDIO_SPEC_HELP = 'default, pulse:NAME (PulseAudio/PipeWire), alsa:hw:0, FILE.wav (input loops, output is written), or none';

/** Parse an --audio-in/--audio-out value (undefined → default). */
export function parseAudioSpec(s: string | undefined): AudioSpec {
  if (s === undefined || s === '' || s === 'default') return { kind: 'default' };
  if (s === 'none' || s === 'off') return { kind: 'none' };
  if (s.startsWith('pulse:')) return s.length > 6 ? { kind: 'pulse', device: s.slice(6) } : bad(s);
  if (s.startsWith('alsa:')) return s.length > 5 ? { kind: 'alsa', device: s.slice(5) } : bad(s);
  if (s.startsWith('file:')) return s.length > 5 ? { kind: 'wav', path: s.slice(5) } : bad(s);
  if (/\.wave?$/i.test(s) || s.includes('/')) return { kind: 'wav', path: s };
  return bad(s);
}

/** A spec string that is not understood. */
function bad(s: string): never {
  throw new AudioError('ERR_AUDIO_SPEC', `audio device "${s}" is not understood: use ${AUDIO_SPEC_HELP}`);
}

/** How a spec is named in status lines. */
export function describeAudioSpec(s: AudioSpec): string {
  switch (s.kind) {
    case 'default': return 'default';
    case 'none': return 'none';
    case 'pulse': return `pulse:${s.device}`;
    case 'alsa': return `alsa:${s.device}`;
    case 'wav': return s.path;
  }
}
