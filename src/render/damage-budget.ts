// Rate-distortion damage tracking, shared by the cell renderers: after the cells that must be repainted, a byte
// budget per frame goes to the cells whose repaint gains the most (error now minus error after), largest first.

let scratch = new Float32Array(0);

/**
 * The smallest gain that still gets a repaint when k more cells may be repainted: the k-th largest positive gain among
 * the cells not yet marked (mark 0), or the smallest positive one when fewer are waiting; 0 when none is.
 */
export function budgetThreshold(gain: Float32Array, mark: Uint8Array, k: number): number {
  if (k <= 0) return 0;
  if (scratch.length < gain.length) scratch = new Float32Array(gain.length);
  let n = 0;
  for (let i = 0; i < gain.length; i++) {
    const g = gain[i] as number;
    if (g > 0 && mark[i] === 0) scratch[n++] = g;
  }
  if (n === 0) return 0;
  const list = scratch.subarray(0, n).sort();
  return list[Math.max(0, n - k)] as number;
}

/**
 * Mark (as `paint`) up to k cells not yet marked whose gain beats threshold t, then ties at it (many cells gain the
 * same on a flat change); returns how many were marked.
 */
export function buyAbove(gain: Float32Array, mark: Uint8Array, t: number, k: number, paint: number): number {
  if (t <= 0) return 0;
  let left = k;
  for (let pass = 0; pass < 2 && left > 0; pass++) {
    for (let i = 0; i < mark.length && left > 0; i++) {
      const g = gain[i] as number;
      if (mark[i] === 0 && (pass === 0 ? g > t : g === t)) {
        mark[i] = paint;
        left--;
      }
    }
  }
  return k - left;
}
