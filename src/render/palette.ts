// Colour palettes for the indexed renderers: xterm's 256-colour cube + grey ramp, and the 16 ANSI colours.

/** The six levels of each channel in xterm's 6x6x6 colour cube (indexes 16..231). */
export const CUBE_LEVELS = [0, 95, 135, 175, 215, 255] as const;

/** xterm's default RGB values of the 16 ANSI colours (other terminals differ a little). */
export const ANSI16_RGB: readonly number[] = [
  0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
  0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
];

/** RGB (0xRRGGBB) of every xterm 256-colour index. */
export const XTERM256_RGB: Int32Array = (() => {
  const t = new Int32Array(256);
  for (let i = 0; i < 16; i++) t[i] = ANSI16_RGB[i] as number;
  for (let i = 0; i < 216; i++) {
    const r = CUBE_LEVELS[Math.floor(i / 36)] as number;
    const g = CUBE_LEVELS[Math.floor(i / 6) % 6] as number;
    const b = CUBE_LEVELS[i % 6] as number;
    t[16 + i] = (r << 16) | (g << 8) | b;
  }
  for (let i = 0; i < 24; i++) {
    const v = 8 + 10 * i;
    t[232 + i] = (v << 16) | (v << 8) | v;
  }
  return t;
})();

/** Nearest cube level index (0..5) of every channel value. */
const CUBE_INDEX: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    let best = 0;
    for (let i = 1; i < 6; i++) {
      if (Math.abs((CUBE_LEVELS[i] as number) - v) < Math.abs((CUBE_LEVELS[best] as number) - v)) best = i;
    }
    t[v] = best;
  }
  return t;
})();

// Squared RGB distance between two 0xRRGGBB colours.
export function dist2(a: number, b: number): number {
  const dr = ((a >> 16) & 255) - ((b >> 16) & 255);
  const dg = ((a >> 8) & 255) - ((b >> 8) & 255);
  const db = (a & 255) - (b & 255);
  return dr * dr + dg * dg + db * db;
}

// Nearest xterm 256-colour index (cube or grey ramp; never the terminal-defined 0..15) of an RGB colour.
export function nearest256(r: number, g: number, b: number): number {
  const ri = CUBE_INDEX[r] as number;
  const gi = CUBE_INDEX[g] as number;
  const bi = CUBE_INDEX[b] as number;
  const cube = 16 + 36 * ri + 6 * gi + bi;
  const cr = (CUBE_LEVELS[ri] as number) - r;
  const cg = (CUBE_LEVELS[gi] as number) - g;
  const cb = (CUBE_LEVELS[bi] as number) - b;
  const dCube = cr * cr + cg * cg + cb * cb;
  const avg = (r + g + b) / 3;
  const gIdx = Math.max(0, Math.min(23, Math.round((avg - 8) / 10)));
  const gv = 8 + 10 * gIdx;
  const dGrey = (gv - r) * (gv - r) + (gv - g) * (gv - g) + (gv - b) * (gv - b);
  return dGrey < dCube ? 232 + gIdx : cube;
}

let lut16: Uint8Array | undefined;

// Nearest of the 16 ANSI colours (xterm defaults) through a cached 15-bit lookup table.
export function nearest16(r: number, g: number, b: number): number {
  const t = lut16 ?? (lut16 = build16());
  return t[((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)] as number;
}

// Build the 32x32x32 table for nearest16 (once, ~0.5 M operations).
function build16(): Uint8Array {
  const t = new Uint8Array(32768);
  for (let i = 0; i < 32768; i++) {
    const c = ((((i >> 10) & 31) * 8 + 4) << 16) | ((((i >> 5) & 31) * 8 + 4) << 8) | ((i & 31) * 8 + 4);
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < 16; k++) {
      const d = dist2(c, ANSI16_RGB[k] as number);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    t[i] = best;
  }
  return t;
}
