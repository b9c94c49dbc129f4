// Runs inside a real xterm (see test/integration/render-xterm.test.ts): probes, draws a truecolor and a sixel pane.

import fs from 'node:fs';
import path from 'node:path';
import { probeTerminal } from '../../src/terminal/probe.js';
import { createBlockRenderer } from '../../src/render/blocks.js';
import { createSixelRenderer } from '../../src/render/sixel.js';
import type { Frame } from '../../src/shared/frame.js';

/** The two panes and colours the outer test looks for (RGB). */
export const XTERM_SCENE = {
  block: { rect: { col: 0, row: 0, cols: 32, rows: 12 }, left: [200, 30, 40], right: [10, 120, 200] },
  sixel: { rect: { col: 40, row: 0, cols: 20, rows: 10 }, left: [200, 120, 10], right: [40, 220, 160] },
} as const;

// A frame whose left half is one colour and right half another (colours given as RGB).
function halves(w: number, h: number, left: readonly number[], right: readonly number[]): Frame {
  const d = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = x < w / 2 ? left : right;
      d.set([c[2] as number, c[1] as number, c[0] as number], (y * w + x) * 3);
    }
  }
  return { data: d, width: w, height: h, captureTs: 0, seq: 0 };
}

// Entry: probe, write caps.json, draw both panes, write "ready", then idle until killed.
async function main(dir: string): Promise<void> {
  const caps = await probeTerminal();
  fs.writeFileSync(path.join(dir, 'caps.json'), JSON.stringify(caps));
  const cell = caps.cellPx ?? { width: 10, height: 20 };
  process.stdout.write('\x1b[2J');
  const b = createBlockRenderer('truecolor', { cellWidthPx: cell.width, cellHeightPx: cell.height });
  const s = XTERM_SCENE;
  process.stdout.write(b.render(halves(64, 48, s.block.left, s.block.right), s.block.rect));
  const sx = createSixelRenderer({ cellWidthPx: cell.width, cellHeightPx: cell.height });
  process.stdout.write(sx.render(halves(64, 48, s.sixel.left, s.sixel.right), s.sixel.rect), () => {
    fs.writeFileSync(path.join(dir, 'ready'), '1');
  });
  setTimeout(() => undefined, 60_000);
}

if (process.argv[2] && import.meta.url.endsWith(path.basename(process.argv[1] ?? ''))) void main(process.argv[2]);
