// `termcall render FILE --render kitty|iterm2`: the pixel protocols through the render command, checked with the
// pure decoders (a JPEG of the pane's size passes straight through to iTerm2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { packageRoot } from '../../src/shared/paths.js';
import { KittyModel } from '../../src/render/kitty-decode.js';
import { parseIterm2 } from '../../src/render/iterm2-decode.js';

test('termcall render draws kitty and iTerm2 pictures; a JPEG of the pane size goes to iTerm2 untouched', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-render-px-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const rgb = Buffer.alloc(320 * 240 * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 7) & 255;
  const file = path.join(dir, 'p.jpg');
  await sharp(rgb, { raw: { width: 320, height: 240, channels: 3 } }).jpeg({ quality: 70 }).toFile(file);
  const run = (kind: string): Buffer => {
    const r = spawnSync(process.execPath, [path.join(packageRoot(), 'bin/termcall'), 'render', file, '--render', kind, '--size', '40x15', '--cell', '8x16'],
      { maxBuffer: 16 * 1024 * 1024 });
    assert.equal(r.status, 0, String(r.stderr));
    return r.stdout;
  };
  const it = parseIterm2(run('iterm2'));
  assert.equal(it.length, 1);
  assert.ok(Buffer.from(it[0]?.data ?? []).equals(fs.readFileSync(file)), 'the file itself');
  const m = new KittyModel();
  m.feed(run('kitty'));
  assert.deepEqual(m.errors, []);
  const img = [...m.images.values()][0];
  assert.deepEqual([img?.width, img?.height], [320, 240]);
  assert.equal(m.placements.size, 1);
});
