// The session state machine against a scripted in-memory peer: violations, cut streams, bad JPEGs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeMessage, encodePreamble } from '../../../src/protocol/codec.js';
import type { Message } from '../../../src/protocol/messages.js';
import { Session, type SessionRole } from '../../../src/call/session.js';
import { closed } from '../../helpers/net-pair.js';
import { listenerOpening, scriptedPeer } from '../../helpers/net-scripted-peer.js';

const hello: Message = { type: 'hello', name: 'p', renderer: '', paneWidth: 64, paneHeight: 48, features: 0 };
const video: Message = { type: 'video', seq: 1, captureTs: 1, width: 8, height: 8, quality: 50, jpeg: new Uint8Array([1, 2, 3]) };

/** Run a session of role against these peer bytes; returns how it closed and what it wrote. */
async function against(role: SessionRole, msgs: Message[], pre = encodePreamble()) {
  const peer = scriptedPeer({});
  const s = new Session(peer.stream, { role, name: 'me', pane: { width: 64, height: 48 } });
  peer.reply(Buffer.concat([pre, ...msgs.map((m) => encodeMessage(m))]));
  const info = await closed(s, 8000);
  return { info, wrote: peer.all };
}

test('the first message must be HELLO', async () => {
  const { info, wrote } = await against('dialer', [{ type: 'ping', id: 1, ts: 1 }]);
  assert.equal(info.error?.code, 'ERR_UNEXPECTED_MESSAGE');
  const bye = wrote.find((m) => m.type === 'bye');
  assert.ok(bye && bye.type === 'bye' && bye.reason === 'protocolError' && bye.text.startsWith('ERR_UNEXPECTED_MESSAGE'));
});

test('video while ringing is refused on both roles', async () => {
  for (const role of ['dialer', 'listener'] as const) {
    const { info } = await against(role, [hello, video]);
    assert.equal(info.error?.code, 'ERR_UNEXPECTED_MESSAGE', role);
  }
});

test('a dialer may not accept; a listener may not be declined', async () => {
  assert.equal((await against('listener', [hello, { type: 'accept' }])).info.error?.code, 'ERR_UNEXPECTED_MESSAGE');
  assert.equal((await against('listener', [hello, { type: 'decline', reason: 'declined' }])).info.error?.code, 'ERR_UNEXPECTED_MESSAGE');
});

test('an ack for a frame never sent is a violation', async () => {
  const { info } = await against('dialer', [hello, { type: 'accept' }, { type: 'ack', seq: 5, status: 'decoded', latencyMs: 1 }]);
  assert.equal(info.error?.code, 'ERR_UNEXPECTED_MESSAGE');
});

test('a second HELLO is a violation', async () => {
  assert.equal((await against('dialer', [hello, hello])).info.error?.code, 'ERR_UNEXPECTED_MESSAGE');
});

test('a peer BYE naming a version mismatch surfaces as ERR_VERSION_MISMATCH; a hangup as no error', async () => {
  const v = await against('dialer', [{ type: 'bye', reason: 'versionMismatch', text: 'you speak v1, this side speaks v7' }]);
  assert.equal(v.info.error?.code, 'ERR_VERSION_MISMATCH');
  assert.match(v.info.error?.message ?? '', /v1.*v7/);
  const h = await against('dialer', [hello, { type: 'accept' }, { type: 'bye', reason: 'hangup', text: 'bye' }]);
  assert.equal(h.info.error, undefined);
  assert.equal(h.info.byPeer, true);
});

test('stream ending mid-message: ERR_PEER_CLOSED mentioning mid-message; at a boundary: without bye', async () => {
  const peer = scriptedPeer({});
  const s = new Session(peer.stream, { role: 'dialer', name: 'me', pane: { width: 64, height: 48 } });
  const v = encodeMessage(video);
  peer.reply(Buffer.concat([listenerOpening(), v.subarray(0, 10)]));
  peer.stream.push(null);
  const info = await closed(s);
  assert.equal(info.error?.code, 'ERR_PEER_CLOSED');
  assert.match(info.error?.message ?? '', /mid-message/);

  const peer2 = scriptedPeer({});
  const s2 = new Session(peer2.stream, { role: 'dialer', name: 'me', pane: { width: 64, height: 48 } });
  peer2.reply(listenerOpening());
  peer2.stream.push(null);
  const info2 = await closed(s2);
  assert.equal(info2.error?.code, 'ERR_PEER_CLOSED');
  assert.match(info2.error?.message ?? '', /without saying bye/);
});

test('a JPEG that fails to decode is acked as dropped and the call goes on', async (t) => {
  const peer = scriptedPeer({});
  let attempts = 0;
  const s = new Session(peer.stream, {
    role: 'dialer', name: 'me', pane: { width: 64, height: 48 },
    decode: async () => { attempts++; throw new Error('not a JPEG'); },
  });
  t.after(() => s.hangup());
  peer.reply(listenerOpening());
  await s.established;
  peer.reply(encodeMessage(video));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(attempts, 1);
  assert.equal(s.state, 'active');
  const ack = peer.all.find((m) => m.type === 'ack');
  assert.ok(ack && ack.type === 'ack' && ack.seq === 1 && ack.status === 'dropped');
});

test('latest wins: while a decode runs, a waiting frame is replaced and acked as dropped', async (t) => {
  const peer = scriptedPeer({});
  const release: (() => void)[] = [];
  const s = new Session(peer.stream, {
    role: 'dialer', name: 'me', pane: { width: 64, height: 48 },
    decode: () => new Promise((resolve) => release.push(() => resolve({ data: new Uint8Array(8 * 8 * 3), width: 8, height: 8, captureTs: 0, seq: 0 }))),
  });
  t.after(() => s.hangup());
  const shown: number[] = [];
  s.on('frame', (f) => shown.push(f.seq));
  peer.reply(listenerOpening());
  await s.established;
  for (const seq of [1, 2, 3, 4]) peer.reply(encodeMessage({ ...video, seq } as Message));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(release.length, 1, 'one decode at a time');
  release.shift()?.();
  await new Promise((r) => setTimeout(r, 50));
  release.shift()?.();
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(shown, [1, 4]);
  const acks = peer.all.filter((m) => m.type === 'ack').map((m) => (m.type === 'ack' ? `${m.seq}:${m.status}` : ''));
  assert.deepEqual(acks.sort(), ['1:decoded', '2:dropped', '3:dropped', '4:decoded']);
});

test('BYE reasons are codes: needsSecret is ERR_PEER_NEEDS_SECRET; text that looks like a code is only text', async () => {
  const needs = await against('dialer', [{ type: 'bye', reason: 'needsSecret', text: 'this listener requires a passphrase' }]);
  assert.equal(needs.info.error?.code, 'ERR_PEER_NEEDS_SECRET');
  const mimic = await against('dialer', [{ type: 'bye', reason: 'hangup', text: 'ERR_AUTH_FAILED: not really' }]);
  assert.equal(mimic.info.error, undefined, 'a hangup is a hangup, whatever its text says');
});

test('a pane larger than the wire allows is sent clamped (aspect kept), not thrown', async () => {
  const peer = scriptedPeer({});
  const s = new Session(peer.stream, { role: 'dialer', name: 'me', pane: { width: 10_000, height: 5_000 } });
  peer.reply(Buffer.concat([encodePreamble(), encodeMessage(hello), encodeMessage({ type: 'accept' })]));
  await s.established;
  s.resize(9000.4, 3000);
  s.hangup();
  await closed(s, 8000);
  const h = peer.all.find((m) => m.type === 'hello');
  assert.ok(h && h.type === 'hello' && h.paneWidth === 4096 && h.paneHeight === 2048, JSON.stringify(h));
  const r = peer.all.find((m) => m.type === 'resize');
  assert.ok(r && r.type === 'resize' && r.paneWidth === 4096 && r.paneHeight === 1365, JSON.stringify(r));
});

test('a BYE followed by bad bytes in the same chunk still counts: its reason is acted on', async () => {
  const peer = scriptedPeer({});
  const s = new Session(peer.stream, { role: 'dialer', name: 'me', pane: { width: 64, height: 48 } });
  peer.reply(Buffer.concat([encodePreamble(), encodeMessage({ type: 'bye', reason: 'needsSecret', text: 'needs a passphrase' }), Buffer.from([0xee, 0, 0, 0, 1, 0])]));
  const info = await closed(s, 8000);
  assert.equal(info.error?.code, 'ERR_PEER_NEEDS_SECRET', JSON.stringify(info));
});
