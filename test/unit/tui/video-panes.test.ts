// Painting the video panes: one write per paint wrapped in DECSC/DECRC, latest frame wins, erase on move, backpressure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { VideoPanes, eraseBytes } from '../../../src/tui/video-panes.js';
import type { Frame } from '../../../src/shared/frame.js';

// A solid frame.
function solid(w: number, h: number, bgr: [number, number, number], seq = 0): Frame {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(bgr, i * 3);
  return { data, width: w, height: h, captureTs: 0, seq };
}

// A writable that records writes and can pretend to be full.
class Sink extends Writable {
  writes: Buffer[] = [];
  full = false;
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.writes.push(chunk);
    cb();
  }
  constructor() {
    super();
    // pretend bytes are waiting while full (what a slow tty or ssh link looks like to Node)
    Object.defineProperty(this, 'writableLength', { get: () => (this.full ? 1 : 0) });
  }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('a paint is one write: DECSC, renderer bytes, DECRC; nothing while suspended', async () => {
  const sink = new Sink();
  let flushed = 0;
  const panes = new VideoPanes({ stream: sink, flushPending: () => flushed++ }, 'truecolor', { width: 8, height: 16 }, {});
  panes.setRect('remote', { col: 2, row: 1, cols: 10, rows: 5 });
  panes.setFrame('remote', solid(20, 20, [0, 0, 255]));
  await tick();
  await tick();
  assert.equal(sink.writes.length, 0, 'suspended by default');
  panes.setSuspended(false);
  await tick();
  await tick();
  assert.equal(sink.writes.length, 1);
  const s = (sink.writes[0] as Buffer).toString('latin1');
  assert.ok(s.startsWith('\x1b7') && s.endsWith('\x1b8'), 'cursor and attributes saved and restored');
  assert.ok(s.includes('38;2;255;0;0') || s.includes('48;2;255;0;0'), '24-bit red');
  assert.ok(!s.includes('\n') && !s.includes('\r'), 'never scrolls');
  assert.equal(flushed, 1, "blessed's pending output flushed first");
  panes.close();
});

test('frames arriving faster than paints: the newest wins, the rest are counted as skipped', async () => {
  const sink = new Sink();
  const panes = new VideoPanes({ stream: sink, flushPending: () => undefined }, 'truecolor', { width: 8, height: 16 }, {});
  panes.setRect('remote', { col: 0, row: 0, cols: 8, rows: 4 });
  panes.setSuspended(false);
  panes.setFrame('remote', solid(8, 8, [0, 0, 255], 1));
  panes.setFrame('remote', solid(8, 8, [0, 255, 0], 2));
  panes.setFrame('remote', solid(8, 8, [255, 0, 0], 3));
  await tick();
  await tick();
  assert.equal(sink.writes.length, 1);
  assert.ok((sink.writes[0] as Buffer).toString('latin1').includes('0;0;255'), 'blue (the newest) painted');
  assert.equal(panes.stats.skipped, 2);
  panes.close();
});

test('stdout backpressure: no write until drain, then only the newest frame', async () => {
  const sink = new Sink();
  const panes = new VideoPanes({ stream: sink, flushPending: () => undefined }, 'truecolor', { width: 8, height: 16 }, {});
  panes.setRect('remote', { col: 0, row: 0, cols: 8, rows: 4 });
  panes.setSuspended(false);
  sink.full = true;
  panes.setFrame('remote', solid(8, 8, [0, 0, 255], 1));
  await tick();
  panes.setFrame('remote', solid(8, 8, [0, 255, 0], 2));
  await tick();
  assert.equal(sink.writes.length, 0, 'nothing written while the terminal is behind');
  sink.full = false;
  sink.emit('drain');
  await tick();
  await tick();
  assert.equal(sink.writes.length, 1);
  assert.ok((sink.writes[0] as Buffer).toString('latin1').includes('0;255;0'), 'the newest (green) frame');
  panes.close();
});

test('moving or hiding a pane erases its old area', async () => {
  const sink = new Sink();
  const panes = new VideoPanes({ stream: sink, flushPending: () => undefined }, 'truecolor', { width: 8, height: 16 }, {});
  const old = { col: 30, row: 3, cols: 6, rows: 2 };
  panes.setRect('preview', old);
  panes.setSuspended(false);
  panes.setFrame('preview', solid(8, 8, [0, 0, 255]));
  await tick();
  await tick();
  panes.setRect('preview', null);
  await tick();
  await tick();
  const last = (sink.writes.at(-1) as Buffer).toString('latin1');
  assert.ok(last.includes(eraseBytes(old).toString('latin1')), 'old area erased');
  assert.equal(eraseBytes(old).toString('latin1'), '\x1b[0m\x1b[4;31H\x1b[6X\x1b[5;31H\x1b[6X');
  panes.close();
});

test('after blessed cleared the screen (a resize), erases still queued for old areas are dropped, not written', async () => {
  const sink = new Sink();
  const panes = new VideoPanes({ stream: sink, flushPending: () => undefined }, 'truecolor', { width: 8, height: 16 }, {});
  const big = { col: 0, row: 0, cols: 100, rows: 30 };
  panes.setRect('remote', big);
  panes.setSuspended(false);
  panes.setFrame('remote', solid(8, 8, [0, 0, 255]));
  await tick();
  await tick();
  sink.full = true; // the terminal is slow: nothing is written for now
  panes.setRenderer('256'); // queues an erase of the big area
  panes.setRect('remote', { col: 0, row: 0, cols: 20, rows: 8 }, false); // the terminal shrank; blessed cleared it
  sink.full = false;
  sink.emit('drain');
  await tick();
  await tick();
  const written = Buffer.concat(sink.writes.slice(1)).toString('latin1');
  assert.ok(!written.includes('\x1b[30;1H'), 'no erase for a row the terminal no longer has');
  assert.ok(!written.includes('\x1b[100X'));
  panes.close();
});
