// A link that goes silent mid-call (a stalled proxy between two real termcalls in tmux): the caller shows
// "reconnecting", calls back when the link returns, and the call is connected again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startThrottleProxy } from '../../src/bench/throttle-proxy.js';
import { Tmux, waitFor } from '../helpers/tui-tmux.js';
import { needTools } from '../helpers/require-tool.js';

const skip = needTools('tmux');

test('a stalled link: the caller reconnects and the call comes back', { skip, timeout: 90_000 }, async (t) => {
  const tm = new Tmux();
  t.after(() => tm.kill());
  tm.start('a', 100, 30);
  tm.start('b', 100, 30);
  tm.runTui('a', ['listen', '--port', '0', '--bind', '127.0.0.1', '--auto-accept', '--name', 'alice', '--source', 'test',
    '--log-file', path.join(tm.dir, 'alice.log')]);
  const port = await waitFor(() => Number(/listening on 127\.0\.0\.1:(\d+)/.exec(tm.plain('a'))?.[1] ?? 0) || null, 20_000, "alice's port");
  const proxy = await startThrottleProxy(port);
  t.after(() => proxy.close());
  tm.runTui('b', ['call', `127.0.0.1:${proxy.port}`, '--no-listen', '--name', 'bob', '--source', 'test',
    '--log-file', path.join(tm.dir, 'bob.log')]);
  await waitFor(() => /● connected \| alice/.test(tm.plain('b')), 20_000, 'bob connected');

  proxy.setStalled(true);
  await waitFor(() => /reconnecting/.test(tm.plain('b')), 15_000, 'bob shows reconnecting');
  assert.match(tm.plain('b'), /h stops, q quits/);
  proxy.setStalled(false);
  await waitFor(() => /● connected \| alice/.test(tm.plain('b')), 30_000, 'bob connected again');
  await waitFor(() => /in [1-9][0-9.]*fps/.test(tm.plain('b')), 10_000, 'frames flow again');

  tm.keys('b', 'q');
  await waitFor(() => tm.plain('b').includes('EXIT=0'), 10_000, 'bob quit');
});
