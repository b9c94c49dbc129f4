// Size arithmetic shared by capture, network and renderers (pure).

/** The largest size with the source's aspect that fits in maxW x maxH, never larger than the source, at least 1x1. */
export function fitInside(srcW: number, srcH: number, maxW: number, maxH: number): { width: number; height: number } {
  if (srcW <= 0 || srcH <= 0) return { width: 1, height: 1 };
  const s = Math.min(1, maxW / srcW, maxH / srcH);
  return { width: Math.max(1, Math.round(srcW * s)), height: Math.max(1, Math.round(srcH * s)) };
}
