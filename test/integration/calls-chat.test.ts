// Chat through the call controller: two Calls on 127.0.0.1 exchange messages both ways; the limit and "no call" are
// refused with typed errors (nothing sent); a tutorial wire says chat is not available.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Logger } from '../../src/shared/log.js';
import { Calls } from '../../src/calls/calls.js';
import { TutorialCalls } from '../../src/calls/tutorial-calls.js';
import { MAX_CHAT_BYTES } from '../../src/shared/limits.js';
import { TermcallError } from '../../src/shared/errors.js';
import { once } from '../helpers/net-pair.js';
import { sharpDecode } from '../helpers/net-test-source.js';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, close: () => undefined };

// A Calls side without a source.
function side(name: string): Calls {
  return new Calls({ name: () => name, renderer: () => 'none', pane: () => ({ width: 160, height: 120 }), source: () => null, decode: sharpDecode, fps: 10 }, quiet);
}

test('chat both ways through CallSide; over the limit and without a call it throws, sending nothing', async (t) => {
  const alice = side('alice');
  const bob = side('bob');
  t.after(() => Promise.all([alice.stop(), bob.stop()]));
  assert.match(bob.chatUnavailable ?? '', /no call/);
  assert.throws(() => bob.sendChat('early'), (e: unknown) => e instanceof TermcallError && e.code === 'ERR_CHAT_UNAVAILABLE');
  const at = await alice.listen(0, '127.0.0.1', true);
  const up = Promise.all([once(alice, 'connected'), once(bob, 'connected')]);
  await bob.dial('127.0.0.1', at.port);
  await up;
  assert.equal(bob.chatUnavailable, null);
  const got = once<[string]>(alice, 'chat');
  bob.sendChat('hello 日本語 😀 \x1b]52;c;eA==\x07');
  assert.deepEqual(await got, ['hello 日本語 😀 \x1b]52;c;eA==\x07'], 'delivered as sent (the display sanitises)');
  assert.throws(() => alice.sendChat('x'.repeat(MAX_CHAT_BYTES + 1)), (e: unknown) => e instanceof TermcallError && e.code === 'ERR_MESSAGE_TOO_LARGE');
  const back = once<[string]>(bob, 'chat');
  alice.sendChat('x'.repeat(MAX_CHAT_BYTES));
  assert.equal((await back)[0].length, MAX_CHAT_BYTES, 'exactly the limit goes through, and the refused one never arrived');
});

test('tutorial wires: chat not available', () => {
  const t = new TutorialCalls({ name: () => 'me', renderer: () => 'none', pane: () => ({ width: 1, height: 1 }), source: () => null, decode: sharpDecode, fps: 10,
    tutorial: { wire: 'pickle', rawSize: { width: 640, height: 480 }, send: false } }, quiet);
  assert.match(t.chatUnavailable, /chat not available on this wire/);
  assert.throws(() => t.sendChat(), (e: unknown) => e instanceof TermcallError && e.code === 'ERR_CHAT_UNAVAILABLE');
});
