// Shared by the fuzz targets: seeded choices, the failure type, and socket-like chunking.

/** A seeded source of numbers in [0, 1). */
export type Rand = () => number;
/** An integer in [0, n). */
export const int = (r: Rand, n: number): number => Math.floor(r() * n);
/** One element of a non-empty list. */
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)] as T;
/** Picks a key by weight: { a: 3, b: 1 } gives 'a' three times as often as 'b'. */
export function weighted<K extends string>(r: Rand, w: Readonly<Record<K, number>>): K {
  const entries = Object.entries(w) as [K, number][];
  let x = r() * entries.reduce((s, [, v]) => s + v, 0);
  for (const [k, v] of entries) if ((x -= v) < 0) return k;
  return (entries[entries.length - 1] as [K, number])[0];
}

/** A failure the fuzzer found: a non-TermcallError escaped, or an invariant broke. Never caught by the targets. */
export class FuzzFailure extends Error {}

/** Cuts a stream short (anywhere, or inside its last segment) a quarter of the time. */
export function maybeTruncate(r: Rand, bytes: Buffer, lastSegmentBytes: number): { bytes: Buffer; truncated: boolean } {
  if (r() >= 0.25 || bytes.length === 0) return { bytes, truncated: false };
  const cut = r() < 0.5 ? int(r, bytes.length) : bytes.length - 1 - int(r, Math.max(1, lastSegmentBytes));
  return { bytes: bytes.subarray(0, Math.max(0, cut)), truncated: true };
}

/** Cuts bytes into chunks the way a socket might: whole, 1-byte, tiny or mid-sized pieces. */
export function chunked(r: Rand, bytes: Buffer): Buffer[] {
  const mode = weighted(r, { whole: 2, one: 1, tiny: 2, mid: 5 });
  if (mode === 'whole' || bytes.length === 0) return [bytes];
  // Small pieces for small streams only, so a case stays cheap (large frames still cross many chunks).
  const n = bytes.length;
  const max = mode === 'one' && n <= 4096 ? 1 : mode !== 'mid' && n <= 32_768 ? 8 : n <= 262_144 ? 300 : 65_536;
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length;) {
    const len = 1 + int(r, max);
    out.push(bytes.subarray(i, i + len));
    i += len;
  }
  return out;
}
