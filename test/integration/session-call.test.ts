// Two sessions on 127.0.0.1: handshake, accept, frames both ways at the asked size, chat, resize, pause, hangup.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from '../../src/shared/frame.js';
import type { SessionStats } from '../../src/call/stats.js';
import { media } from '../../src/media/media.js';
import { fixtureClip } from '../../src/shared/paths.js';
import { callPair, closed, once, sleep } from '../helpers/net-pair.js';

test('frames of the fixture clip flow both ways, sized to each pane, and a hangup closes both sides', async (t) => {
  const m = media();
  const decode = (jpeg: Uint8Array): Promise<Frame> => m.decodeJpeg(jpeg);
  const srcA = await m.openSource({ kind: 'file', path: fixtureClip() }, { fps: 30 });
  const srcB = await m.openSource({ kind: 'file', path: fixtureClip() }, { fps: 30 });
  assert.deepEqual([srcA.info.width, srcA.info.height], [640, 480]);
  const { listener, a, b } = await callPair(
    { name: 'alice', renderer: 'truecolor', pane: { width: 320, height: 240 }, source: srcA, decode },
    { name: 'bob', renderer: 'sixel', pane: { width: 400, height: 300 }, source: srcB, decode },
  );
  t.after(async () => { a.hangup(); b.hangup(); await listener.close(); await srcA.close(); await srcB.close(); });

  const [peerOfA] = await once<[{ name: string; renderer: string; paneWidth: number }]>(a, 'incoming');
  assert.equal(peerOfA.name, 'bob');
  assert.equal(peerOfA.renderer, 'sixel');
  assert.equal(peerOfA.paneWidth, 400);
  assert.equal(a.state, 'ringing');
  assert.equal(b.state, 'ringing');
  await sleep(300);
  // Nothing flows before the listener accepts.
  const framesAtA: Frame[] = [];
  const framesAtB: Frame[] = [];
  a.on('frame', (f) => framesAtA.push(f));
  b.on('frame', (f) => framesAtB.push(f));
  assert.equal(framesAtA.length + framesAtB.length, 0);
  a.accept();
  assert.equal((await b.established).name, 'alice');

  const chat = once<[string]>(a, 'chat');
  b.sendChat('hi ✓');
  assert.deepEqual(await chat, ['hi ✓']);
  const stats: SessionStats[] = [];
  b.on('stats', (s) => stats.push(s));
  await sleep(2500);
  assert.ok(framesAtA.length >= 10, `A got ${framesAtA.length} frames`);
  assert.ok(framesAtB.length >= 10, `B got ${framesAtB.length} frames`);
  // Each side gets the 640x480 clip scaled into its own pane.
  assert.deepEqual([framesAtA.at(-1)?.width, framesAtA.at(-1)?.height], [320, 240]);
  assert.deepEqual([framesAtB.at(-1)?.width, framesAtB.at(-1)?.height], [400, 300]);
  const last = stats.at(-1);
  assert.ok(last, 'stats were emitted');
  assert.ok(last.rx.fps > 5 && last.tx.fps > 5, JSON.stringify(last));
  assert.ok(Number.isFinite(last.rttMs) && Number.isFinite(last.rx.latencyMs));

  // Resize: B's pane shrinks, A's frames follow.
  b.resize(160, 120);
  await sleep(600);
  assert.deepEqual([framesAtB.at(-1)?.width, framesAtB.at(-1)?.height], [160, 120]);

  // Pause: A stops sending, B is told.
  const paused = once<[{ paused: boolean }]>(b, 'peerVideo');
  a.setVideoPaused(true);
  assert.deepEqual(await paused, [{ paused: true }]);
  await sleep(300);
  const n = framesAtB.length;
  await sleep(500);
  assert.equal(framesAtB.length, n, 'no frames while paused');

  const bClosed = closed(b);
  a.hangup();
  const info = await bClosed;
  assert.equal(info.reason, 'hangup');
  assert.equal(info.byPeer, true);
  assert.equal(info.error, undefined);
});

test('a declined call ends with ERR_CALL_DECLINED on the dialer, and a new call can follow', async (t) => {
  const { listener, a, b } = await callPair({ name: 'a', pane: { width: 160, height: 120 } }, { name: 'b', pane: { width: 160, height: 120 } });
  t.after(() => listener.close());
  await once(a, 'incoming');
  a.decline();
  const info = await closed(b);
  assert.equal(info.error?.code, 'ERR_CALL_DECLINED');
  await assert.rejects(b.established, (e: Error & { code?: string }) => e.code === 'ERR_CALL_DECLINED');

  const next = listener.nextSession();
  const { dial } = await import('../../src/transport/connect.js');
  const b2 = await dial('127.0.0.1', listener.address().port, { name: 'b2', pane: { width: 160, height: 120 } });
  const a2 = await next;
  a2.once('incoming', () => a2.accept());
  assert.equal((await b2.established).name, 'a');
  b2.hangup();
  assert.equal((await closed(a2)).reason, 'hangup');
});

test('a second caller while a call is on is declined as busy', async (t) => {
  const { listener, a, b } = await callPair({ name: 'a', pane: { width: 160, height: 120 }, autoAccept: true }, { name: 'b', pane: { width: 160, height: 120 } });
  t.after(async () => { a.hangup(); b.hangup(); await listener.close(); });
  await b.established;
  const { dial } = await import('../../src/transport/connect.js');
  const c = await dial('127.0.0.1', listener.address().port, { name: 'c', pane: { width: 160, height: 120 } });
  const info = await closed(c);
  assert.equal(info.reason, 'busy');
  assert.equal(info.error?.code, 'ERR_CALL_DECLINED');
  assert.equal(a.state, 'active');
});

test('switching the source mid-call keeps frames flowing (wire seqs keep rising)', async (t) => {
  const { makeTestSource, sharpDecode } = await import('../helpers/net-test-source.js');
  const first = makeTestSource({ width: 320, height: 240, fps: 30 });
  const second = makeTestSource({ width: 160, height: 120, fps: 30 });
  const { listener, a, b } = await callPair(
    { name: 'a', pane: { width: 320, height: 240 }, source: first, autoAccept: true },
    { name: 'b', pane: { width: 320, height: 240 }, decode: sharpDecode });
  t.after(async () => { a.hangup(); await listener.close(); await first.close(); await second.close(); });
  const seqs: number[] = [];
  const widths: number[] = [];
  b.on('frame', (f) => { seqs.push(f.seq); widths.push(f.width); });
  await b.established;
  await sleep(1000);
  a.setSource(second);
  await sleep(1000);
  assert.equal(a.state, 'active');
  assert.equal(b.state, 'active');
  assert.ok(widths.includes(320) && widths.at(-1) === 160, `widths ${[...new Set(widths)].join(',')}`);
  for (let i = 1; i < seqs.length; i++) assert.ok((seqs[i] ?? 0) > (seqs[i - 1] ?? 0), `seq went from ${seqs[i - 1]} to ${seqs[i]}`);
});
