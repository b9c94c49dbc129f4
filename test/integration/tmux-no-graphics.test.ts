// A plain terminal (tmux 3.3a, TERM=xterm-256color inside, no graphics): the demo draws symbols or half-blocks, never an
// image — no kitty transmission, no iTerm2 file — only the probe's kitty queries, which tmux swallows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Tmux, waitFor } from '../helpers/tui-tmux.js';
import { needTools } from '../helpers/require-tool.js';

test('inside tmux: symbols or half-blocks, never a graphics image sequence', { skip: needTools('tmux'), timeout: 60_000 }, async (t) => {
  const tm = new Tmux();
  t.after(() => tm.kill());
  tm.start('s', 120, 40);
  const raw = path.join(tm.dir, 'out.raw');
  // everything termcall writes to the pane
  tm.tmux('pipe-pane', '-O', '-t', 's', `cat > ${raw}`);
  const log = path.join(tm.dir, 'demo.log');
  tm.runTui('s', ['demo', '--log-file', log]);
  const caps = await waitFor(() => /caps: .* → (\w+)/.exec(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '')?.[1] ?? null, 20_000, 'caps logged');
  assert.ok(['symbols', 'sextants', 'truecolor', '256'].includes(caps), `renderer inside tmux: ${caps} (symbols or half-blocks)`);
  await waitFor(() => /first remote frame drawn/.test(fs.readFileSync(log, 'utf8')) || null, 20_000, 'video drawn');
  await new Promise((r) => setTimeout(r, 2000));
  tm.keys('s', 'q');
  await waitFor(() => tm.plain('s').includes('EXIT=0') || null, 10_000, 'q exits 0');
  const out = fs.readFileSync(raw).toString('latin1');
  assert.ok(out.length > 10_000, `video went out (${out.length} bytes)`);
  assert.ok(!/\x1b_Ga=T/.test(out) && !/\x1b_G[^\x1b]*a=T/.test(out), 'no kitty image transmission');
  assert.ok(!out.includes('\x1b]1337;File='), 'no iTerm2 image');
  assert.match(fs.readFileSync(log, 'utf8'), /no kitty graphics reply: inside tmux/);
});
