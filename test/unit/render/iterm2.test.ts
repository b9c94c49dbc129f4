// The iTerm2 renderer: a received JPEG of the pane's size goes out untouched (only base64 and a header added);
// other frames go as PNG; the pure decoder finds the same bytes and where they go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { createIterm2Renderer } from '../../../src/render/iterm2.js';
import { iterm2Placement, parseIterm2 } from '../../../src/render/iterm2-decode.js';
import { decodePng } from '../../../src/render/png.js';
import { testFrame } from '../../helpers/render-screen.js';
import type { Frame } from '../../../src/shared/frame.js';

// A real JPEG of a test frame (sharp), and the frame it decodes to, with the JPEG attached as a received frame has it.
async function jpegFrame(w: number, h: number): Promise<Frame> {
  const f = testFrame(w, h, 1);
  const rgb = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) { rgb[i * 3] = f.data[i * 3 + 2] as number; rgb[i * 3 + 1] = f.data[i * 3 + 1] as number; rgb[i * 3 + 2] = f.data[i * 3] as number; }
  const jpeg = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 60 }).toBuffer();
  return { ...f, jpeg };
}

test('a JPEG that already has the pane size passes straight through: bytes ≤ 1.05 × its base64', async () => {
  const frame = await jpegFrame(320, 240);
  const jpeg = frame.jpeg as Uint8Array;
  const r = createIterm2Renderer({ cellWidthPx: 8, cellHeightPx: 16 });
  const out = r.render(frame, { col: 2, row: 1, cols: 40, rows: 15 });
  const imgs = parseIterm2(out);
  assert.equal(imgs.length, 1);
  assert.ok(Buffer.from(imgs[0]?.data ?? []).equals(Buffer.from(jpeg)), 'the very JPEG bytes');
  assert.deepEqual({ col: imgs[0]?.col, row: imgs[0]?.row }, { col: 2, row: 1 });
  assert.equal(imgs[0]?.fields.get('width'), '320px');
  assert.equal(imgs[0]?.fields.get('size'), String(jpeg.length));
  const b64 = Math.ceil(jpeg.length / 3) * 4;
  assert.ok(out.length <= 1.05 * b64, `${out.length} bytes for a ${jpeg.length}-byte JPEG (${b64} in base64)`);
  assert.deepEqual(r.sent, { jpeg: 1, png: 0 });
  const pl = iterm2Placement(imgs[0] as NonNullable<(typeof imgs)[0]>, 320, 240, { width: 8, height: 16 }, { width: 800, height: 480 });
  assert.deepEqual({ w: pl.width, h: pl.height }, { w: 320, h: 240 });
});

test('a frame without a JPEG (the preview) or larger than the pane goes as a PNG of the pane size', async () => {
  const r = createIterm2Renderer({ cellWidthPx: 8, cellHeightPx: 16 });
  const plain = testFrame(160, 120, 0);
  const a = parseIterm2(r.render(plain, { col: 0, row: 0, cols: 20, rows: 8 }));
  const png = decodePng(a[0]?.data ?? new Uint8Array());
  assert.deepEqual({ w: png.width, h: png.height }, { w: 160, h: 120 });
  const big = await jpegFrame(640, 480);
  const b = parseIterm2(r.render(big, { col: 0, row: 0, cols: 40, rows: 15 }));
  const png2 = decodePng(b[0]?.data ?? new Uint8Array());
  assert.deepEqual({ w: png2.width, h: png2.height }, { w: 320, h: 240 }, 'shrunk to the pane');
  assert.deepEqual(r.sent, { jpeg: 0, png: 2 });
  assert.equal(r.render(plain, { col: 0, row: 0, cols: 1, rows: 8 }).length, 0, 'a pane too small shows nothing');
});
