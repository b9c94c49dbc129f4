// TutorialLink over real loopback sockets and over a Duplex whose backpressure the test controls.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { test, type TestContext } from 'node:test';
import type { BgrImage } from '../../../src/tutorial/pickle.js';
import { connectTutorial, TutorialLink, tutorialPeerLabel, type TutorialLinkOptions } from '../../../src/tutorial/link.js';
import { PickleStreamDecoder } from '../../../src/tutorial/wire.js';
import { ProtocolError } from '../../../src/shared/errors.js';
import type { Frame } from '../../../src/shared/frame.js';
import { TUTORIAL_SEND_BACKLOG_FRAMES } from '../../../src/shared/limits.js';

/** A frame filled with one value. */
function solid(value: number, width = 4, height = 4): BgrImage {
  return { data: new Uint8Array(width * height * 3).fill(value), width, height };
}

/** Resolves with the close reason (events.once would reject on the 'error' event instead). */
function closeOf(link: TutorialLink): Promise<unknown> {
  return new Promise((resolve) => link.once('close', resolve));
}

/** Resolves with the first n frames a link emits. */
function frames(link: TutorialLink, n: number): Promise<Frame[]> {
  return new Promise((resolve) => {
    const got: Frame[] = [];
    link.on('frame', (f) => {
      got.push(f);
      if (got.length === n) resolve(got);
    });
  });
}

/** A plain loopback server whose first accepted socket becomes a TutorialLink, and a connectTutorial() client to it. */
async function linkedPair(t: TestContext, server: TutorialLinkOptions, client: TutorialLinkOptions): Promise<{ server: TutorialLink; client: TutorialLink }> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  t.after(() => srv.close());
  const accepted = once(srv, 'connection') as Promise<[net.Socket]>;
  const c = await connectTutorial({ host: '127.0.0.1', port: (srv.address() as net.AddressInfo).port, ...client });
  t.after(() => c.destroy());
  const [sock] = await accepted;
  const s = new TutorialLink(sock, server);
  t.after(() => s.destroy());
  return { server: s, client: c };
}

for (const wire of ['pickle', 'raw'] as const) {
  test(`${wire}: a link on an accepted socket and a connector exchange frames both ways on one connection`, async (t) => {
    const rawSize = { width: 4, height: 4 };
    const { server, client } = await linkedPair(t, { wire, rawSize }, { wire, rawSize });
    assert.equal(client.peer, tutorialPeerLabel(wire));
    const atServer = frames(server, 3);
    const atClient = frames(client, 2);
    for (const v of [1, 2, 3]) client.send(solid(v));
    for (const v of [9, 8]) server.send(solid(v));
    const s = await atServer;
    const c = await atClient;
    assert.deepEqual(s.map((f) => [f.data[0], f.width, f.height, f.seq]), [[1, 4, 4, 0], [2, 4, 4, 1], [3, 4, 4, 2]]);
    assert.deepEqual(c.map((f) => f.data[0]), [9, 8]);
    const st = server.stats();
    assert.equal(st.framesReceived, 3);
    assert.equal(st.width, 4);
    assert.equal(st.peer, `tutorial (${wire})`);
    assert.equal(client.stats().framesSent, 3);
    const closed = closeOf(server);
    client.close();
    assert.equal(await closed, undefined);
  });
}

test('stats are emitted with receive-side numbers', async (t) => {
  const { server, client } = await linkedPair(t, { wire: 'pickle', statsIntervalMs: 5 }, { wire: 'pickle' });
  const got = frames(server, 2);
  client.send(solid(5, 8, 2));
  client.send(solid(6, 8, 2));
  await got;
  for (;;) {
    const [st] = (await once(server, 'stats')) as [ReturnType<TutorialLink['stats']>];
    if (st.framesReceived < 2) continue;
    assert.equal(st.width, 8);
    assert.equal(st.height, 2);
    assert.ok(st.frameWireBytes > 48);
    assert.equal(st.bytesReceived, 2 * st.frameWireBytes);
    assert.ok(st.fps >= 0);
    break;
  }
});

test('a bad stream closes the socket with a clear error', async (t) => {
  const server = net.createServer((s) => {
    const bad = Buffer.from('\x80\x04\x8c\x05posix\x8c\x06system\x93.', 'latin1');
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(bad.length));
    s.end(Buffer.concat([len, bad]));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const port = (server.address() as net.AddressInfo).port;
  const link = await connectTutorial({ host: '127.0.0.1', port, wire: 'pickle' });
  t.after(() => link.destroy());
  const errors: ProtocolError[] = [];
  link.on('error', (e) => errors.push(e));
  const reason = await closeOf(link);
  assert.ok(reason instanceof ProtocolError);
  assert.equal(reason.code, 'ERR_PICKLE_REJECTED');
  assert.match(reason.message, /posix\.system is not allowed/);
  assert.equal(errors.length, 1);
  assert.equal(link.isClosed, true);
  assert.equal(link.send(solid(1)), false);
});

test('a link without an error listener still closes with the reason (no throw)', async () => {
  const sock = new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
  const link = new TutorialLink(sock, { wire: 'raw', rawSize: { width: 1, height: 1 } });
  const closed = closeOf(link);
  sock.push(Buffer.from([1, 2]));
  sock.push(null);
  const reason = await closed;
  assert.ok(reason instanceof ProtocolError);
  assert.equal(reason.code, 'ERR_PEER_CLOSED');
});

test('connecting to a closed port fails with ERR_CONNECT_REFUSED', async () => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  await assert.rejects(connectTutorial({ host: '127.0.0.1', port, wire: 'raw' }), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_CONNECT_REFUSED');
});

test(`send is latest-wins: at most TUTORIAL_SEND_BACKLOG_FRAMES (${TUTORIAL_SEND_BACKLOG_FRAMES}) frame waits behind backpressure`, async () => {
  const written: Buffer[] = [];
  let release: (() => void) | undefined;
  const sock = new Duplex({
    writableHighWaterMark: 1,
    read() {},
    write(chunk: Buffer, _e, cb) {
      written.push(chunk);
      release = cb;
    },
  });
  const link = new TutorialLink(sock, { wire: 'pickle' });
  assert.equal(link.send(solid(1)), true); // written; socket now over its high-water mark
  for (let v = 2; v <= 5; v++) assert.equal(link.send(solid(v)), false);
  assert.equal(written.length, 1);
  assert.equal(link.stats().framesDropped, 4 - TUTORIAL_SEND_BACKLOG_FRAMES);
  release?.(); // socket drains: the newest waiting frame goes out
  await new Promise((r) => setImmediate(r));
  assert.equal(written.length, 2);
  release?.();
  await new Promise((r) => setImmediate(r));
  assert.equal(written.length, 2, 'nothing else was queued');
  const d = new PickleStreamDecoder();
  const got = written.flatMap((b) => d.push(b)).map((f) => f.image.data[0]);
  assert.deepEqual(got, [1, 5]);
  assert.equal(link.stats().framesSent, 2);
  link.destroy();
});

test('raw send of a frame of another size throws at once', async () => {
  const sock = new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
  const link = new TutorialLink(sock, { wire: 'raw', rawSize: { width: 2, height: 2 } });
  assert.throws(() => link.send(solid(1, 4, 4)), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_BAD_MESSAGE');
  assert.equal(link.send(solid(1, 2, 2)), true);
  link.destroy();
  assert.equal(await closeOf(link), undefined);
});
