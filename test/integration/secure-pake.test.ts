// The PAKE on a TCP listener: a caller that takes the listener's reply (one online guess) and walks away is counted
// as a failed attempt, so the per-address slowdown still bounds online guessing.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { listen, type CallOptions } from '../../src/transport/connect.js';
import { PAKE_MAGIC } from '../../src/protocol/messages.js';
import { duplexChannel } from '../../src/transport/secure/pake-channel.js';
import { PAKE_MSG, runPake } from '../../src/transport/secure/pake.js';
import type { ProtocolError } from '../../src/shared/errors.js';
import { sleep } from '../helpers/net-pair.js';

const noVideo = (name: string, extra: Partial<CallOptions> = {}): CallOptions => ({ name, pane: { width: 0, height: 0 }, ...extra });

test('a caller that hangs up once it holds the reply (enough to test one guess) counts as a failed attempt', async (t) => {
  const l = await listen({ port: 0, host: '127.0.0.1', call: noVideo('L', { autoAccept: true }), secret: 'correct horse battery staple orbit' });
  t.after(() => l.close());
  const rejected: ProtocolError[] = [];
  l.on('rejected', (r) => rejected.push(r.error));
  for (let i = 1; i <= 2; i++) {
    const sock = net.connect({ host: '127.0.0.1', port: l.address().port });
    sock.on('error', () => undefined);
    await new Promise((r) => sock.once('connect', r));
    sock.write(PAKE_MAGIC);
    const inner = duplexChannel(sock);
    let reply: Uint8Array | null = null;
    const walkAway = { ...inner, receive: async () => { reply = await inner.receive(); sock.destroy(); throw new Error('gone'); } };
    await runPake(walkAway, `a guess ${i}`, 'initiator').catch(() => undefined);
    assert.equal((reply as Uint8Array | null)?.[0], PAKE_MSG.reply, 'the listener did reply');
    for (let k = 0; k < 100 && rejected.length < i; k++) await sleep(20);
    assert.equal(rejected[i - 1]?.code, 'ERR_PEER_CLOSED');
    assert.equal(l.failures.failures('127.0.0.1'), i, 'counted like a wrong passphrase');
  }
});
