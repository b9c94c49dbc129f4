// WAV files standing in for sound devices: a file looped as the microphone at real speed, frames written into a file
// as the speaker. Used by the demo, the tests and anyone who wants to record a call's sound.
import { EventEmitter } from 'node:events';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { AudioError, messageOf } from '../shared/errors.js';
import { nowMs } from '../shared/frame.js';
import { AUDIO_FRAME_MS, AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE_HZ } from '../shared/limits.js';
import type { AudioInput, AudioInputEvents, AudioOutput, AudioOutputEvents } from './devices.js';
import { parseWav, resample, wavHeader } from './wav.js';

/** A WAV file played in a loop as the microphone, paced by the clock. */
export class WavInput extends EventEmitter<AudioInputEvents> implements AudioInput {
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
export class WavOutput extends EventEmitter<AudioOutputEvents> implements AudioOutput {
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
