// CallListener.close(): nextSession() promises waiting at that moment, and those asked for afterwards, reject with
// ERR_LISTENER_CLOSED instead of waiting forever.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listen } from '../../../src/transport/connect.js';
import { TermcallError } from '../../../src/shared/errors.js';
import { settleWithin, type Settled } from '../../helpers/settle.js';

const CALL = { name: 'listener', pane: { width: 16, height: 16 }, autoAccept: true } as const;

/** Asserts a settled promise rejected with a TermcallError coded ERR_LISTENER_CLOSED. */
function closedError(s: Settled<unknown>, what: string): void {
  assert.equal(s.state, 'rejected', `${what}: ${s.state} (it must settle when the listener closes)`);
  if (s.state !== 'rejected') return;
  assert.ok(s.reason instanceof TermcallError, `${what}: ${String(s.reason)}`);
  assert.equal(s.reason.code, 'ERR_LISTENER_CLOSED');
}

test('nextSession() calls waiting when the listener closes reject with ERR_LISTENER_CLOSED', async (t) => {
  const l = await listen({ port: 0, host: '127.0.0.1', call: CALL });
  t.after(() => l.close());
  const first = l.nextSession();
  const second = l.nextSession();
  await l.close();
  closedError(await settleWithin(first), 'first waiter');
  closedError(await settleWithin(second), 'second waiter');
});

test('nextSession() after close() rejects at once with ERR_LISTENER_CLOSED', async () => {
  const l = await listen({ port: 0, host: '127.0.0.1', call: CALL });
  await l.close();
  closedError(await settleWithin(l.nextSession()), 'after close');
});

test('a nextSession() nobody awaits does not become an unhandled rejection when the listener closes', async () => {
  const l = await listen({ port: 0, host: '127.0.0.1', call: CALL });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
  process.on('unhandledRejection', onUnhandled);
  try {
    void l.nextSession();
    await l.close();
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  assert.deepEqual(unhandled, []);
});
