// Detection of the pixel protocols: the kitty query's reply (OK, error, none, inside tmux, local file or not),
// iTerm2 by TERM_PROGRAM / LC_TERMINAL / XTVERSION, and the auto order kitty > iTerm2 > the cell renderers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseRenderer, detectCaps, formatCaps } from '../../../src/render/caps.js';
import { autoRenderer } from '../../../src/render/table.js';
import { PROBE_QUERY, probeQuery } from '../../../src/terminal/probe.js';

const DA1 = '\x1b[?62;c';
const OK = '\x1b_Gi=31;OK\x1b\\';
const FILE_OK = '\x1b_Gi=32;OK\x1b\\';
const FILE_ERR = '\x1b_Gi=32;EBADF:Failed to open file for graphics transmission\x1b\\';
const ENV = { TERM: 'xterm-kitty', COLORTERM: 'truecolor' };

test('kitty: OK means support; the file query says whether the terminal is local', () => {
  const local = detectCaps(ENV, { data: OK + FILE_OK + DA1 });
  assert.equal(local.kitty, true);
  assert.equal(local.kittyLocal, true);
  assert.equal(local.recommended, 'kitty');
  const remote = detectCaps(ENV, { data: OK + FILE_ERR + DA1 });
  assert.equal(remote.kitty, true);
  assert.equal(remote.kittyLocal, false);
  assert.ok(remote.reasons.some((r) => /remote \(ssh\)/.test(r)));
  assert.match(formatCaps(remote), /kitty graphics: +yes \(remote/);
});

test('kitty: an error reply, no reply, or tmux mean no kitty graphics (a cell renderer), with the reason', () => {
  const err = detectCaps(ENV, { data: '\x1b_Gi=31;ENOTSUPPORTED:no graphics here\x1b\\' + DA1 });
  assert.equal(err.kitty, false);
  assert.equal(err.recommended, 'sextants', 'kitty (by TERM) still draws sextants: the best cell renderer');
  assert.ok(err.reasons.some((r) => /answered with an error/.test(r)));
  const none = detectCaps(ENV, { data: DA1 });
  assert.equal(none.kitty, false);
  assert.ok(none.reasons.some((r) => /no kitty graphics reply/.test(r)));
  const silent = detectCaps(ENV, { data: '' });
  assert.equal(silent.kitty, false, 'a terminal that never answers');
  const tmux = detectCaps({ ...ENV, TMUX: '/tmp/t,1,0', TERM: 'tmux-256color' }, { data: OK + DA1 });
  assert.equal(tmux.kitty, false);
  assert.equal(tmux.recommended, 'symbols', 'inside tmux: quadrant symbols, no graphics');
  assert.ok(tmux.reasons.some((r) => /tmux/.test(r) && /placeholders/.test(r)));
  const forced = chooseRenderer(err, 'kitty');
  assert.equal(forced.renderer, 'kitty', '--render kitty overrides');
  assert.equal(forced.warnings.length, 1);
});

test('iTerm2: TERM_PROGRAM, LC_TERMINAL, else the XTVERSION name (as timg); kitty wins over it', () => {
  assert.equal(detectCaps({ TERM: 'xterm-256color', TERM_PROGRAM: 'iTerm.app' }, { data: DA1 }).recommended, 'iterm2');
  assert.equal(detectCaps({ TERM: 'xterm-256color', LC_TERMINAL: 'iTerm2' }, { data: DA1 }).iterm2, true);
  const xv = detectCaps({ TERM: 'xterm-256color' }, { data: '\x1bP>|WezTerm 20240203\x1b\\' + DA1 });
  assert.equal(xv.iterm2, true);
  assert.equal(xv.terminalName, 'WezTerm 20240203');
  assert.equal(detectCaps({ TERM: 'xterm-256color' }, { data: '\x1bP>|XTerm(379)\x1b\\' + DA1 }).iterm2, false);
  assert.equal(detectCaps({ TERM: 'xterm-256color', TERM_PROGRAM: 'WezTerm' }, { data: OK + DA1 }).recommended, 'kitty');
  assert.equal(detectCaps({ TERM: 'tmux-256color', TMUX: 'x', TERM_PROGRAM: 'iTerm.app' }, { data: DA1 }).iterm2, false);
});

test('auto order: kitty > iTerm2 > sixel > the cell renderers', () => {
  assert.equal(autoRenderer({ colorDepth: 24, sixel: true, kitty: true, iterm2: true }), 'kitty');
  assert.equal(autoRenderer({ colorDepth: 24, sixel: true, kitty: false, iterm2: true }), 'iterm2');
  assert.equal(autoRenderer({ colorDepth: 24, sixel: true, kitty: false, iterm2: false }), 'sixel');
  assert.equal(autoRenderer({ colorDepth: 24, sixel: false }), 'symbols');
});

test('the probe asks kitty (inline and, with a file, as a file) and XTVERSION before DA1', () => {
  const q = probeQuery('/tmp/x/tty-graphics-protocol-probe.rgb');
  const kitty = q.indexOf('\x1b_Gi=31,');
  const file = q.indexOf('\x1b_Gi=32,');
  const xtv = q.indexOf('\x1b[>q');
  assert.ok(kitty > 0 && file > kitty && xtv > file && q.endsWith('\x1b[c'));
  assert.ok(q.includes(Buffer.from('/tmp/x/tty-graphics-protocol-probe.rgb').toString('base64')));
  assert.ok(PROBE_QUERY.includes('a=q') && PROBE_QUERY.endsWith('\x1b[c'));
  assert.equal(probeQuery(null), PROBE_QUERY);
});
