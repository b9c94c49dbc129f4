// Secure calls end to end: the right passphrase connects (real media worker, real decode) and the wire shows nothing;
// a wrong one, or one on a single side, fails on both sides with a clear error and zero frames.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { media } from '../../src/media/media.js';
import type { FrameSource } from '../../src/shared/frame-source.js';
import { dial, listen, type CallOptions } from '../../src/transport/connect.js';
import { FEATURE } from '../../src/protocol/messages.js';
import type { Session } from '../../src/call/session.js';
import { ProtocolError } from '../../src/shared/errors.js';
import type { Frame } from '../../src/shared/frame.js';
import { fixtureClip } from '../../src/shared/paths.js';
import { closed, once, sleep } from '../helpers/net-pair.js';
import { JPEG_SOI, countOf, startRecordingProxy } from '../helpers/secure-proxy.js';

const SECRET = 'correct horse battery staple orbit';
const NAME_L = 'Listener-Aurelia';
const NAME_D = 'Dialer-Bartholomew';

/** Call options with the real media worker: a source and OpenCV decode. */
function callOpts(name: string, source: FrameSource | null, extra: Partial<CallOptions> = {}): CallOptions {
  const m = media();
  return { name, renderer: 'truecolor', pane: { width: 320, height: 240 }, source, decode: (j: Uint8Array) => m.decodeJpeg(j), ...extra };
}

/** Run a call through a recording proxy: listener and dialer options, both secrets; returns what happened. */
async function runCall(t: { after(fn: () => Promise<void> | void): void }, ls: string | undefined, ds: string | undefined) {
  const m = media();
  const srcL = await m.openSource({ kind: 'file', path: fixtureClip() }, { fps: 30 });
  const srcD = await m.openSource({ kind: 'test' }, { fps: 30 });
  const listener = await listen({ port: 0, host: '127.0.0.1', call: callOpts(NAME_L, srcL, { autoAccept: true }), secret: ls });
  const proxy = await startRecordingProxy(listener.address().port);
  const lSessions: Session[] = [];
  const rejected: ProtocolError[] = [];
  const frames = { atL: [] as Frame[], atD: [] as Frame[] };
  listener.on('session', (s) => { lSessions.push(s); s.on('frame', (f) => frames.atL.push(f)); });
  listener.on('rejected', (r) => rejected.push(r.error));
  let dialer: Session | null = null;
  t.after(async () => {
    dialer?.hangup();
    for (const s of lSessions) s.hangup();
    await proxy.close();
    await listener.close();
    await srcL.close();
    await srcD.close();
  });
  let dialError: unknown = null;
  try {
    dialer = await dial('127.0.0.1', proxy.port, callOpts(NAME_D, srcD, { secret: ds }));
    dialer.on('frame', (f) => frames.atD.push(f));
  } catch (err) {
    dialError = err;
  }
  return { listener, proxy, lSessions, rejected, frames, dialer, dialError };
}

test('the right passphrase connects: frames flow both ways, decoded, and the call says it is encrypted', async (t) => {
  const r = await runCall(t, SECRET, SECRET);
  assert.ok(r.dialer, `dial failed: ${String(r.dialError)}`);
  const peer = await r.dialer.established;
  assert.equal(peer.name, NAME_L);
  assert.ok(peer.features & FEATURE.secure, 'the listener announced the secure feature');
  assert.equal(r.dialer.secure, true);
  const l = r.lSessions[0];
  assert.ok(l);
  await l.established;
  assert.equal(l.secure, true);
  await sleep(2500);
  assert.ok(r.frames.atD.length >= 10, `dialer decoded ${r.frames.atD.length} frames`);
  assert.ok(r.frames.atL.length >= 10, `listener decoded ${r.frames.atL.length} frames`);
  assert.deepEqual([r.frames.atD.at(-1)?.width, r.frames.atD.at(-1)?.height], [320, 240]);

  // The wire: many kilobytes of frames went through, yet no JPEG marker and no display name in the clear.
  const up = r.proxy.toTarget();
  const down = r.proxy.toCaller();
  assert.ok(up.length > 50_000 && down.length > 50_000, `captured ${up.length} / ${down.length} bytes`);
  assert.equal(up.subarray(0, 4).toString('latin1'), 'TMPK', 'the caller opens with the PAKE magic');
  assert.ok(countOf(up, Buffer.from([0x16, 0x03])) >= 1, 'then TLS follows');
  for (const wire of [up, down]) {
    assert.equal(countOf(wire, JPEG_SOI), 0, 'a JPEG marker crossed the wire in the clear');
    assert.equal(countOf(wire, NAME_L), 0);
    assert.equal(countOf(wire, NAME_D), 0);
    assert.equal(countOf(wire, 'TMCL'), 0, 'the termcall preamble is inside the encryption');
  }
});

test('control: a plain call through the same proxy shows JPEG markers and both names', async (t) => {
  const r = await runCall(t, undefined, undefined);
  assert.ok(r.dialer);
  await r.dialer.established;
  assert.equal(r.dialer.secure, false);
  await sleep(1500);
  assert.ok(r.frames.atD.length >= 5);
  const up = r.proxy.toTarget();
  const down = r.proxy.toCaller();
  assert.ok(countOf(down, JPEG_SOI) >= 5 && countOf(up, JPEG_SOI) >= 5);
  assert.equal(countOf(down, NAME_L), 1);
  assert.equal(countOf(up, NAME_D), 1);
});

test('a wrong passphrase fails on both sides with ERR_AUTH_FAILED and no frame is ever sent', async (t) => {
  const r = await runCall(t, SECRET, 'correct horse battery stable orbit');
  assert.ok(r.dialError instanceof ProtocolError, String(r.dialError));
  assert.equal(r.dialError.code, 'ERR_AUTH_FAILED');
  assert.match(r.dialError.message, /passphrase does not match/);
  await sleep(300);
  assert.equal(r.rejected.length, 1);
  assert.equal(r.rejected[0]?.code, 'ERR_AUTH_FAILED');
  assert.match(r.rejected[0]?.message ?? '', /passphrase does not match/);
  assert.equal(r.lSessions.length, 0, 'no session was started on the listener');
  assert.equal(r.frames.atD.length + r.frames.atL.length, 0);
  for (const wire of [r.proxy.toTarget(), r.proxy.toCaller()]) {
    assert.equal(countOf(wire, JPEG_SOI), 0);
    assert.equal(countOf(wire, 'TMCL'), 0, 'not even a termcall preamble was sent');
  }
  assert.ok(r.proxy.toCaller().length > 0, 'the listener did answer the TLS handshake');
  assert.equal(r.listener.failures.failures('127.0.0.1'), 1);
});

test('a passphrase on the listener only: both sides say so, no frames', async (t) => {
  const r = await runCall(t, SECRET, undefined);
  assert.ok(r.dialer, String(r.dialError));
  const info = await closed(r.dialer);
  assert.equal(info.error?.code, 'ERR_PEER_NEEDS_SECRET');
  assert.match(info.error?.message ?? '', /requires a passphrase/);
  await sleep(200);
  assert.equal(r.rejected[0]?.code, 'ERR_PEER_HAS_NO_SECRET');
  assert.match(r.rejected[0]?.message ?? '', /does not use a passphrase/);
  assert.equal(r.lSessions.length, 0);
  assert.equal(r.frames.atD.length + r.frames.atL.length, 0);
  assert.equal(countOf(r.proxy.toCaller(), JPEG_SOI), 0);
  assert.equal(countOf(r.proxy.toCaller(), NAME_L), 0, 'the secure listener did not reveal its name');
});

test('a passphrase on the dialer only: both sides say so, no frames', async (t) => {
  const r = await runCall(t, undefined, SECRET);
  assert.ok(r.dialError instanceof ProtocolError, String(r.dialError));
  assert.equal(r.dialError.code, 'ERR_PEER_HAS_NO_SECRET');
  assert.match(r.dialError.message, /does not use a passphrase/);
  const l = r.lSessions[0] ?? (await once<[Session]>(r.listener, 'session'))[0];
  const info = await closed(l);
  assert.equal(info.error?.code, 'ERR_PEER_NEEDS_SECRET');
  assert.match(info.error?.message ?? '', /uses a passphrase/);
  assert.equal(r.frames.atD.length + r.frames.atL.length, 0);
  assert.equal(countOf(r.proxy.toCaller(), JPEG_SOI), 0);
  assert.equal(countOf(r.proxy.toTarget(), NAME_D), 0, 'the secure dialer did not reveal its name');
});
