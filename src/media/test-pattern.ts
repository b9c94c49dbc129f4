// The synthetic test pattern: colour bars, a moving ball and a running clock, drawn without OpenCV (pure).
import { frameBytes } from '../shared/frame.js';

// 3x5 bitmap digits (rows top to bottom, 3 bits per row), plus ':' and '.'.
const GLYPHS: Record<string, readonly number[]> = {
  '0': [7, 5, 5, 5, 7], '1': [2, 6, 2, 2, 7], '2': [7, 1, 7, 4, 7], '3': [7, 1, 7, 1, 7], '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7], '6': [7, 4, 7, 5, 7], '7': [7, 1, 1, 1, 1], '8': [7, 5, 7, 5, 7], '9': [7, 5, 7, 1, 7],
  ':': [0, 2, 0, 2, 0], '.': [0, 0, 0, 0, 2],
};

// Colour bars in BGR order: white, yellow, cyan, green, magenta, red, blue.
const BARS: readonly (readonly [number, number, number])[] = [
  [235, 235, 235], [16, 235, 235], [235, 235, 16], [16, 235, 16], [235, 16, 235], [16, 16, 235], [235, 16, 16],
];

/** Draws the pattern for time `tMs` (epoch ms) into `out` (BGR, width*height*3); allocates when out is omitted. */
export function drawTestPattern(width: number, height: number, tMs: number, out?: Uint8Array): Uint8Array {
  const buf = out ?? new Uint8Array(frameBytes(width, height));
  const barH = Math.floor(height * 0.55);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const i = row + x * 3;
      if (y < barH) {
        const bar = BARS[Math.min(BARS.length - 1, Math.floor((x * BARS.length) / width))]!;
        buf[i] = bar[0]; buf[i + 1] = bar[1]; buf[i + 2] = bar[2];
      } else {
        const g = Math.floor((x * 255) / Math.max(1, width - 1)); // grey ramp
        buf[i] = g >> 1; buf[i + 1] = g >> 1; buf[i + 2] = g >> 1;
      }
    }
  }
  // A ball that sweeps left to right once every 2 s, so motion and dropped frames are visible.
  const phase = (tMs % 2000) / 2000;
  const r = Math.max(2, Math.floor(height / 10));
  const cx = Math.floor(r + phase * (width - 2 * r));
  const cy = Math.floor(barH + (height - barH) / 2);
  fillCircle(buf, width, height, cx, cy, r, [0, 140, 255]);
  drawClock(buf, width, height, tMs, barH);
  return buf;
}

// Fills a disc in one BGR colour, clipped to the frame.
function fillCircle(buf: Uint8Array, w: number, h: number, cx: number, cy: number, r: number, c: readonly number[]): void {
  for (let y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
    for (let x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
      const i = (y * w + x) * 3;
      buf[i] = c[0]!; buf[i + 1] = c[1]!; buf[i + 2] = c[2]!;
    }
  }
}

// Writes the wall-clock time HH:MM:SS.mmm (UTC) in large digits on a black band across the bars.
function drawClock(buf: Uint8Array, w: number, h: number, tMs: number, barH: number): void {
  const d = new Date(tMs);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const text = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
  const scale = Math.max(1, Math.floor(Math.min(w / (text.length * 4 + 2), barH / 9)));
  const textW = text.length * 4 * scale;
  const x0 = Math.max(0, Math.floor((w - textW) / 2));
  const y0 = Math.max(0, Math.floor(barH / 2 - 3.5 * scale));
  // black band behind the digits
  for (let y = y0; y < Math.min(h, y0 + 7 * scale); y++) {
    buf.fill(0, (y * w + Math.max(0, x0 - scale)) * 3, (y * w + Math.min(w, x0 + textW + scale)) * 3);
  }
  for (let k = 0; k < text.length; k++) {
    const glyph = GLYPHS[text[k]!];
    if (!glyph) continue;
    for (let gy = 0; gy < 5; gy++) {
      for (let gx = 0; gx < 3; gx++) {
        if (((glyph[gy]! >> (2 - gx)) & 1) === 0) continue;
        for (let sy = 0; sy < scale; sy++) {
          const y = y0 + (gy + 1) * scale + sy;
          if (y >= h) continue;
          const xs = x0 + (k * 4 + gx) * scale;
          buf.fill(255, (y * w + xs) * 3, (y * w + Math.min(w, xs + scale)) * 3);
        }
      }
    }
  }
}
