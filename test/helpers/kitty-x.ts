// Test helper: a real kitty under Xvfb (Mesa software GL), screenshots of its window as RGB, and picture comparison.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { RgbPicture } from '../../src/render/png.js';

/** A private X server on a free display (2xx; its lock file absent, and the server really up: another test may race). */
export async function startXvfb(procs: ChildProcess[], width = 1024, height = 768): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const n = 200 + Math.floor(Math.random() * 90);
    if (fs.existsSync(`/tmp/.X${n}-lock`)) continue;
    const x = spawn('Xvfb', [`:${n}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'], { stdio: 'ignore' });
    procs.push(x);
    for (let i = 0; i < 50 && x.exitCode === null && !fs.existsSync(`/tmp/.X11-unix/X${n}`); i++) await new Promise((r) => setTimeout(r, 100));
    if (x.exitCode === null && fs.existsSync(`/tmp/.X11-unix/X${n}`)) return `:${n}`;
    x.kill('SIGTERM');
  }
  throw new Error('no free X display for Xvfb');
}

/** Start kitty (cols x rows cells, 10 pt) running a shell command; software GL as the field notes found it works. */
export function startKitty(procs: ChildProcess[], display: string, cmd: string, env: NodeJS.ProcessEnv = {}, cols = 100, rows = 30): ChildProcess {
  const e: NodeJS.ProcessEnv = { ...process.env, ...env, DISPLAY: display, LIBGL_ALWAYS_SOFTWARE: '1' };
  for (const k of ['COLORTERM', 'NO_COLOR', 'FORCE_COLOR', 'TMUX', 'TERM_PROGRAM', 'LC_TERMINAL']) if (!(k in env)) delete e[k];
  const p = spawn('kitty', ['--config', 'NONE', '-o', 'linux_display_server=x11', '-o', 'font_size=10', '-o', 'window_padding_width=0',
    '-o', `initial_window_width=${cols}c`, '-o', `initial_window_height=${rows}c`, '-o', 'remember_window_size=no',
    'bash', '-c', cmd], { env: e, stdio: 'ignore' });
  procs.push(p);
  return p;
}

/**
 * The X window id of the kitty window on this display (waits for it). Only mapped windows count: kitty may create a
 * short-lived one while it starts, and an id found too early can be gone by the time of a screenshot.
 */
export async function kittyWindow(display: string, ms = 20_000): Promise<string> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    const r = spawnSync('xdotool', ['search', '--onlyvisible', '--class', 'kitty'], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8', timeout: 10_000 });
    const id = r.stdout.trim().split('\n').filter(Boolean).at(-1);
    if (id) return id;
    await new Promise((r2) => setTimeout(r2, 200));
  }
  throw new Error('no kitty window appeared');
}

/** A screenshot of one window as RGB (ImageMagick import, PPM), also saved as PNG when `png` is given. */
export function screenshot(display: string, windowId: string, png?: string): RgbPicture {
  const env = { ...process.env, DISPLAY: display };
  const r = spawnSync('import', ['-window', windowId, '-depth', '8', 'ppm:-'], { env, maxBuffer: 64 * 1024 * 1024, timeout: 20_000 });
  if (r.status !== 0) throw new Error(`import failed: ${String(r.stderr)}`);
  if (png) spawnSync('convert', ['ppm:-', png], { input: r.stdout, timeout: 20_000 });
  return parsePpm(r.stdout);
}

// A binary PPM (P6, maxval 255) as RGB.
export function parsePpm(b: Buffer): RgbPicture {
  let o = 0;
  const tokens: string[] = [];
  while (tokens.length < 4) {
    while (/\s/.test(String.fromCharCode(b[o] as number))) o++;
    if (b[o] === 0x23) { while (b[o] !== 0x0a) o++; continue; }
    let t = '';
    while (!/\s/.test(String.fromCharCode(b[o] as number))) t += String.fromCharCode(b[o++] as number);
    tokens.push(t);
  }
  o++;
  const [magic, w, h] = tokens;
  if (magic !== 'P6') throw new Error('not a P6 PPM');
  const width = Number(w);
  const height = Number(h);
  return { width, height, data: new Uint8Array(b.subarray(o, o + width * height * 3)) };
}

/** The pixels of a rectangle of a picture. */
export function cropRgb(p: RgbPicture, x: number, y: number, w: number, h: number): RgbPicture {
  const data = new Uint8Array(w * h * 3);
  for (let r = 0; r < h; r++) data.set(p.data.subarray(((y + r) * p.width + x) * 3, ((y + r) * p.width + x + w) * 3), r * w * 3);
  return { width: w, height: h, data };
}

/** PSNR (dB, RGB) of two same-sized pictures. */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    se += d * d;
  }
  const mse = se / Math.max(1, n);
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}

/** Every frame of a clip scaled to w x h (ffmpeg, area filter like the sender's INTER_AREA), RGB. */
export function clipFrames(clip: string, w: number, h: number): Uint8Array[] {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', clip, '-vf', `scale=${w}:${h}:flags=area`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${String(r.stderr)}`);
  const size = w * h * 3;
  const out: Uint8Array[] = [];
  for (let o = 0; o + size <= r.stdout.length; o += size) out.push(new Uint8Array(r.stdout.subarray(o, o + size)));
  return out;
}

/** The best PSNR of a picture against any of the candidate frames (the one the screen shows), and its index. */
export function bestPsnr(shown: Uint8Array, frames: readonly Uint8Array[]): { db: number; index: number } {
  let best = { db: -1, index: -1 };
  frames.forEach((f, i) => {
    const db = psnr(shown, f);
    if (db > best.db) best = { db, index: i };
  });
  return best;
}

/** Fraction of pixels darker than `level` on every channel (the terminal's black background). */
export function darkFraction(p: RgbPicture, level = 24): number {
  let n = 0;
  for (let i = 0; i < p.data.length; i += 3) if ((p.data[i] as number) < level && (p.data[i + 1] as number) < level && (p.data[i + 2] as number) < level) n++;
  return n / Math.max(1, p.data.length / 3);
}

/** Wait until a file holds a line matching re (or give up); returns the match. */
export async function waitForLog(file: string, re: RegExp, ms: number): Promise<RegExpMatchArray | null> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    const m = fs.existsSync(file) ? re.exec(fs.readFileSync(file, 'utf8')) : null;
    if (m) return m;
    await new Promise((r) => setTimeout(r, 150));
  }
  return null;
}
