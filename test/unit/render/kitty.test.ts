// The kitty graphics renderer, checked with the independent pure decoder: every payload round-trips losslessly,
// chunks stay ≤ 4096, each frame replaces the last, clear() leaves nothing, the budget shrinks the picture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKittyRenderer, type KittyFileSink, type KittyPayload } from '../../../src/render/kitty.js';
import { KittyModel } from '../../../src/render/kitty-decode.js';
import { decodePng, encodePng } from '../../../src/render/png.js';
import { KITTY_CHUNK_BYTES, KITTY_PAYLOAD_TRIALS } from '../../../src/shared/limits.js';
import { testFrame } from '../../helpers/render-screen.js';
import type { Frame } from '../../../src/shared/frame.js';


// An in-memory stand-in for the temp-file sink (the decoder reads the same map).
function memorySink(): KittyFileSink & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  let n = 0;
  return {
    files,
    write(rgb: Uint8Array): string {
      const p = `/dev/shm/tty-graphics-protocol-test-${n++ % 3}`;
      files.set(p, Uint8Array.from(rgb));
      return p;
    },
    close(): void {
      files.clear();
    },
  };
}

// The frame as RGB (what a lossless payload must decode to).
function rgbOf(f: Frame): Uint8Array {
  const out = new Uint8Array(f.width * f.height * 3);
  for (let i = 0; i < f.width * f.height; i++) {
    out[i * 3] = f.data[i * 3 + 2] as number;
    out[i * 3 + 1] = f.data[i * 3 + 1] as number;
    out[i * 3 + 2] = f.data[i * 3] as number;
  }
  return out;
}

test('every payload round-trips losslessly, 1:1 at the letterboxed box of the pane', () => {
  // 40x15 cells of 8x16 = 320x240 px: a 320x240 frame fills it exactly
  const rect = { col: 3, row: 2, cols: 40, rows: 15 };
  const frame = testFrame(320, 240, 1);
  for (const payload of ['zlib', 'png', 'raw', 'file'] as KittyPayload[]) {
    const sink = memorySink();
    const k = createKittyRenderer({ cellWidthPx: 8, cellHeightPx: 16, payload, files: sink, imageId: 100 });
    const bytes = k.render(frame, rect);
    const model = new KittyModel((p) => sink.files.get(p) ?? null);
    model.feed(bytes);
    assert.deepEqual(model.errors, [], payload);
    assert.equal(model.placements.size, 1, payload);
    const pl = [...model.placements.values()][0];
    assert.deepEqual({ col: pl?.col, row: pl?.row, cols: pl?.cols, rows: pl?.rows }, { col: 3, row: 2, cols: 0, rows: 0 }, `${payload}: 1:1 at the pane`);
    const img = model.images.get(100);
    assert.ok(img, payload);
    assert.equal(img.width, 320);
    assert.equal(img.height, 240);
    assert.ok(Buffer.from(img.data).equals(Buffer.from(rgbOf(frame))), `${payload}: lossless`);
    assert.ok(model.maxChunkBytes <= KITTY_CHUNK_BYTES, `${payload}: chunks ≤ 4096 (${model.maxChunkBytes})`);
    if (payload === 'file') assert.ok(bytes.length < 300, `file transfer sends only the path (${bytes.length} bytes)`);
  }
});

test('chunked: every escape but the last has m=1, later chunks carry only m', () => {
  const k = createKittyRenderer({ cellWidthPx: 8, cellHeightPx: 16, payload: 'raw', imageId: 7 });
  const s = k.render(testFrame(160, 120, 0), { col: 0, row: 0, cols: 20, rows: 8 }).toString('latin1');
  const escapes = [...s.matchAll(/\x1b_G([^;]*);([^\x1b]*)\x1b\\/g)].filter((m) => !(m[1] ?? '').startsWith('a=d'));
  assert.ok(escapes.length > 10, `a raw 160x120 frame takes many chunks (${escapes.length})`);
  escapes.forEach((m, i) => {
    assert.ok((m[2] ?? '').length <= KITTY_CHUNK_BYTES);
    if (i === 0) assert.match(m[1] ?? '', /^a=T,i=7,/);
    else assert.match(m[1] ?? '', /^m=[01]$/);
    assert.equal(m[1]?.endsWith(i < escapes.length - 1 ? 'm=1' : 'm=0'), true);
  });
  assert.ok(s.startsWith('\x1b[?2026h') && s.endsWith('\x1b[?2026l'), 'inside one synchronized update');
});

test('each frame replaces the last (two ids in turn, old one deleted in the same update); clear() leaves nothing', () => {
  const k = createKittyRenderer({ cellWidthPx: 8, cellHeightPx: 16, payload: 'zlib', imageId: 500 });
  const model = new KittyModel();
  const rect = { col: 0, row: 0, cols: 40, rows: 15 };
  const seen = new Set<number>();
  for (let i = 0; i < 5; i++) {
    model.feed(k.render(testFrame(320, 240, i), rect));
    assert.equal(model.placements.size, 1, `frame ${i}: one picture on screen`);
    assert.equal(model.images.size, 1, `frame ${i}: the old image's data freed`);
    seen.add([...model.placements.keys()][0] as number);
  }
  assert.deepEqual([...seen].sort(), [500, 501]);
  model.feed(k.clear());
  assert.equal(model.placements.size, 0);
  assert.equal(model.images.size, 0);
  assert.equal(k.clear().length, 0, 'nothing left to clear');
});

test('a pane too small, or a broken frame: no image, the old one removed, no throw', () => {
  const k = createKittyRenderer({ cellWidthPx: 8, cellHeightPx: 16, payload: 'zlib', imageId: 900 });
  const model = new KittyModel();
  model.feed(k.render(testFrame(64, 48, 0), { col: 0, row: 0, cols: 10, rows: 4 }));
  assert.equal(model.placements.size, 1);
  model.feed(k.render(testFrame(64, 48, 1), { col: 0, row: 0, cols: 1, rows: 4 }));
  assert.equal(model.placements.size, 0, 'a 1-column pane shows no image');
  const broken: Frame = { data: new Uint8Array(10), width: 64, height: 48, captureTs: 0, seq: 2 };
  assert.equal(k.render(broken, { col: 0, row: 0, cols: 10, rows: 4 }).length, 0);
});

test('a frame smaller than the pane is sent at its size and stretched by the terminal over whole cells', () => {
  const k = createKittyRenderer({ cellWidthPx: 8, cellHeightPx: 16, payload: 'png', imageId: 40 });
  const model = new KittyModel();
  model.feed(k.render(testFrame(160, 120, 0), { col: 0, row: 0, cols: 80, rows: 30 }));
  const pl = [...model.placements.values()][0];
  assert.equal(model.images.get(40)?.width, 160, 'never enlarged before sending');
  assert.ok(pl && pl.cols > 0 && pl.rows > 0 && pl.cols <= 80 && pl.rows <= 30);
  assert.ok(Math.abs((pl.cols * 8) / (pl.rows * 16) - 4 / 3) < 0.1, 'aspect kept within a cell');
});

test('the output budget shrinks the picture until 15 frames a second fit', () => {
  const kbps = 4000;
  const k = createKittyRenderer({ cellWidthPx: 8, cellHeightPx: 16, payload: 'zlib', maxKbps: kbps, imageId: 60 });
  const rect = { col: 0, row: 0, cols: 80, rows: 30 };
  const sizes: number[] = [];
  for (let i = 0; i < 20; i++) sizes.push(k.render(testFrame(640, 480, i, 3), rect).length);
  const perFrame = (kbps * 1000) / 8 / 15;
  assert.ok((sizes[0] as number) > perFrame, `a full frame is over budget (${sizes[0]} > ${perFrame})`);
  const tail = sizes.slice(-5);
  assert.ok(Math.max(...tail) <= perFrame * 1.15, `frames settle inside the budget: ${tail.join(',')} vs ${Math.round(perFrame)}`);
  assert.ok(k.lastImage.width < 640, `smaller picture (${k.lastImage.width}x${k.lastImage.height})`);
  assert.match(k.describe?.() ?? '', /budget 4000 kbit\/s: \d+% size/);
  k.setBudget(0);
  k.render(testFrame(640, 480, 21), rect);
  assert.equal(k.lastImage.width, 640, 'budget lifted: full size again');
});

test('auto payload: a file when the terminal is local, else the cheaper of zlib and PNG after the trials', () => {
  assert.equal(createKittyRenderer({ files: memorySink() }).payload, 'file');
  let t = 0;
  const k = createKittyRenderer({ cellWidthPx: 8, cellHeightPx: 16, now: () => t++, imageId: 80 });
  const seen: string[] = [];
  for (let i = 0; i < 2 * KITTY_PAYLOAD_TRIALS + 2; i++) {
    seen.push(k.payload);
    k.render(testFrame(320, 240, i), { col: 0, row: 0, cols: 40, rows: 15 });
  }
  assert.ok(seen.includes('zlib') && seen.includes('png'), `both tried: ${seen.join(',')}`);
  const final = k.payload;
  assert.ok(final === 'zlib' || final === 'png');
  assert.equal(seen.at(-1), final, 'settled');
});

test('PNG writer and reader agree; the reader rejects broken files', () => {
  const f = testFrame(33, 17, 3);
  const rgb = rgbOf(f);
  const pic = decodePng(encodePng(rgb, 33, 17));
  assert.ok(Buffer.from(pic.data).equals(Buffer.from(rgb)));
  assert.throws(() => decodePng(new Uint8Array([1, 2, 3])), /signature/);
  const png = encodePng(rgb, 33, 17);
  assert.throws(() => decodePng(png.subarray(0, 40)));
});

test('a frame a few pixels larger than the pane (sender rounding) is shown 1:1, cropped, not resampled', () => {
  // 74x26 cells of 8x17 = 592x442 px; the sender sent 592x444
  const k = createKittyRenderer({ cellWidthPx: 8, cellHeightPx: 17, payload: 'zlib', imageId: 300 });
  const frame = testFrame(592, 444, 0);
  const model = new KittyModel();
  model.feed(k.render(frame, { col: 0, row: 0, cols: 74, rows: 26 }));
  const pl = [...model.placements.values()][0];
  assert.equal(model.images.get(300)?.height, 444, 'sent at its own size');
  assert.deepEqual(pl?.src, { x: 0, y: 1, width: 592, height: 442 });
  assert.equal(pl?.cols, 0, 'drawn 1:1');
  const screen = model.rasterize(592, 442, { width: 8, height: 17 });
  const rgb = rgbOf(frame);
  assert.ok(Buffer.from(screen.data).equals(Buffer.from(rgb.subarray(592 * 3, 443 * 592 * 3))), 'exactly rows 1..442 of the frame');
});
