// TutorialListener: connections nobody has taken yet are capped and held unread; close() settles nextLink().
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { listenTutorial, type TutorialListener } from '../../../src/tutorial/link.js';
import { encodePickleMessage } from '../../../src/tutorial/wire.js';
import { TermcallError } from '../../../src/shared/errors.js';
import { TUTORIAL_MAX_PENDING_CONNECTIONS } from '../../../src/shared/limits.js';
import type { Frame } from '../../../src/shared/frame.js';
import { settleWithin, type Settled } from '../../helpers/settle.js';

/** Asserts a settled promise rejected with a TermcallError coded ERR_LISTENER_CLOSED. */
function closedError(s: Settled<unknown>, what: string): void {
  assert.equal(s.state, 'rejected', `${what}: ${s.state} (it must settle when the listener closes)`);
  if (s.state !== 'rejected') return;
  assert.ok(s.reason instanceof TermcallError, `${what}: ${String(s.reason)}`);
  assert.equal(s.reason.code, 'ERR_LISTENER_CLOSED');
}

/** A connected client socket and a promise of its close (the listener dropping it). */
async function client(port: number): Promise<{ sock: net.Socket; closed: Promise<void> }> {
  const sock = net.connect({ host: '127.0.0.1', port });
  sock.on('error', () => undefined);
  const closed = new Promise<void>((r) => sock.once('close', () => r()));
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  return { sock, closed };
}

/** A pickle-wire listener on 127.0.0.1, closed after the test. */
async function listenPickle(t: { after(fn: () => unknown): void }): Promise<TutorialListener> {
  const srv = await listenTutorial({ host: '127.0.0.1', port: 0, wire: 'pickle' });
  t.after(() => srv.close());
  return srv;
}

test('nextLink() calls waiting when the listener closes reject with ERR_LISTENER_CLOSED; later calls reject at once', async (t) => {
  const srv = await listenPickle(t);
  const first = srv.nextLink();
  const second = srv.nextLink();
  await srv.close();
  closedError(await settleWithin(first), 'first waiter');
  closedError(await settleWithin(second), 'second waiter');
  closedError(await settleWithin(srv.nextLink()), 'after close');
});

test(`connections not yet taken are capped at TUTORIAL_MAX_PENDING_CONNECTIONS (${TUTORIAL_MAX_PENDING_CONNECTIONS}): the excess are closed`, async (t) => {
  const srv = await listenPickle(t);
  const extra = 3;
  const clients: { sock: net.Socket; closed: Promise<void> }[] = [];
  t.after(() => { for (const c of clients) c.sock.destroy(); });
  let closes = 0;
  let onClose = (): void => undefined;
  const enoughClosed = new Promise<void>((r) => { onClose = () => { if (++closes === extra) r(); }; });
  for (let i = 0; i < TUTORIAL_MAX_PENDING_CONNECTIONS + extra; i++) {
    const c = await client(srv.port);
    void c.closed.then(onClose);
    clients.push(c);
  }
  assert.equal((await settleWithin(enoughClosed)).state, 'fulfilled', `only ${closes} of ${extra} excess connections were closed`);
  const open = clients.filter((c) => !c.sock.destroyed);
  assert.equal(open.length, TUTORIAL_MAX_PENDING_CONNECTIONS);
  // Taking them hands out the survivors, each still connected.
  for (let i = 0; i < TUTORIAL_MAX_PENDING_CONNECTIONS; i++) {
    const link = await settleWithin(srv.nextLink());
    assert.equal(link.state, 'fulfilled', `pending connection ${i} was not handed out`);
    if (link.state === 'fulfilled') assert.equal(link.value.isClosed, false);
  }
  assert.equal(clients.filter((c) => !c.sock.destroyed).length, TUTORIAL_MAX_PENDING_CONNECTIONS);
});

test('a frame sent before the link is taken is delivered once it is', async (t) => {
  const srv = await listenPickle(t);
  const c = await client(srv.port);
  t.after(() => c.sock.destroy());
  const img = { data: new Uint8Array(4 * 4 * 3).fill(7), width: 4, height: 4 };
  await new Promise<void>((r) => c.sock.write(encodePickleMessage(img), () => r()));
  await new Promise((r) => setTimeout(r, 50)); // let it reach the listener before anyone takes the link
  const taken = await settleWithin(srv.nextLink());
  assert.equal(taken.state, 'fulfilled', 'the connection that arrived before nextLink() was not handed out');
  if (taken.state !== 'fulfilled') return;
  const link = taken.value;
  const frame = await settleWithin(new Promise<Frame>((r) => link.once('frame', r)));
  assert.equal(frame.state, 'fulfilled');
  if (frame.state === 'fulfilled') assert.deepEqual([frame.value.width, frame.value.height, frame.value.data[0]], [4, 4, 7]);
});
