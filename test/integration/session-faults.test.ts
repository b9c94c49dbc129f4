// Faults: refused connection, garbage bytes, version mismatch, frames before accept, peer killed mid-frame.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { connectTcp, dial, listen } from '../../src/transport/connect.js';
import { encodeMessage, encodePreamble } from '../../src/protocol/codec.js';
import { WireDecoder } from '../../src/protocol/decoder.js';
import type { DecodedItem } from '../../src/protocol/messages.js';
import { ProtocolError } from '../../src/shared/errors.js';
import { PROTOCOL_VERSION } from '../../src/shared/limits.js';
import { makeTestSource, sharpDecode } from '../helpers/net-test-source.js';
import { callPair, closed, once } from '../helpers/net-pair.js';

const pane = { width: 160, height: 120 };

/** Connect a raw socket, send bytes, and collect everything the session answers until it closes. */
async function rawExchange(port: number, bytes: Buffer): Promise<DecodedItem[]> {
  const sock = net.connect({ host: '127.0.0.1', port });
  const got: Buffer[] = [];
  sock.on('data', (c: Buffer) => got.push(c));
  sock.on('error', () => undefined);
  await once(sock, 'connect');
  sock.write(bytes);
  await once(sock, 'close');
  const d = new WireDecoder();
  return d.push(Buffer.concat(got));
}

test('connection refused names host:port', async () => {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  await assert.rejects(dial('127.0.0.1', port, { name: 'x', pane }), (e: unknown) =>
    e instanceof ProtocolError && e.code === 'ERR_CONNECT_REFUSED' && e.message.includes(`127.0.0.1:${port}`));
});

test('garbage bytes from a raw socket: ERR_BAD_MAGIC, a bye with the reason, socket closed, listener still works', async (t) => {
  const listener = await listen({ port: 0, call: { name: 'l', pane, autoAccept: true } });
  t.after(() => listener.close());
  const next = listener.nextSession();
  const answer = rawExchange(listener.address().port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  const s = await next;
  const info = await closed(s);
  assert.equal(info.error?.code, 'ERR_BAD_MAGIC');
  const items = await answer;
  const bye = items.find((m) => m.type === 'bye');
  assert.ok(bye && bye.type === 'bye' && bye.reason === 'protocolError' && bye.text.includes('ERR_BAD_MAGIC'), JSON.stringify(items));
  // A real call can follow.
  const next2 = listener.nextSession();
  const b = await dial('127.0.0.1', listener.address().port, { name: 'b', pane });
  await next2;
  assert.equal((await b.established).name, 'l');
  b.hangup();
});

test('a video frame before the call is accepted is a protocol violation', async (t) => {
  const listener = await listen({ port: 0, call: { name: 'l', pane } });
  t.after(() => listener.close());
  const next = listener.nextSession();
  const bytes = Buffer.concat([
    encodePreamble(),
    encodeMessage({ type: 'hello', name: 'rogue', renderer: '', paneWidth: 1, paneHeight: 1, features: 0 }),
    encodeMessage({ type: 'video', seq: 0, captureTs: 1, width: 1, height: 1, quality: 50, jpeg: new Uint8Array(10) }),
  ]);
  const answer = rawExchange(listener.address().port, bytes);
  const info = await closed(await next);
  assert.equal(info.error?.code, 'ERR_UNEXPECTED_MESSAGE');
  const items = await answer;
  assert.ok(items.some((m) => m.type === 'bye' && m.reason === 'protocolError'));
  assert.ok(!items.some((m) => m.type === 'accept'));
});

test('version mismatch: both sides get ERR_VERSION_MISMATCH naming both versions', async (t) => {
  const other = PROTOCOL_VERSION + 1;
  const { listener, a, b } = await callPair({ name: 'a', pane, autoAccept: true }, { name: 'b', pane, protocolVersion: other });
  t.after(() => listener.close());
  const [ia, ib] = await Promise.all([closed(a), closed(b)]);
  for (const info of [ia, ib]) {
    assert.equal(info.error?.code, 'ERR_VERSION_MISMATCH');
    assert.match(info.error?.message ?? '', new RegExp(`v${PROTOCOL_VERSION}\\b.*v${other}\\b|v${other}\\b.*v${PROTOCOL_VERSION}\\b`));
  }
});

test('a peer that sends only the preamble times out the handshake', async (t) => {
  const listener = await listen({ port: 0, call: { name: 'l', pane } });
  t.after(() => listener.close());
  const next = listener.nextSession();
  const sock = await connectTcp('127.0.0.1', listener.address().port);
  t.after(() => sock.destroy());
  sock.on('error', () => undefined);
  sock.write(encodePreamble());
  const info = await closed(await next);
  assert.equal(info.error?.code, 'ERR_HANDSHAKE_TIMEOUT');
});

test('peer process SIGKILLed mid-frame: ERR_PEER_CLOSED mid-message, and a new call can follow', async (t) => {
  const src = makeTestSource({ width: 320, height: 240, fps: 30 });
  const listener = await listen({ port: 0, call: { name: 'l', pane: { width: 320, height: 240 }, source: src, decode: sharpDecode, autoAccept: true } });
  t.after(async () => { await listener.close(); await src.close(); });
  const next = listener.nextSession();
  const script = fileURLToPath(new URL('../helpers/net-peer-child.js', import.meta.url));
  const child = spawn(process.execPath, [script, String(listener.address().port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const s = await next;
  let frames = 0;
  s.on('frame', () => frames++);
  const sawMid = new Promise<void>((resolve) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('MID')) resolve();
    });
  });
  await Promise.race([sawMid, once(child, 'exit').then(() => { throw new Error('child exited early'); })]);
  child.kill('SIGKILL');
  const info = await closed(s);
  assert.ok(frames > 5, `frames before the kill: ${frames}`);
  assert.equal(info.error?.code, 'ERR_PEER_CLOSED');
  assert.match(info.error?.message ?? '', /mid-message/);

  const next2 = listener.nextSession();
  const b = await dial('127.0.0.1', listener.address().port, { name: 'b', pane });
  await next2;
  assert.equal((await b.established).name, 'l');
  b.hangup();
});
