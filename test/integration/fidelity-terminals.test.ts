// Real terminals: `termcall render` inside xterm -ti vt340 (Xvfb), screenshot compared with the source frame (a
// fidelity figure close to the bench's viewer model); and a plain terminal (tmux 3.3a) never gets a graphics escape.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import sharp from 'sharp';
import { fixtureClip, packageRoot } from '../../src/shared/paths.js';
import { media, shutdownMedia } from '../../src/media/media.js';
import { viewerFor } from '../../src/bench/fidelity-viewers.js';
import { boxBlur3, luma, psnrRgb } from '../../src/bench/fidelity-metrics.js';
import type { RgbImage } from '../../src/bench/cell-screen.js';
import { referencePicture } from '../../src/bench/fidelity-reference.js';
import type { Caps } from '../../src/render/caps.js';
import { TERMCALL } from '../helpers/termcall-process.js';
import { Tmux, truecolorCells, waitFor } from '../helpers/tui-tmux.js';
import { needTools } from '../helpers/require-tool.js';

const FRAME = 30;
const ROWS = 15;

// Columns that make a ROWS-row pane 4:3 like the clip at this cell size (so no letterbox bars, whose edges fall
// between cells, dominate the figure).
function colsFor(cw: number, ch: number): number {
  return Math.round((ROWS * ch * 4) / (3 * cw));
}

// Wait until a file exists (or give up).
async function fileAppears(file: string, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (fs.existsSync(file)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

// Blurred-luma PSNR (3x3 box) over the clip's wall: the top strip and the lower left (no face, frame or door).
function wallBlurPsnr(a: RgbImage, b: RgbImage): number {
  const la = boxBlur3(luma(a), a.width, a.height);
  const lb = boxBlur3(luma(b), b.width, b.height);
  let se = 0;
  let n = 0;
  for (let y = 1; y < a.height - 1; y++) {
    for (let x = 1; x < a.width - 1; x++) {
      const top = y < a.height * 0.11;
      const lowerLeft = x < a.width * 0.4 && y > a.height * 0.42;
      if (!top && !lowerLeft) continue;
      const d = (la[y * a.width + x] as number) - (lb[y * a.width + x] as number);
      se += d * d;
      n++;
    }
  }
  return 10 * Math.log10((255 * 255 * n) / Math.max(1e-9, se));
}

test('xterm -ti vt340: sixel and symbols from termcall render, screenshot vs source frame ≈ the bench viewer model',
  { skip: needTools('Xvfb', 'xterm', 'import'), timeout: 120_000 }, async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-fid-xterm-'));
    const display = `:${200 + (process.pid % 50) + Math.floor(Math.random() * 40)}`;
    const procs: ChildProcess[] = [];
    t.after(() => {
      for (const p of procs.reverse()) if (p.exitCode === null) p.kill('SIGTERM');
      if (process.env.KEEP_SHOTS !== '1') fs.rmSync(dir, { recursive: true, force: true });
    });
    procs.push(spawn('Xvfb', [display, '-screen', '0', '800x600x24', '-nolisten', 'tcp'], { stdio: 'ignore' }));
    await new Promise((r) => setTimeout(r, 800));
    const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TERM: 'xterm' };
    for (const k of ['COLORTERM', 'NO_COLOR', 'FORCE_COLOR', 'TMUX']) delete env[k];
    const frames = await media().readAllFrames(fixtureClip(), FRAME + 1);
    await shutdownMedia();
    const frame = frames[FRAME]!;
    const results: Record<string, { shot: number; model: number; wall: number; registers?: number }> = {};
    // sixel twice: xterm with 16 colour registers (a VT340's) and with 256; the palette follows what xterm reports
    const runs = [{ name: 'sixel16', kind: 'sixel', registers: 16 }, { name: 'sixel256', kind: 'sixel', registers: 256 }, { name: 'symbols', kind: 'symbols' }];
    for (const { name, kind, registers } of runs) {
      const sub = path.join(dir, name);
      fs.mkdirSync(sub);
      // inside xterm: probe (for the cell size), clear, hide the cursor, draw one frame, say ready, wait
      const script = [
        `'${process.execPath}' '${TERMCALL}' probe --json > '${sub}/caps.json'`,
        `CELL=$('${process.execPath}' -e 'const c=require("${sub}/caps.json").cellPx;process.stdout.write(c.width+"x"+c.height)')`,
        `COLS=$('${process.execPath}' -e 'const c=require("${sub}/caps.json").cellPx;process.stdout.write(String(Math.round(${ROWS}*c.height*4/(3*c.width))))')`,
        `printf '\\033[2J\\033[?25l'`,
        `REGS=$('${process.execPath}' -e 'process.stdout.write(String(require("${sub}/caps.json").sixelColorRegisters ?? 16))')`,
        `'${process.execPath}' '${TERMCALL}' render '${fixtureClip()}' --frame ${FRAME} --render ${kind} --size \${COLS}x${ROWS} --cell $CELL --sixel-registers $REGS > '${sub}/out.bin'`,
        `cat '${sub}/out.bin'; touch '${sub}/ready'; sleep 60`,
      ].join('; ');
      const xterm = spawn('xterm', ['-ti', 'vt340', '-u8', '-fa', 'DejaVu Sans Mono', '-fs', '11', '-b', '0', '-bw', '0',
        '-geometry', '80x24+0+0', '-xrm', 'XTerm*allowWindowOps: true', ...(registers ? ['-xrm', `XTerm*numColorRegisters: ${registers}`] : []),
        '-e', 'sh', '-c', script], { env, stdio: 'ignore', cwd: packageRoot() });
      procs.push(xterm);
      assert.ok(await fileAppears(path.join(sub, 'ready'), 60_000), `${kind}: xterm drew the frame`);
      await new Promise((r) => setTimeout(r, 800));
      const caps = JSON.parse(fs.readFileSync(path.join(sub, 'caps.json'), 'utf8')) as Caps;
      assert.ok(caps.sixel && caps.cellPx, 'vt340 mode: sixel and a cell size');
      if (registers) assert.equal(caps.sixelColorRegisters, registers, 'xterm reports its colour registers (XTSMGRAPHICS)');
      const cw = caps.cellPx.width;
      const ch = caps.cellPx.height;
      const COLS = colsFor(cw, ch);
      const png = path.join(dir, `${name}.png`);
      const im = spawnSync('import', ['-window', 'root', '-depth', '8', png], { env });
      assert.equal(im.status, 0, String(im.stderr));
      const W = COLS * cw;
      const H = ROWS * ch;
      const raw = await sharp(png).extract({ left: 0, top: 0, width: W, height: H }).removeAlpha().raw().toBuffer();
      const shot = { data: new Uint8Array(raw), width: W, height: H };
      const ref = referencePicture(frame, W, H);
      const v = viewerFor(kind)({ cols: COLS, rows: ROWS, cellWidthPx: cw, cellHeightPx: ch });
      const bytes = fs.readFileSync(path.join(sub, 'out.bin'));
      v.write(bytes);
      const defined = new Set(bytes.toString('latin1').match(/#\d+;2;/g) ?? []).size;
      results[name] = { shot: psnrRgb(shot, ref), model: psnrRgb(v.picture(), ref), wall: wallBlurPsnr(shot, ref), ...(registers ? { registers: defined } : {}) };
      xterm.kill('SIGTERM');
      if (kind === 'sixel') assert.match(bytes.toString('latin1'), /\x1bP[0-9;]*q/, 'a sixel image was sent');
    }
    for (const [kind, r] of Object.entries(results)) {
      t.diagnostic(`${kind}: screenshot ${r.shot.toFixed(2)} dB, viewer model ${r.model.toFixed(2)} dB, wall (blurred luma) ${r.wall.toFixed(2)} dB` +
        (r.registers ? `, ${r.registers} registers defined` : ''));
      assert.ok(r.shot > 20, `${kind}: the screenshot shows the frame (${r.shot.toFixed(2)} dB)`);
      assert.ok(Math.abs(r.shot - r.model) < 2.5, `${kind}: screenshot ${r.shot.toFixed(2)} dB vs model ${r.model.toFixed(2)} dB`);
    }
    const s16 = results['sixel16']!;
    const s256 = results['sixel256']!;
    assert.ok((s16.registers ?? 0) <= 16, `16-register xterm: ${s16.registers} registers defined`);
    assert.ok((s256.registers ?? 0) > 16, `256-register xterm: ${s256.registers} registers defined`);
    assert.ok(s256.wall > s16.wall + 1, `the wall with 256 registers ${s256.wall.toFixed(2)} dB vs 16 ${s16.wall.toFixed(2)} dB`);
    assert.ok(s256.shot > s16.shot, `256 registers ${s256.shot.toFixed(2)} dB vs 16 ${s16.shot.toFixed(2)} dB`);
  });

test('tmux 3.3a (TERM=xterm-256color outside, no graphics): the preview draws cells, never a graphics escape',
  { skip: needTools('tmux'), timeout: 60_000 }, async (t) => {
    const tm = new Tmux();
    t.after(() => tm.kill());
    tm.start('d', 80, 24);
    await waitFor(() => tm.plain('d').startsWith('$'), 5_000, 'the shell prompt');
    const log = path.join(tm.dir, 'pane.bin');
    tm.tmux('pipe-pane', '-t', 'd', '-o', `cat > '${log}'`);
    const cmd = ['env', `XDG_CONFIG_HOME=${path.join(tm.dir, 'cfg')}`, `XDG_STATE_HOME=${path.join(tm.dir, 'state')}`, 'TERM=xterm-256color',
      process.execPath, TERMCALL, 'preview', '--source', fixtureClip()].map((a) => `'${a}'`).join(' ');
    tm.keys('d', `${cmd}; echo "EXIT=$?"`, 'Enter');
    await waitFor(() => truecolorCells(tm.cells('d'), { col: 0, row: 0, cols: 80, rows: 23 }) > 200, 20_000, 'video on screen');
    await new Promise((r) => setTimeout(r, 1000));
    tm.keys('d', 'q');
    await waitFor(() => /EXIT=\d+/.test(tm.plain('d')), 10_000, 'the preview exited');
    const bytes = fs.readFileSync(log);
    assert.ok(bytes.length > 10_000, `the pane got the video (${bytes.length} B)`);
    assert.doesNotMatch(bytes.toString('latin1'), /\x1bP[0-9;]*q/, 'no sixel (DCS … q; the probe sends DECRQSS, DCS $ q)');
    // the probe asks (kitty a=q queries); a picture would be sent with another action
    const kitty = [...bytes.toString('latin1').matchAll(/\x1b_G([^;\x1b]*)/g)].map((m) => m[1] ?? '');
    assert.ok(kitty.every((keys) => keys.split(',').includes('a=q')), `no kitty image, only the probe's queries: ${kitty.join(' | ')}`);
    assert.ok(!bytes.includes('\x1b]1337'), 'no OSC 1337 (iTerm2 images)');
    const text = bytes.toString('utf8');
    assert.ok(/[\u2596-\u259f\u2580\u2584\u258c\u2590]/.test(text), 'sub-cell symbols or half-blocks drawn');
    assert.match(tm.plain('d'), /EXIT=0/);
  });
