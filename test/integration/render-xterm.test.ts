// A real xterm (-ti vt340, under Xvfb): the probe finds sixel, and a screenshot shows the truecolor and sixel panes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { XTERM_SCENE } from '../helpers/render-xterm-inner.js';
import type { Caps } from '../../src/render/caps.js';
import { needTools } from '../helpers/require-tool.js';

const INNER = fileURLToPath(new URL('../helpers/render-xterm-inner.js', import.meta.url));
const skip = needTools('Xvfb', 'xterm', 'import');

// Wait until a file exists (or give up).
async function waitFor(file: string, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (fs.existsSync(file)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

test('xterm -ti vt340 shows the truecolor and sixel panes with the right colours', { skip, timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-xterm-'));
  const display = `:${90 + (process.pid % 100)}`;
  const procs: ChildProcess[] = [];
  t.after(() => {
    for (const p of procs.reverse()) if (p.exitCode === null) p.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  procs.push(spawn('Xvfb', [display, '-screen', '0', '800x600x24', '-nolisten', 'tcp'], { stdio: 'ignore' }));
  await new Promise((r) => setTimeout(r, 800));
  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TERM: 'xterm' };
  for (const k of ['COLORTERM', 'NO_COLOR', 'FORCE_COLOR', 'TMUX']) delete env[k];
  procs.push(spawn('xterm', ['-ti', 'vt340', '-u8', '-fa', 'DejaVu Sans Mono', '-fs', '11', '-geometry', '80x24+0+0',
    '-xrm', 'XTerm*allowWindowOps: true', '-e', process.execPath, INNER, dir], { env, stdio: 'ignore' }));
  assert.ok(await waitFor(path.join(dir, 'ready'), 20_000), 'xterm drew the panes');
  await new Promise((r) => setTimeout(r, 500));

  const caps = JSON.parse(fs.readFileSync(path.join(dir, 'caps.json'), 'utf8')) as Caps;
  assert.equal(caps.sixel, true, 'DA1 attribute 4 found');
  assert.ok(caps.da1?.includes(4));
  assert.equal(caps.colorDepth, 24, 'DECRQSS read-back finds truecolor with TERM=xterm and no COLORTERM');
  assert.ok(caps.cellPx && caps.cellPx.width > 0 && caps.cellPx.height > 0, 'cell size from CSI 16t');
  const cell = caps.cellPx;

  const shot = path.join(dir, 'shot.rgb');
  const im = spawnSync('import', ['-window', 'root', '-depth', '8', `rgb:${shot}`], { env, timeout: 20_000 });
  assert.equal(im.status, 0, String(im.stderr));
  const px = fs.readFileSync(shot);
  const W = 800;
  // Count pixels of a colour (± tol per channel) inside a cell rectangle (the window border is ≤ 2 px: allow slack).
  const count = (rect: { col: number; row: number; cols: number; rows: number }, rgb: readonly number[], tol: number): number => {
    let n = 0;
    const x0 = rect.col * cell.width;
    const y0 = rect.row * cell.height;
    for (let y = y0; y < y0 + rect.rows * cell.height + 4; y++) {
      for (let x = x0; x < x0 + rect.cols * cell.width + 4; x++) {
        const p = (y * W + x) * 3;
        if (Math.abs((px[p] as number) - (rgb[0] as number)) <= tol && Math.abs((px[p + 1] as number) - (rgb[1] as number)) <= tol &&
          Math.abs((px[p + 2] as number) - (rgb[2] as number)) <= tol) n++;
      }
    }
    return n;
  };
  const s = XTERM_SCENE;
  // truecolor: exact 24-bit colours; the picture fills most of the pane (letterbox may take a little)
  const half = (s.block.rect.cols / 2) * cell.width * s.block.rect.rows * cell.height;
  for (const c of [s.block.left, s.block.right]) {
    const n = count(s.block.rect, c, 0);
    assert.ok(n > half * 0.75, `truecolor ${c}: ${n} px of ~${half}`);
  }
  // sixel: the adaptive palette fits the two colours (5-bit histogram bins and percent registers: ±6), black bars
  const sixArea = s.sixel.rect.cols * cell.width * s.sixel.rect.rows * cell.height;
  for (const c of [s.sixel.left, s.sixel.right]) {
    const n = count(s.sixel.rect, c, 6);
    assert.ok(n > sixArea * 0.25, `sixel ${c}: ${n} px of ${sixArea}`);
  }
  assert.ok(count(s.sixel.rect, [0, 0, 0], 0) > sixArea * 0.1, 'letterbox bars');
});
