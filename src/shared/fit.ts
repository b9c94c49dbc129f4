// Size arithmetic shared by capture, network and renderers (pure).

/** The largest size with the source's aspect that fits in maxW x maxH, never larger than the source, at least 1x1. */
export function fitInside(srcW: number, srcH: number, maxW: number, maxH: number): { width: number; height: number } {
  if (srcW <= 0 || srcH <= 0) return { width: 1, height: 1 };
  const s = Math.min(1, maxW / srcW, maxH / srcH);
  return { width: Math.max(1, Math.round(srcW * s)), height: Math.max(1, Math.round(srcH * s)) };
}

/** Centres a BGR picture in a black width x height canvas (letterbox); returns the input when it already fits exactly. */
export function padInto<T extends { data: Uint8Array; width: number; height: number }>(img: T, width: number, height: number): T | { data: Uint8Array; width: number; height: number } {
  if (img.width === width && img.height === height) return img;
  const out = new Uint8Array(width * height * 3);
  const w = Math.min(width, img.width), h = Math.min(height, img.height);
  const x0 = Math.floor((width - w) / 2), y0 = Math.floor((height - h) / 2);
  for (let y = 0; y < h; y++) {
    const src = y * img.width * 3;
    out.set(img.data.subarray(src, src + w * 3), ((y + y0) * width + x0) * 3);
  }
  return { data: out, width, height };
}
