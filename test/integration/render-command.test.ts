// `termcall render`: one frame of an image or a video as terminal bytes on stdout, no terminal; what a viewer sees
// of them (the fidelity bench's viewers) resembles the frame; bad input ends with a message and an exit code.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { fixtureClip, packageRoot } from '../../src/shared/paths.js';
import { TERMCALL, isolatedEnv } from '../helpers/termcall-process.js';
import { viewerFor } from '../../src/bench/fidelity-viewers.js';
import { psnrRgb } from '../../src/bench/fidelity-metrics.js';
import { frameRgb, referencePicture } from '../../src/bench/fidelity-reference.js';
import { testFrame } from '../helpers/render-screen.js';

interface Run { code: number; stdout: Buffer; stderr: string }

// Run termcall with args and no terminal; bounded so a hang fails the test.
function termcall(env: NodeJS.ProcessEnv, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TERMCALL, ...args], { cwd: packageRoot(), env, encoding: 'buffer', timeout: 60_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr: stderr.toString() }));
  });
}

test('an image, drawn by each renderer, shows the picture to a viewer', async (t) => {
  const env = isolatedEnv(t);
  const dir = mkdtempSync(join(tmpdir(), 'render-cmd-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = testFrame(320, 240, 2, 6);
  const png = join(dir, 'pic.png');
  writeFileSync(png, await sharp(Buffer.from(frameRgb(f).data), { raw: { width: 320, height: 240, channels: 3 } }).png().toBuffer());
  for (const kind of ['truecolor', '256', 'sixel']) {
    const r = await termcall(env, ['render', png, '--render', kind, '--size', '40x15', '--cell', '8x16']);
    assert.equal(r.code, 0, r.stderr);
    const v = viewerFor(kind)({ cols: 40, rows: 15, cellWidthPx: 8, cellHeightPx: 16 });
    v.write(r.stdout);
    const p = psnrRgb(v.picture(), referencePicture(f, 320, 240));
    assert.ok(p > 18, `${kind}: PSNR ${p.toFixed(1)} dB against the image`);
    if (kind === 'sixel') assert.ok(r.stdout.includes('\x1bP'), 'a sixel image');
    if (kind === 'sixel') {
      // the palette takes the terminal's colour registers (default 256: no terminal to ask); a VT340 has 16
      const defined = (b: Buffer): number => new Set(b.toString('latin1').match(/#\d+;2;/g) ?? []).size;
      const smooth = join(dir, 'gradient.png');
      const g = Buffer.alloc(320 * 240 * 3);
      for (let i = 0; i < 320 * 240; i++) g.set([60 + ((i % 320) >> 1), 40 + (Math.floor(i / 320) >> 1), 120], i * 3);
      writeFileSync(smooth, await sharp(g, { raw: { width: 320, height: 240, channels: 3 } }).png().toBuffer());
      const many = await termcall(env, ['render', smooth, '--render', kind, '--size', '40x15', '--cell', '8x16']);
      const vt340 = await termcall(env, ['render', smooth, '--render', kind, '--size', '40x15', '--cell', '8x16', '--sixel-registers', '16']);
      assert.equal(vt340.code, 0, vt340.stderr);
      assert.ok(defined(vt340.stdout) <= 16 && defined(many.stdout) > 16, `${defined(vt340.stdout)} vs ${defined(many.stdout)} registers`);
    }
    else assert.ok(!r.stdout.includes('\x1bP'), 'cells only');
  }
});

test('frame N of a video; bad input ends with a message and exit code, never a crash', async (t) => {
  const env = isolatedEnv(t);
  const dir = mkdtempSync(join(tmpdir(), 'render-cmd-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = await termcall(env, ['render', fixtureClip(), '--frame', '0', '--render', 'truecolor', '--size', '32x12']);
  const b = await termcall(env, ['render', fixtureClip(), '--frame', '60', '--render', 'truecolor', '--size', '32x12']);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.ok(a.stdout.length > 32 * 12 && !a.stdout.equals(b.stdout), 'two different frames');
  const bad = join(dir, 'broken.png');
  writeFileSync(bad, Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n'), Buffer.alloc(200, 7)]));
  const cases: [string[], number, RegExp][] = [
    [['render', join(dir, 'missing.png')], 1, /ERR_SOURCE_NOT_FOUND/],
    [['render', bad], 1, /ERR_IMAGE_DECODE|ERR_SOURCE_NOT_VIDEO/],
    [['render', fixtureClip(), '--frame', '100000', '--size', '8x4'], 1, /no frame 100000/],
    [['render', fixtureClip(), '--size', '0x5'], 2, /--size/],
    [['render', fixtureClip(), '--cell', '8by16'], 2, /--cell/],
    [['render', fixtureClip(), '--render', 'sixel', '--sixel-registers', '0'], 2, /--sixel-registers/],
  ];
  for (const [args, code, re] of cases) {
    const r = await termcall(env, args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stdout.length, 0, 'nothing half-drawn on stdout');
  }
});
