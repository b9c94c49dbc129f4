// A plain listener after a few garbage connections from one address: the slowed-down connection that follows still
// reaches whoever awaits nextSession() before it can end, and a real termcall call from that address clears it.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { dial, listen } from '../../src/transport/connect.js';
import { FREE_FAILED_ATTEMPTS } from '../../src/shared/limits.js';
import { once } from '../helpers/net-pair.js';
import { GARBAGE, poke } from '../helpers/secure-raw.js';

const noVideo = { pane: { width: 0, height: 0 } } as const;

test('a slowed-down garbage connection is handed out by nextSession() before it closes (the awaiting code sees its close)', async (t) => {
  const l = await listen({ port: 0, host: '127.0.0.1', call: { name: 'L', ...noVideo, autoAccept: true } });
  t.after(() => l.close());
  const port = l.address().port;
  for (let i = 0; i < FREE_FAILED_ATTEMPTS + 1; i++) await poke(port, GARBAGE);
  const throttled = once(l, 'throttled');
  const next = l.nextSession();
  const sock = net.connect({ host: '127.0.0.1', port }, () => sock.write(GARBAGE));
  sock.on('error', () => undefined);
  sock.resume();
  t.after(() => sock.destroy());
  await throttled;
  const s = await next;
  // The way `termcall listen --headless` follows a call: listeners attached right after the await.
  assert.equal(s.isClosed(), false, 'the session had already ended before the code awaiting nextSession() ran');
  const [info] = await once<[{ error?: { code: string } }]>(s, 'close');
  assert.equal(info.error?.code, 'ERR_BAD_MAGIC');
});

test('a real call from an address clears its failed attempts on a plain listener', async (t) => {
  const l = await listen({ port: 0, host: '127.0.0.1', call: { name: 'L', ...noVideo, autoAccept: true } });
  t.after(() => l.close());
  const port = l.address().port;
  for (let i = 0; i < FREE_FAILED_ATTEMPTS + 1; i++) await poke(port, GARBAGE);
  assert.equal(l.failures.failures('127.0.0.1'), FREE_FAILED_ATTEMPTS + 1);
  const next = l.nextSession();
  const d = await dial('127.0.0.1', port, { name: 'D', ...noVideo });
  const s = await next;
  t.after(() => { d.hangup(); s.hangup(); });
  await d.established;
  assert.equal(l.failures.failures('127.0.0.1'), 0, 'a termcall HELLO from the address forgets its garbage');
});
