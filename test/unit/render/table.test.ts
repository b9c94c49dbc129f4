// The renderer table: the one list behind --render, the auto pick, the r cycle and the announced pane size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  autoRenderer, explainAuto, createRenderer, panePixelSize, RENDER_CHOICES, RENDERER_KINDS, RENDERER_TABLE, supportedRenderers,
} from '../../../src/render/table.js';
import { detectCaps } from '../../../src/render/caps.js';
import type { RendererKind } from '../../../src/render/types.js';
import { MAX_SIXEL_SIDE_PX } from '../../../src/shared/limits.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../src/shared/paths.js';

// Every RendererKind must be in the table: a kind added to the type without an entry fails to compile here.
const EVERY_KIND: Record<RendererKind, true> = {
  truecolor: true, 256: true, 16: true, ascii: true, sixel: true, symbols: true, sextants: true, symbols256: true, kitty: true, iterm2: true,
};

test('the table holds every renderer kind once, and --render offers auto plus each of them', () => {
  assert.deepEqual([...RENDERER_KINDS].sort(), Object.keys(EVERY_KIND).sort());
  assert.equal(new Set(RENDERER_KINDS).size, RENDERER_TABLE.length);
  assert.deepEqual(RENDER_CHOICES, ['auto', ...RENDERER_KINDS]);
  assert.ok(RENDER_CHOICES.includes('16'), 'the 16-colour renderer can be chosen (it once could not)');
});

test('each entry builds a renderer of its own kind', () => {
  for (const kind of RENDERER_KINDS) assert.equal(createRenderer(kind, { width: 8, height: 16 }).kind, kind);
});

test('auto picks the first entry the terminal can show: sixel > sextants > symbols > half-blocks > ascii', () => {
  assert.equal(autoRenderer({ colorDepth: 24, sixel: true }), 'sixel');
  assert.equal(autoRenderer({ colorDepth: 24, sixel: true }, 2000), 'symbols', 'sixel does not fit a 2 Mbit/s budget');
  assert.equal(autoRenderer({ colorDepth: 24, sixel: false, sextants: true }), 'sextants');
  assert.equal(autoRenderer({ colorDepth: 24, sixel: false }), 'symbols');
  assert.equal(autoRenderer({ colorDepth: 8, sixel: false }), 'symbols256');
  assert.equal(autoRenderer({ colorDepth: 4, sixel: false }), '16');
  assert.equal(autoRenderer({ colorDepth: 1, sixel: false }), 'ascii');
  assert.equal(detectCaps({ TERM: 'xterm-256color' }).recommended, 'symbols256', 'detectCaps recommends what the table picks');
  assert.equal(detectCaps({ TERM: 'xterm-kitty' }).recommended, 'sextants', 'kitty draws sextants');
  assert.equal(detectCaps({ TERM: 'xterm-kitty', TMUX: '/tmp/x' }).sextants, false, 'not through tmux');
});

test('renderers the terminal supports, best first (the r cycle)', () => {
  assert.deepEqual(supportedRenderers({ colorDepth: 24, sixel: true }, 'truecolor'), ['sixel', 'symbols', 'truecolor', 'symbols256', '256', '16', 'ascii']);
  assert.deepEqual(supportedRenderers({ colorDepth: 8, sixel: false }, '256'), ['symbols256', '256', '16', 'ascii']);
  assert.deepEqual(supportedRenderers({ colorDepth: 1, sixel: false }, 'truecolor'), ['truecolor', 'ascii'], 'an explicit choice stays in the cycle');
});

test('pane pixel size: square pixels for blocks, real pixels (capped) for sixel', () => {
  assert.deepEqual(panePixelSize({ col: 0, row: 0, cols: 80, rows: 20 }, 'truecolor', { width: 8, height: 16 }), { width: 80, height: 40 });
  assert.deepEqual(panePixelSize({ col: 0, row: 0, cols: 80, rows: 20 }, 'sextants', { width: 8, height: 16 }), { width: 320, height: 160 }, '4 px per cell across (half the atom pitch), square pixels');
  assert.deepEqual(panePixelSize({ col: 0, row: 0, cols: 80, rows: 20 }, 'sixel', { width: 10, height: 20 }), { width: 800, height: 400 });
  assert.deepEqual(panePixelSize({ col: 0, row: 0, cols: 0, rows: 20 }, 'sixel', { width: 10, height: 20 }), { width: 0, height: 0 });
  const big = panePixelSize({ col: 0, row: 0, cols: 200, rows: 60 }, 'sixel', { width: 10, height: 20 });
  assert.ok(big.width <= MAX_SIXEL_SIDE_PX && big.height <= MAX_SIXEL_SIDE_PX);
  assert.ok(Math.abs(big.width / big.height - 2000 / 1200) < 0.01, 'aspect kept when capped');
});

test("README's --render row and r key row list the table's renderers in order", () => {
  const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
  const row = readme.split('\n').find((l) => l.startsWith('| `--render R`')) ?? '';
  assert.deepEqual([...row.matchAll(/`([a-z0-9]+)`/g)].map((m) => m[1]).filter((k) => k !== 'auto'), [...RENDERER_KINDS]);
  const keyRow = readme.split('\n').find((l) => l.startsWith('| `r` |')) ?? '';
  assert.match(keyRow, new RegExp(RENDERER_KINDS.join(' → ')));
});

test('explainAuto says why each better renderer was skipped, down to the pick', () => {
  assert.deepEqual(explainAuto({ colorDepth: 8, sixel: false }).map((l) => l.split(':')[0]), ['kitty', 'iterm2', 'sixel', 'sextants', 'symbols', 'truecolor', 'symbols256']);
  const lines = explainAuto({ colorDepth: 24, sixel: true }, 1000).slice(2);
  assert.match(lines[0] ?? '', /sixel: skipped, needs ~\d+ kbit\/s/);
  assert.match(lines[1] ?? '', /sextants: skipped, the terminal is not known to draw sextants/);
  assert.match(lines[2] ?? '', /^symbols: picked/);
});
