// Capability detection tables over environments and terminal replies, renderer choice, and the text report.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseRenderer, detectCaps, envColorDepth, formatCaps, repliesComplete } from '../../../src/render/caps.js';

const XTERM_VT340_DA1 = '\x1b[?63;1;2;4;6;9;15;16;22;28c';
const XTERM_DA1 = '\x1b[?64;1;2;6;9;15;16;17;18;21;22;28c';
const TMUX_DA1 = '\x1b[?1;2c';

test('colour depth follows Node getColorDepth semantics', () => {
  const table: [Record<string, string>, number][] = [
    [{}, 1],
    [{ TERM: 'dumb' }, 1],
    [{ TERM: 'xterm' }, 4],
    [{ TERM: 'xterm-256color' }, 8],
    [{ TERM: 'xterm-256color', COLORTERM: 'truecolor' }, 24],
    [{ TERM: 'xterm', COLORTERM: '24bit' }, 24],
    [{ TERM: 'xterm-256color', NO_COLOR: '' }, 1],
    [{ TERM: 'xterm-256color', NO_COLOR: '1', FORCE_COLOR: '3' }, 24],
    [{ FORCE_COLOR: '' }, 4],
    [{ FORCE_COLOR: '1' }, 4],
    [{ FORCE_COLOR: 'true' }, 4],
    [{ FORCE_COLOR: '2' }, 8],
    [{ FORCE_COLOR: '0', COLORTERM: 'truecolor' }, 1],
    [{ TERM: 'tmux-256color', TMUX: '/tmp/tmux-0/default,1,0' }, 24],
    [{ TERM: 'screen' }, 4],
    [{ TERM: 'linux' }, 4],
    [{ COLORTERM: 'yes' }, 4],
    [{ TERM: 'xterm-kitty' }, 24],
  ];
  for (const [env, depth] of table) assert.equal(envColorDepth(env), depth, JSON.stringify(env));
});

test('detection table over env and reply combinations', () => {
  const rows: { env: Record<string, string>; data: string; sixel: boolean; tmux: boolean; rec: string; sync: boolean | null }[] = [
    { env: { TERM: 'xterm' }, data: XTERM_VT340_DA1, sixel: true, tmux: false, rec: 'sixel', sync: null },
    { env: { TERM: 'xterm-256color', COLORTERM: 'truecolor' }, data: XTERM_VT340_DA1, sixel: true, tmux: false, rec: 'sixel', sync: null },
    { env: { TERM: 'xterm-256color' }, data: XTERM_DA1, sixel: false, tmux: false, rec: 'symbols256', sync: null },
    { env: { TERM: 'tmux-256color', TMUX: '/tmp/t,1,0' }, data: TMUX_DA1, sixel: false, tmux: true, rec: 'symbols', sync: null },
    // tmux in front of a sixel terminal that answered itself: still no sixel
    { env: { TERM: 'tmux-256color', TMUX: '/tmp/t,1,0' }, data: XTERM_VT340_DA1, sixel: false, tmux: true, rec: 'symbols', sync: null },
    { env: { TERM: 'xterm-256color', NO_COLOR: '1' }, data: '\x1b[?2026;2$y' + XTERM_DA1, sixel: false, tmux: false, rec: 'ascii', sync: true },
    { env: { TERM: 'xterm-256color' }, data: '\x1b[?2026;0$y' + XTERM_DA1, sixel: false, tmux: false, rec: 'symbols256', sync: false },
    { env: { TERM: 'dumb' }, data: '', sixel: false, tmux: false, rec: 'ascii', sync: null },
    // the attribute list's first number is the class, not a feature: 4 there is not sixel
    { env: { TERM: 'xterm' }, data: '\x1b[?4;6c', sixel: false, tmux: false, rec: '16', sync: null },
  ];
  for (const r of rows) {
    const caps = detectCaps(r.env, { data: r.data });
    const label = JSON.stringify(r);
    assert.equal(caps.sixel, r.sixel, label);
    assert.equal(caps.tmux, r.tmux, label);
    assert.equal(caps.recommended, r.rec, label);
    assert.equal(caps.syncOutput, r.sync, label);
    assert.ok(caps.reasons.length >= 2, label);
  }
});

test('DECRQSS read-back of SGR 38;2;1;2;3 upgrades to 24-bit unless colour was set explicitly', () => {
  const kept = '\x1bP1$r0;38:2::1:2:3m\x1b\\' + XTERM_VT340_DA1;
  const keptSemi = '\x1bP1$r0;38;2;1;2;3m\x1b\\' + XTERM_DA1;
  const dropped = '\x1bP1$r0;38;5;16m\x1b\\' + XTERM_DA1;
  assert.equal(detectCaps({ TERM: 'xterm' }, { data: kept }).colorDepth, 24);
  assert.equal(detectCaps({ TERM: 'xterm' }, { data: kept }).recommended, 'sixel', 'vt340 mode: sixel is best');
  assert.equal(detectCaps({ TERM: 'xterm' }, { data: keptSemi }).recommended, 'symbols', '24-bit without sixel: symbols');
  assert.equal(detectCaps({ TERM: 'xterm-256color' }, { data: keptSemi }).colorDepth, 24);
  assert.equal(detectCaps({ TERM: 'xterm-256color' }, { data: dropped }).colorDepth, 8);
  assert.equal(detectCaps({ TERM: 'xterm', NO_COLOR: '1' }, { data: kept }).colorDepth, 1);
  assert.equal(detectCaps({ TERM: 'xterm', FORCE_COLOR: '2' }, { data: kept }).colorDepth, 8);
  // 1:2:30 is not the probe's colour
  assert.equal(detectCaps({ TERM: 'xterm' }, { data: '\x1bP1$r0;38:2::1:2:30m\x1b\\' }).colorDepth, 4);
});

test('XTSMGRAPHICS, cell size from TIOCGWINSZ, CSI 16t and CSI 14t', () => {
  const data = '\x1b[?1;0;256S\x1b[?2;0;800;510S\x1b[6;17;9t\x1b[4;408;720t' + XTERM_VT340_DA1;
  const caps = detectCaps({ TERM: 'xterm' }, { data, winsize: { cols: 80, rows: 24 } });
  assert.equal(caps.sixelColorRegisters, 256);
  assert.deepEqual(caps.sixelMaxPx, { width: 800, height: 510 });
  assert.deepEqual(caps.cellPx, { width: 9, height: 17 }, 'CSI 16t wins over 14t');
  const only14 = detectCaps({}, { data: '\x1b[4;408;720t', winsize: { cols: 80, rows: 24 } });
  assert.deepEqual(only14.cellPx, { width: 9, height: 17 });
  const ws = detectCaps({}, { data, winsize: { cols: 100, rows: 30, xpixel: 1000, ypixel: 600 } });
  assert.deepEqual(ws.cellPx, { width: 10, height: 20 }, 'TIOCGWINSZ pixels win');
  assert.equal(detectCaps({}, {}).cellPx, null);
  // an error status (3) in XTSMGRAPHICS is ignored
  assert.equal(detectCaps({}, { data: '\x1b[?1;3;0S' }).sixelColorRegisters, null);
});

test('chooseRenderer: auto follows caps, explicit requests win with warnings', () => {
  const tmux = detectCaps({ TERM: 'tmux-256color', TMUX: 'x' }, { data: TMUX_DA1 });
  assert.deepEqual(chooseRenderer(tmux, 'auto'), { renderer: 'symbols', warnings: [] });
  const s = chooseRenderer(tmux, 'sixel');
  assert.equal(s.renderer, 'sixel');
  assert.match(s.warnings[0] ?? '', /tmux/);
  const plain = detectCaps({ TERM: 'xterm' }, { data: XTERM_VT340_DA1 });
  assert.deepEqual(chooseRenderer(plain, 'sixel'), { renderer: 'sixel', warnings: [] });
  assert.equal(chooseRenderer(plain, 'truecolor').warnings.length, 1);
  assert.equal(chooseRenderer(plain, 'ascii').renderer, 'ascii');
});

test('formatCaps explains what was found and why', () => {
  const text = formatCaps(detectCaps({ TERM: 'xterm' }, { data: XTERM_VT340_DA1 }));
  assert.match(text, /sixel: +yes/);
  assert.match(text, /attribute 4/);
  assert.match(text, /recommended: +sixel/);
  assert.match(text, /sextants: +no/);
  assert.match(text, /not known to draw sextants/);
});

test('repliesComplete: the DA1 reply ends the probe at every split point', () => {
  const all = '\x1b[?1;0;256S\x1b[6;20;10t\x1b[?2026;2$y\x1bP1$r0;38:2::1:2:3m\x1b\\' + XTERM_VT340_DA1;
  for (let i = 0; i < all.length; i++) {
    assert.equal(repliesComplete(all.slice(0, i)), false, `prefix ${i}`);
    const caps = detectCaps({ TERM: 'xterm' }, { data: all.slice(0, i) + all.slice(i) });
    assert.equal(caps.sixel, true);
    assert.equal(caps.colorDepth, 24);
  }
  assert.equal(repliesComplete(all), true);
});
