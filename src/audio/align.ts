// Aligns a recording with the original by cross-correlation: the delay between them and how alike they are after
// alignment. Pure; used by the tests and the bench (mouth-to-ear through a real sound server).

/** Mean of |x| over blocks of n samples: a coarse envelope (1 kHz from 48 kHz with n = 48). */
function envelope(x: Int16Array, n: number): Float64Array {
  const out = new Float64Array(Math.floor(x.length / n));
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += Math.abs(x[i * n + k] ?? 0);
    out[i] = s / n;
  }
  return out;
}

/** Normalized correlation of a[i] with b[i + lag] over their overlap (−1..1; 0 when under half of a overlaps). */
function ncc(a: ArrayLike<number>, b: ArrayLike<number>, lag: number, step = 1): number {
  let ab = 0, aa = 0, bb = 0;
  const start = Math.max(0, -lag);
  const end = Math.min(a.length, b.length - lag);
  // A sliver of overlap correlates by accident: at least half the reference must overlap.
  if (end - start < a.length / 2) return 0;
  for (let i = start; i < end; i += step) {
    const x = a[i] ?? 0, y = b[i + lag] ?? 0;
    ab += x * y; aa += x * x; bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Remove the mean (envelopes are all positive). */
function centred(x: Float64Array): Float64Array {
  let m = 0;
  for (const v of x) m += v;
  m /= Math.max(1, x.length);
  return x.map((v) => v - m);
}

/**
 * Where the reference shows up in the recording: lagSamples such that rec[i + lag] ≈ ref[i] (searching 0..maxLagMs),
 * and similarity = normalized cross-correlation of the waveforms at that lag (1 = identical, ~0 = unrelated).
 */
export function alignAudio(ref: Int16Array, rec: Int16Array, rateHz: number, maxLagMs = 2000): { lagSamples: number; lagMs: number; similarity: number } {
  const block = Math.max(1, Math.round(rateHz / 1000));
  const er = centred(envelope(ref, block));
  const ec = centred(envelope(rec, block));
  let best = 0, bestC = -Infinity;
  const maxLag = Math.min(Math.round(maxLagMs), ec.length);
  for (let lag = -20; lag <= maxLag; lag++) {
    const c = ncc(er, ec, lag);
    if (c > bestC) { bestC = c; best = lag; }
  }
  // Refine on the waveform within ±2 blocks of the envelope's answer.
  let lagS = best * block, bestW = -Infinity;
  for (let l = best * block - 2 * block; l <= best * block + 2 * block; l++) {
    const c = ncc(ref, rec, l, 2);
    if (c > bestW) { bestW = c; lagS = l; }
  }
  return { lagSamples: lagS, lagMs: (lagS * 1000) / rateHz, similarity: windowedSimilarity(ref, rec, lagS, rateHz) };
}

/**
 * Similarity after alignment, robust to the small shifts a jitter buffer makes (a frame concealed or dropped moves
 * the rest by 20 ms): the reference in 200 ms windows, each correlated with the recording at the best lag within
 * ±50 ms of the overall one; the mean weighted by each window's energy (silent windows count for nothing).
 */
export function windowedSimilarity(ref: Int16Array, rec: Int16Array, lag: number, rateHz: number): number {
  const win = Math.round(rateHz * 0.2);
  const slack = Math.round(rateHz * 0.05);
  let sum = 0, weight = 0;
  for (let start = 0; start + win <= ref.length; start += win) {
    const w = ref.subarray(start, start + win);
    let energy = 0;
    for (const v of w) energy += v * v;
    if (energy === 0) continue;
    let best = 0;
    for (let l = lag - slack; l <= lag + slack; l += 4) {
      const from = start + l;
      if (from < 0 || from + win > rec.length) continue;
      best = Math.max(best, ncc(w, rec.subarray(from, from + win), 0, 2));
    }
    sum += best * energy;
    weight += energy;
  }
  return weight > 0 ? sum / weight : 0;
}

/** Level in dB of rec relative to ref over the same span (negative: rec is quieter). */
export function relativeLevelDb(ref: Int16Array, rec: Int16Array): number {
  const e = (x: Int16Array): number => { let s = 0; for (const v of x) s += v * v; return s / Math.max(1, x.length); };
  const r = e(ref), c = e(rec);
  return c > 0 && r > 0 ? 10 * Math.log10(c / r) : -Infinity;
}
