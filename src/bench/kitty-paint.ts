// The `kitty` section of `termcall bench`: frames painted per second and termcall's CPU per frame in a real kitty
// (Xvfb, software GL), 640x480, for the temporary-file and inline payloads. Left out when kitty or Xvfb is missing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame } from '../shared/frame.js';

/** One `kitty` entry. */
export interface KittyPaintEntry {
  width: number;
  height: number;
  payload: string;
  seconds: number;
  /** Frames kitty answered OK (each one stored and placed), per second. */
  paintedFps: number;
  /** CPU (user + system) of the painting process per frame: renderer + write, ms. */
  cpuMsPerFrame: number;
  errors: number;
}

const INNER = fileURLToPath(new URL('./kitty-paint-inner.js', import.meta.url));

// Is a command on PATH?
function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
}

// Start Xvfb on a display whose lock file is absent, and wait for its socket (another run may race for it).
async function freeXvfb(procs: ChildProcess[]): Promise<string | null> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const n = 200 + Math.floor(Math.random() * 90);
    if (fs.existsSync(`/tmp/.X${n}-lock`)) continue;
    const x = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    procs.push(x);
    for (let i = 0; i < 50 && x.exitCode === null && !fs.existsSync(`/tmp/.X11-unix/X${n}`); i++) await new Promise((r) => setTimeout(r, 100));
    if (x.exitCode === null && fs.existsSync(`/tmp/.X11-unix/X${n}`)) return `:${n}`;
    x.kill('SIGTERM');
  }
  return null;
}

/** Paint the frames in a real kitty for each payload; null when kitty or Xvfb is not installed. */
export async function benchKittyPaint(frames: readonly Frame[], payloads: readonly string[], seconds: number, log: (s: string) => void): Promise<KittyPaintEntry[] | null> {
  if (!have('kitty') || !have('Xvfb')) {
    log('kitty: kitty or Xvfb not installed (apt-get install kitty xvfb): section left out');
    return null;
  }
  const first = frames[0];
  if (!first) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-kitty-bench-'));
  const procs: ChildProcess[] = [];
  try {
    const raw = path.join(dir, 'frames.bgr');
    fs.writeFileSync(raw, Buffer.concat(frames.slice(0, 60).map((f) => Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength))));
    const display = await freeXvfb(procs);
    if (!display) {
      log('kitty: no free X display for Xvfb: section left out');
      return null;
    }
    const out: KittyPaintEntry[] = [];
    for (const payload of payloads) {
      const result = path.join(dir, `${payload}.json`);
      const env = { ...process.env, DISPLAY: display, LIBGL_ALWAYS_SOFTWARE: '1' };
      const cmd = [process.execPath, INNER, raw, String(first.width), String(first.height), payload, String(seconds), result];
      const k = spawn('kitty', ['--config', 'NONE', '-o', 'linux_display_server=x11', '-o', 'font_size=10', '-o', 'initial_window_width=90c',
        '-o', 'initial_window_height=32c', ...cmd], { env, stdio: 'ignore' });
      procs.push(k);
      await new Promise<void>((r) => { const t = setTimeout(r, (seconds + 30) * 1000); k.once('exit', () => { clearTimeout(t); r(); }); });
      if (k.exitCode === null) k.kill('SIGTERM');
      if (fs.existsSync(result)) out.push(JSON.parse(fs.readFileSync(result, 'utf8')) as KittyPaintEntry);
      else log(`kitty: no result for ${payload}`);
    }
    return out;
  } finally {
    for (const p of procs.reverse()) if (p.exitCode === null) p.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
