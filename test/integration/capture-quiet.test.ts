// OpenCV's and ffmpeg's own log chatter never reaches stdout or stderr, and `termcall devices` behaves with no camera.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/shared/paths.js';

const bin = fileURLToPath(new URL('../../../bin/termcall', import.meta.url));

test('opening broken sources prints nothing from OpenCV or ffmpeg', () => {
  const script = `
    import { media } from ${JSON.stringify(new URL('../../src/media/media.js', import.meta.url).href)};
    const m = media();
    for (const s of ['package.json', 'camera:3', 'http://127.0.0.1:1/video', 'rtsp://127.0.0.1:1/x', 'fixtures/clip.mp4']) {
      try { const src = await m.openSource(s); await src.pull({ raw: false }); await src.close(); } catch {}
    }
    try { await m.decodeJpeg(new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 0, 4, 1, 2, 0xff, 0xd9])); } catch {}
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: packageRoot(), encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, '');
});

test('termcall devices exits 0 and lists cameras or says there are none', () => {
  const r = spawnSync(process.execPath, [bin, 'devices'], { cwd: packageRoot(), encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^camera:\d|No camera could be opened/m);
  const j = spawnSync(process.execPath, [bin, 'devices', '--json'], { cwd: packageRoot(), encoding: 'utf8', timeout: 60_000 });
  assert.ok(Array.isArray(JSON.parse(j.stdout).cameras));
});
