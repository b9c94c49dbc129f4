// The status panel's text: every field the issue lists, unknowns as '-'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStats, applyTutorialStats, bottomLines, emptyStatus, endedText, securityText, sideLines } from '../../../src/tui/status.js';
import type { TutorialStats } from '../../../src/tutorial/link.js';
import { tutorialCloseInfo } from '../../../src/calls/tutorial-calls.js';
import type { SessionStats } from '../../../src/call/stats.js';
import { ProtocolError } from '../../../src/shared/errors.js';

const dir = { fps: 24.5, kbps: 812.3, latencyMs: 41, latencyP95Ms: 60, skippedBySender: 2, skippedByReceiver: 1, frames: 100, quality: 60, width: 320, height: 240, bytesPerFrame: 4000, decodeErrors: 0 };
const stats: SessionStats = { ts: 0, peer: 'alice', rttMs: 1.25, clockOffsetMs: 0, tx: { ...dir, fps: 30, kbps: 700, targetFps: 30, inFlight: 1 }, rx: dir };

test('connected status shows peer, state, renderer, rates, rtt, latency, skipped and encryption', () => {
  const m = emptyStatus('truecolor', 'connected');
  m.peerName = 'alice';
  m.peerAddress = '127.0.0.1:7878';
  applyStats(m, stats);
  m.skippedDraw = 4;
  const text = bottomLines(m).join('\n');
  for (const want of ['connected', 'alice (127.0.0.1:7878)', 'truecolor', 'not encrypted', 'in 24.5fps 320x240 812kbit/s', 'out 30.0fps 700kbit/s',
    'rtt 1.3ms', 'latency 41ms', 'skipped 3/4']) assert.ok(text.includes(want), `${want} in ${text}`);
  const side = sideLines(m).join('\n');
  for (const want of ['state     connected', 'renderer  truecolor', 'skipped   3 net / 4 draw', 'security  not encrypted']) assert.ok(side.includes(want), want);
});

test('unknown numbers show as -, pause flags are shown', () => {
  const m = emptyStatus('256', 'calling');
  m.sendPaused = true;
  const text = bottomLines(m).join('\n');
  assert.ok(text.includes('calling (sending paused)'));
  assert.ok(text.includes('rtt -ms'));
});

const tut: TutorialStats = { peer: 'tutorial (pickle)', wire: 'pickle', fps: 29.7, width: 160, height: 120, frameWireBytes: 57_771, bytesPerSecond: 1_715_800,
  framesReceived: 90, bytesReceived: 5_199_390, framesSent: 0, framesDropped: 0 };

test('a tutorial peer: label, receive-side fps, frame size and kbit/s; no rtt or latency (these wires have no ping)', () => {
  const m = emptyStatus('truecolor', 'connected');
  m.peerAddress = '127.0.0.1:5000';
  m.peerLabel = 'tutorial (pickle)';
  m.rttMs = 3; // left over from nothing: the tutorial stats must clear it
  applyTutorialStats(m, tut, Number.NaN);
  const text = bottomLines(m).join('\n');
  for (const want of ['connected | tutorial (pickle) (127.0.0.1:5000) |', 'in 29.7fps 160x120 13726kbit/s', 'out -fps -kbit/s', 'rtt -ms', 'latency -ms',
    'not encrypted']) assert.ok(text.includes(want), `${want} in ${text}`);
  const side = sideLines(m).join('\n');
  for (const want of ['peer      tutorial (pickle) (127.0.0.1:5000)', '↓ in    fps 29.7 · - ms', '↑ out   fps -', 'size      160x120', 'rtt       - ms'])
    assert.ok(side.includes(want), `${want} in ${side}`);
  assert.equal(m.framesIn, 90);
});

test('a tutorial peer that also receives our video shows the send rate', () => {
  const m = emptyStatus('truecolor', 'connected');
  applyTutorialStats(m, { ...tut, framesSent: 30 }, 30);
  assert.ok(bottomLines(m).join('\n').includes('out 30.0fps -kbit/s'));
});

test('size is - before the first frame', () => {
  assert.ok(sideLines(emptyStatus('ascii')).includes('size      -'));
});

test('a tutorial link\'s end in words: our hang-up, the program closing, a bad stream', () => {
  assert.equal(endedText(tutorialCloseInfo(undefined, true), 'tutorial (raw)'), 'call ended — you hung up');
  assert.equal(endedText(tutorialCloseInfo(undefined, false), 'tutorial (raw)'), 'tutorial (raw) hung up — call ended');
  const bad = new ProtocolError('ERR_BAD_MESSAGE', 'pickle: global os.system is not allowed');
  const info = tutorialCloseInfo(bad, false);
  assert.equal(info.byPeer, true);
  assert.equal(info.error, bad);
  assert.equal(endedText(info, 'tutorial (pickle)'), 'call ended: pickle: global os.system is not allowed');
});

test('side panel: graphs of the last minute per direction, the renderer and why, the audio slot', async () => {
  const { StatsHistory } = await import('../../../src/tui/sparkline.js');
  const h = new StatsHistory();
  const m = emptyStatus('truecolor', 'connected');
  m.rendererWhy = 'auto: COLORTERM=truecolor → 24-bit colour';
  for (let i = 0; i < 70; i++) {
    const s = { ...stats, rx: { ...dir, fps: i % 10, frames: 100 + i * 10, skippedByReceiver: i } };
    applyStats(m, s);
    h.add(s);
  }
  assert.equal(h.in.fps.length, 60, 'one minute kept');
  const lines = sideLines(m, h, 30);
  const fps = lines.find((l) => l.startsWith('fps'));
  assert.ok(fps && /[▁▂▃▄▅▆▇█]{10,}$/.test(fps), String(fps));
  assert.equal(fps.length, 30);
  assert.ok(lines.some((l) => /^loss +9%/.test(l)), lines.join('\n'));
  assert.ok(lines.includes('  why     auto: COLORTERM=truecolor → 24-bit colour'));
  assert.ok(lines.includes('audio     -'), 'the audio slot says - without voice');
  m.audioIn = 0.5;
  m.audioOut = 1;
  assert.ok(sideLines(m, h, 30).some((l) => /^audio +in . out █/.test(l)));
});

test('bottom panel: two lines, plus a graph row per figure when tall', async () => {
  const { StatsHistory } = await import('../../../src/tui/sparkline.js');
  const h = new StatsHistory();
  h.add(stats);
  const m = emptyStatus('truecolor', 'connected');
  assert.equal(bottomLines(m, h, 120, 2).length, 2);
  const tall = bottomLines(m, h, 120, 6);
  assert.equal(tall.length, 6);
  assert.match(tall[2] ?? '', /^in fps +24\.5 .* \| out fps +30\.0/);
});

test('why the renderer: the option, or auto with the deciding colour finding', async () => {
  const { rendererWhy } = await import('../../../src/tui/status.js');
  assert.equal(rendererWhy({ colorDepth: 24, reasons: [] }, '256'), '--render 256');
  assert.equal(rendererWhy({ colorDepth: 24, reasons: ['TERM=xterm → 16 colours', 'DECRQSS: the terminal kept SGR 38;2;1;2;3 → 24-bit colour'] }, 'auto'),
    'auto: 24-bit colour (DECRQSS)');
});

test('the path: tcp, or WebRTC direct/relayed with the candidate types and the transport RTT; WebRTC is encrypted without a passphrase', () => {
  const m = emptyStatus('truecolor', 'connected');
  applyStats(m, { ...stats, path: { kind: 'tcp', candidates: '', rttMs: Number.NaN } });
  assert.match(sideLines(m).join('\n'), /path {6}tcp\n/);
  assert.match(sideLines(m).join('\n'), /security {2}not encrypted/);
  applyStats(m, { ...stats, path: { kind: 'direct', candidates: 'srflx→srflx', rttMs: 12.34 } });
  assert.match(sideLines(m).join('\n'), /path {6}direct srflx→srflx 12\.3 ms/);
  assert.match(bottomLines(m).join('\n'), /\| direct srflx→srflx 12\.3 ms \|/);
  assert.match(sideLines(m).join('\n'), /security {2}encrypted, not authenticated/);
  applyStats(m, { ...stats, path: { kind: 'relayed', candidates: 'relay→srflx', rttMs: 40 } });
  assert.match(bottomLines(m).join('\n'), /relayed relay→srflx 40\.0 ms/);
  assert.equal(securityText(true, 'relayed relay→srflx'), 'encrypted, passphrase proven');
  assert.equal(securityText(true, 'tcp'), 'encrypted');
  assert.equal(securityText(false, ''), 'not encrypted');
});
