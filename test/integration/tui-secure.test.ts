// Encrypted calls in the TUI (two real termcalls in tmux): the prompt and the status panels say "encrypted";
// a wrong passphrase is refused on the caller's screen with a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Tmux, waitFor } from '../helpers/tui-tmux.js';
import { needTools } from '../helpers/require-tool.js';

const skip = needTools('tmux');
const SECRET = 'plover tundra quiet marble seventeen';

// Starts alice listening with the passphrase; resolves her port.
async function alice(tm: Tmux): Promise<number> {
  tm.start('a', 110, 32);
  tm.runTui('a', ['listen', '--port', '0', '--bind', '127.0.0.1', '--name', 'alice', '--source', 'test', '--secret', SECRET,
    '--log-file', path.join(tm.dir, 'alice.log')]);
  return waitFor(() => Number(/listening on 127\.0\.0\.1:(\d+)/.exec(tm.plain('a'))?.[1] ?? 0) || null, 20_000, "alice's port");
}

test('same passphrase: the prompt and both status panels say encrypted', { skip, timeout: 90_000 }, async (t) => {
  const tm = new Tmux();
  t.after(() => tm.kill());
  const port = await alice(tm);
  tm.start('b', 110, 32);
  tm.runTui('b', ['call', `127.0.0.1:${port}`, '--no-listen', '--name', 'bob', '--source', 'test', '--secret', SECRET,
    '--log-file', path.join(tm.dir, 'bob.log')]);
  await waitFor(() => tm.plain('a').includes('encrypted: the caller knows the passphrase'), 20_000, 'the prompt says encrypted');
  tm.keys('a', 'y');
  for (const s of ['a', 'b']) {
    // The status panel sits beside the video at this width: "state  connected" … "security  encrypted".
    await waitFor(() => /state\s+connected/.test(tm.plain(s)) && /security\s+encrypted/.test(tm.plain(s)), 20_000, `${s} connected and encrypted`);
    assert.ok(!tm.plain(s).includes('not encrypted'));
  }
  tm.keys('b', 'q');
  await waitFor(() => tm.plain('b').includes('EXIT=0'), 10_000, 'bob quit');
});

test('a wrong passphrase: the caller is told, the listener never prompts', { skip, timeout: 90_000 }, async (t) => {
  const tm = new Tmux();
  t.after(() => tm.kill());
  const port = await alice(tm);
  tm.start('b', 110, 32);
  tm.runTui('b', ['call', `127.0.0.1:${port}`, '--no-listen', '--name', 'bob', '--source', 'test', '--secret', 'something else entirely',
    '--log-file', path.join(tm.dir, 'bob.log')]);
  await waitFor(() => /passphrase does not match/.test(tm.plain('b')), 20_000, 'bob is told the passphrase does not match');
  assert.ok(!tm.plain('a').includes('Incoming call'), 'alice was never asked');
  tm.keys('b', 'Escape');
  await waitFor(() => tm.plain('b').includes('EXIT='), 10_000, 'bob quit');
});
