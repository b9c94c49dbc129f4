// A real kitty (Debian's 0.26.5 under Xvfb, software GL): `termcall demo` picks the kitty renderer by itself, the
// remote pane in a screenshot matches the clip's frame (PSNR), far above the half-block picture, and after q no
// image is left on the screen (nor a temporary file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixtureClip, packageRoot } from '../../src/shared/paths.js';
import { needTools } from '../helpers/require-tool.js';
import {
  bestPsnr, clipFrames, cropRgb, darkFraction, kittyWindow, screenshot, startKitty, startXvfb, waitForLog,
} from '../helpers/kitty-x.js';

const skip = needTools('kitty', 'Xvfb', 'xdotool', 'import', 'ffmpeg');

interface Run {
  readonly psnrDb: number;
  readonly darkAfterQuit: number;
  readonly exitCode: string;
  readonly log: string;
}

// Run the demo in kitty, screenshot the remote pane, compare it with the clip, press q, screenshot again.
async function demoInKitty(dir: string, display: string, procs: ChildProcess[], name: string, args: string): Promise<Run> {
  const log = path.join(dir, `${name}.log`);
  const exit = path.join(dir, `${name}.exit`);
  const cmd = `cd ${packageRoot()} && XDG_CONFIG_HOME=${dir}/config ${process.execPath} bin/termcall demo --no-preview --log-file ${log} ${args} 2> ${log}.err; echo $? > ${exit}; sleep 30`;
  const kitty = startKitty(procs, display, cmd);
  try {
    const size = await waitForLog(log, /remote frame (\d+)x(\d+)/, 40_000);
    assert.ok(size, `a remote frame arrived (${name})`);
    assert.ok(await waitForLog(log, /first remote frame drawn/, 10_000));
    const wid = await kittyWindow(display);
    await new Promise((r) => setTimeout(r, 2500));
    const text = fs.readFileSync(log, 'utf8');
    const cell = JSON.parse(/caps: .* cell (\{[^}]*\})/.exec(text)?.[1] ?? 'null') as { width: number; height: number };
    const layouts = [...text.matchAll(/layout (\{.*\})/g)];
    const rect = (JSON.parse(layouts.at(-1)?.[1] ?? '{}') as { remote: { col: number; row: number; cols: number; rows: number } }).remote;
    const shot = screenshot(display, wid, path.join(dir, `${name}.png`));
    const fw = Number(size[1]);
    const fh = Number(size[2]);
    const pw = rect.cols * cell.width;
    const ph = rect.rows * cell.height;
    let shown: Uint8Array;
    let frames: Uint8Array[];
    if (name === 'kitty') {
      // drawn 1:1 at its own size, centred, cropped to the pane by a few pixels at most
      const w = Math.min(fw, pw);
      const h = Math.min(fh, ph);
      shown = cropRgb(shot, rect.col * cell.width + ((pw - w) >> 1), rect.row * cell.height + ((ph - h) >> 1), w, h).data;
      frames = clipFrames(fixtureClip(), fw, fh).map((f) => cropRgb({ width: fw, height: fh, data: f }, (fw - w) >> 1, (fh - h) >> 1, w, h).data);
    } else {
      // half-blocks fill the pane's cells
      shown = cropRgb(shot, rect.col * cell.width, rect.row * cell.height, pw, ph).data;
      frames = clipFrames(fixtureClip(), pw, ph);
    }
    const best = bestPsnr(shown, frames);
    spawnSync('xdotool', ['key', '--window', wid, 'q'], { env: { ...process.env, DISPLAY: display }, timeout: 10_000 });
    const done = await waitForLog(exit, /\d+/, 10_000);
    await new Promise((r) => setTimeout(r, 600));
    const after = screenshot(display, wid, path.join(dir, `${name}-after-q.png`));
    const pane = cropRgb(after, rect.col * cell.width, rect.row * cell.height, pw, ph);
    return { psnrDb: best.db, darkAfterQuit: darkFraction(pane), exitCode: done?.[0] ?? '', log: text };
  } finally {
    kitty.kill('SIGTERM');
  }
}

test('real kitty: the demo picks kitty graphics, the pane matches the clip ≥ 30 dB, nothing is left after q', { skip, timeout: 180_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-kitty-'));
  const procs: ChildProcess[] = [];
  t.after(() => {
    for (const p of procs.reverse()) if (p.exitCode === null) p.kill('SIGTERM');
    if (!process.env['KEEP_TEST_SHOTS']) fs.rmSync(dir, { recursive: true, force: true });
  });
  const display = await startXvfb(procs);
  const kitty = await demoInKitty(dir, display, procs, 'kitty', '');
  assert.match(kitty.log, /kitty true \(local\).* → kitty/, 'auto picked kitty, and found the terminal local');
  assert.match(kitty.log, /\(kitty file/, 'frames travel as temporary files');
  assert.equal(kitty.exitCode, '0');
  const blocks = await demoInKitty(dir, display, procs, 'truecolor', '--render truecolor');
  t.diagnostic(`kitty PSNR ${kitty.psnrDb.toFixed(1)} dB, half-blocks ${blocks.psnrDb.toFixed(1)} dB; pane dark after q: ${(kitty.darkAfterQuit * 100).toFixed(1)} %; shots in ${dir}`);
  assert.ok(kitty.psnrDb >= 30, `kitty pane vs the clip frame: ${kitty.psnrDb.toFixed(1)} dB`);
  assert.ok(kitty.psnrDb > blocks.psnrDb + 5, `far sharper than half-blocks (${blocks.psnrDb.toFixed(1)} dB)`);
  assert.ok(kitty.darkAfterQuit > 0.99, `no image left after q (${(kitty.darkAfterQuit * 100).toFixed(1)} % of the pane is background)`);
  // this termcall's files (other runs may be painting at the same time)
  const pid = /info \[(\d+)\]/.exec(kitty.log)?.[1] ?? 'none';
  const left = fs.readdirSync(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir()).filter((f) => f.startsWith(`tty-graphics-protocol-termcall-${pid}-`));
  assert.deepEqual(left, [], 'no temporary frame file left');
});
