// TutorialCalls: a tutorial program's connection as the TUI's call — held unread until answered, then frames; busy, decline, hang-up.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { packageRoot } from '../../../src/shared/paths.js';
import type { Logger } from '../../../src/shared/log.js';
import { sendRate, TutorialCalls } from '../../../src/calls/tutorial-calls.js';
import type { CallContext } from '../../../src/calls/call-side.js';
import { settleWithin } from '../../helpers/settle.js';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, close: () => undefined };

// The call context of a viewing-only pickle side with no source.
function tutorialContext(): CallContext {
  return {
    name: () => 'me', renderer: () => 'none', pane: () => ({ width: 0, height: 0 }), source: () => null,
    decode: () => Promise.reject(new Error('no decoder')), fps: 30,
    tutorial: { wire: 'pickle', rawSize: { width: 640, height: 480 }, send: false },
  };
}
const message = fs.readFileSync(path.join(packageRoot(), 'fixtures', 'pickle', '160x120-p4-np2.bin'));

// A TutorialCalls listening on 127.0.0.1, stopped when the test ends.
async function listening(t: TestContext): Promise<{ calls: TutorialCalls; port: number }> {
  const calls = new TutorialCalls(tutorialContext(), quiet);
  t.after(() => settleWithin(calls.stop())); // bounded: a connection left open must not hang the teardown
  const { port } = await calls.listen(0, '127.0.0.1', false);
  return { calls, port };
}

// Resolves when the socket has closed (events.once would reject on the reset that may come first).
function closed(s: net.Socket): Promise<void> {
  return new Promise((r) => s.once('close', () => r()));
}

// A program that connects and sends one pickled frame; destroyed when the test ends.
async function program(t: TestContext, port: number): Promise<net.Socket> {
  const s = net.connect(port, '127.0.0.1');
  t.after(() => s.destroy());
  s.on('error', () => undefined);
  await once(s, 'connect');
  s.write(message);
  return s;
}

// A program that connected and was accepted; ended resolves with the call's end.
async function accepted(t: TestContext): Promise<{ prog: net.Socket; ended: Promise<unknown[]> }> {
  const { calls, port } = await listening(t);
  const incoming = once(calls, 'incoming');
  const prog = await program(t, port);
  await incoming;
  const ended = once(calls, 'ended');
  calls.accept();
  return { prog, ended };
}

test('a connecting program is announced as incoming; after accept its frames arrive; hang-up ends it from our side', async (t) => {
  const { calls, port } = await listening(t);
  assert.equal(calls.label, 'tutorial (pickle)');
  const incoming = once(calls, 'incoming');
  const prog = await program(t, port);
  const [peer, address] = (await incoming) as [{ name: string }, string];
  assert.equal(peer.name, '');
  assert.match(address, /^127\.0\.0\.1:\d+$/);
  assert.equal(calls.busy, true);
  const frame = once(calls, 'frame');
  const connected = once(calls, 'connected');
  calls.accept();
  await connected;
  const [f] = (await frame) as [{ width: number; height: number }];
  assert.deepEqual([f.width, f.height], [160, 120]);
  const ended = once(calls, 'ended');
  const progClosed = closed(prog);
  calls.hangup();
  const [info, was] = (await ended) as [{ reason: string; byPeer: boolean }, boolean];
  assert.deepEqual([info.reason, info.byPeer, was], ['hangup', false, true]);
  prog.end(); // the program notices our end and closes its side
  await progClosed;
  assert.equal(calls.busy, false);
});

test('the program closing ends the call as by the peer', async (t) => {
  const { prog, ended } = await accepted(t);
  prog.end();
  const [info, was] = (await ended) as [{ reason: string; byPeer: boolean; error?: unknown }, boolean];
  assert.deepEqual([info.reason, info.byPeer, info.error, was], ['hangup', true, undefined, true]);
});

test('a bad stream ends the call with its error', async (t) => {
  const { prog, ended } = await accepted(t);
  prog.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])); // an absurd length prefix
  const [info] = (await ended) as [{ reason: string; byPeer: boolean; error?: { code: string } }];
  assert.equal(info.reason, 'protocolError');
  assert.ok(info.error?.code.startsWith('ERR_'), JSON.stringify(info));
});

test('declining closes the connection; a second program while busy is refused', async (t) => {
  const { calls, port } = await listening(t);
  const incoming = once(calls, 'incoming');
  const first = await program(t, port);
  await incoming;
  const second = await program(t, port);
  await closed(second);
  assert.equal(calls.busy, true, 'the first one still waits');
  const ended = once(calls, 'ended');
  const firstClosed = closed(first);
  calls.decline();
  const [info, was] = (await ended) as [{ reason: string; byPeer: boolean }, boolean];
  assert.deepEqual([info.reason, info.byPeer, was], ['declined', false, false]);
  await firstClosed;
  assert.equal(calls.busy, false);
});

test('a waiting connection is held unread: what it sent before accept arrives after; every other program is refused meanwhile and during the link', async (t) => {
  const { calls, port } = await listening(t);
  let frames = 0;
  calls.on('frame', () => frames++);
  const incoming = once(calls, 'incoming');
  const first = await program(t, port); // writes one pickled frame at once
  await incoming;
  await new Promise((r) => setTimeout(r, 50)); // let the frame reach the listener before anyone answers
  for (let i = 0; i < 3; i++) assert.equal((await settleWithin(closed(await program(t, port)))).state, 'fulfilled', 'a program was not refused while one waits');
  assert.equal(frames, 0, 'nothing is parsed before accept');
  assert.equal(first.destroyed, false, 'the waiting connection stays open while others are refused');
  const frame = settleWithin(once(calls, 'frame') as Promise<[{ width: number; height: number }]>);
  calls.accept();
  const got = await frame;
  assert.equal(got.state, 'fulfilled', 'the frame sent before accept was lost');
  if (got.state === 'fulfilled') assert.deepEqual([got.value[0].width, got.value[0].height], [160, 120]);
  for (let i = 0; i < 3; i++) assert.equal((await settleWithin(closed(await program(t, port)))).state, 'fulfilled', 'a program was not refused during the link');
  assert.equal(first.destroyed, false, 'the link stays on while others are refused');
  assert.equal(frames, 1);
});

test('stop() closes a connection still waiting for an answer and stops listening', async (t) => {
  const { calls, port } = await listening(t);
  const incoming = once(calls, 'incoming');
  const prog = await program(t, port);
  await incoming;
  const progClosed = closed(prog);
  const stopped = settleWithin(once(calls, 'stopped'));
  const stopping = settleWithin(calls.stop());
  assert.equal((await settleWithin(progClosed)).state, 'fulfilled', 'the waiting connection was left open');
  assert.equal((await stopping).state, 'fulfilled', 'stop() did not finish');
  assert.equal((await stopped).state, 'fulfilled', 'no stopped event');
  assert.equal(calls.busy, false);
  const late = net.connect(port, '127.0.0.1');
  t.after(() => late.destroy());
  const refused = await settleWithin(once(late, 'error') as Promise<[NodeJS.ErrnoException]>);
  assert.equal(refused.state === 'fulfilled' ? refused.value[0].code : refused.state, 'ECONNREFUSED', 'still listening after stop()');
});

test('sendRate: frames sent per second between two stats events', () => {
  assert.equal(sendRate(10, 40, 1000), 30);
  assert.ok(Number.isNaN(sendRate(0, 0, 0)));
});

test('refuseIncoming turns programs away unannounced; hangup() during a dial abandons the link it brings', async (t) => {
  const { calls, port } = await listening(t);
  let announced = 0;
  calls.on('incoming', () => announced++);
  calls.refuseIncoming = true;
  await closed(await program(t, port));
  assert.equal(announced, 0, 'no prompt while calling a lost peer back');
  calls.refuseIncoming = false;

  // A program to dial: it accepts and waits.
  const server = net.createServer((s) => s.on('error', () => undefined));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  const other = new TutorialCalls(tutorialContext(), quiet);
  t.after(() => other.stop());
  let ended = 0;
  other.on('ended', () => ended++);
  const dialing = other.dial('127.0.0.1', (server.address() as net.AddressInfo).port);
  other.hangup(); // the user stopped while the connect was under way
  await dialing;
  assert.equal(other.busy, false, 'the link that arrived was dropped, not adopted');
  assert.equal(ended, 0);
  const [sock] = await accepted;
  t.after(() => sock.destroy());
  if (!sock.destroyed) await closed(sock); // its connection is closed (the test would time out otherwise)
});
