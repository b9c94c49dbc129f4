// The video panes with the kitty renderer, read back with the pure kitty decoder: one picture per pane at any time,
// a resize mid-stream moves it (the old one deleted), and hang-up, a dialog and quit leave no image on the screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { VideoPanes } from '../../../src/tui/video-panes.js';
import { KittyModel } from '../../../src/render/kitty-decode.js';
import { testFrame } from '../../helpers/render-screen.js';

// A writable that feeds everything written into a kitty model.
class KittySink extends Writable {
  readonly model = new KittyModel();
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.model.feed(chunk);
    cb();
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

test('kitty panes: replaced in place, moved on resize, gone after hang-up, a dialog and quit', async () => {
  const sink = new KittySink();
  const panes = new VideoPanes({ stream: sink, flushPending: () => undefined }, 'kitty', { width: 8, height: 16 }, {});
  panes.setRect('remote', { col: 0, row: 0, cols: 40, rows: 15 });
  panes.setSuspended(false);
  for (let i = 0; i < 3; i++) {
    panes.setFrame('remote', testFrame(320, 240, i));
    await settle();
  }
  assert.equal(sink.model.placements.size, 1, 'one picture');
  assert.equal(sink.model.images.size, 1, 'old frames freed');
  // resized mid-stream: a frame is pending while the pane moves
  panes.setFrame('remote', testFrame(320, 240, 3));
  panes.setRect('remote', { col: 10, row: 2, cols: 20, rows: 8 });
  await settle();
  const pl = [...sink.model.placements.values()];
  assert.equal(pl.length, 1, 'still one picture after the resize');
  assert.ok(pl[0] && pl[0].col >= 10 && pl[0].row >= 2, `at the new pane (${pl[0]?.col},${pl[0]?.row})`);
  // a dialog covers the screen: images go at once (they would sit above the dialog's text)
  panes.setSuspended(true);
  assert.equal(sink.model.placements.size, 0, 'no image under a dialog');
  panes.setSuspended(false);
  panes.setFrame('remote', testFrame(320, 240, 4));
  await settle();
  assert.equal(sink.model.placements.size, 1, 'back after the dialog');
  // hang-up: the pane is cleared
  panes.setSuspended(true);
  panes.clearPane('remote');
  assert.equal(sink.model.placements.size, 0);
  panes.setSuspended(false);
  panes.setRect('remote', { col: 0, row: 0, cols: 40, rows: 15 });
  panes.setFrame('remote', testFrame(320, 240, 5));
  await settle();
  assert.equal(sink.model.placements.size, 1);
  panes.close();
  assert.equal(sink.model.placements.size, 0, 'nothing left after quit');
  assert.equal(sink.model.images.size, 0);
  assert.deepEqual(sink.model.errors, []);
});

test('a terminal that drains slowly gets a budget: the kitty picture shrinks and the status says why', async () => {
  const sink = new KittySink();
  const panes = new VideoPanes({ stream: sink, flushPending: () => undefined }, 'kitty', { width: 8, height: 16 }, {});
  panes.setRect('remote', { col: 0, row: 0, cols: 80, rows: 30 });
  panes.setSuspended(false);
  panes.setFrame('remote', testFrame(640, 480, 0));
  await settle();
  // a 500 KB write that took 1 s: ~4 Mbit/s
  panes.noteDrain(500_000, 1000);
  for (let i = 1; i < 8; i++) {
    panes.setFrame('remote', testFrame(640, 480, i, 3));
    await settle();
  }
  const img = [...sink.model.images.values()][0];
  assert.ok(img && img.width < 640, `smaller picture (${img?.width})`);
  assert.match(panes.describe(), /budget 3200 kbit\/s.*terminal drains slowly/);
  panes.close();
});
