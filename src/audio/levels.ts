// Sound levels for the status panel and the tests: RMS in dBFS, and a meter bar. Pure.

/** RMS level of 16-bit samples in dB relative to full scale (-Infinity for digital silence). */
export function rmsDbfs(samples: Int16Array): number {
  if (samples.length === 0) return -Infinity;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = (samples[i] ?? 0) / 32768;
    sum += s * s;
  }
  const rms = Math.sqrt(sum / samples.length);
  return rms > 0 ? 20 * Math.log10(rms) : -Infinity;
}

/** Level meter smoothed like a VU meter: fast attack, slower release (dBFS in, dBFS out). */
export class LevelMeter {
  private level = -Infinity;

  /** Feed one frame; returns the smoothed level. */
  push(samples: Int16Array): number {
    const db = rmsDbfs(samples);
    if (!(db < this.level)) this.level = db;
    else this.level = Math.max(db, this.level - 1.5);
    return this.level;
  }

  /** Current smoothed level in dBFS. */
  get db(): number {
    return this.level;
  }
}

/** A text meter: width cells filled for -60..0 dBFS. */
export function meterBar(db: number, width: number): string {
  const f = Number.isFinite(db) ? Math.max(0, Math.min(1, (db + 60) / 60)) : 0;
  const n = Math.round(f * width);
  return '█'.repeat(n) + '░'.repeat(Math.max(0, width - n));
}
