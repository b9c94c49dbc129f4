// termcall 0.1 peers with a passphrase (TLS-PSK from scrypt, no PAKE) meet 0.2 (CPace first): a clear version error on
// both sides, in both directions, and the 0.1 construction is never run.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import tls from 'node:tls';
import { dial, listen, type CallOptions } from '../../src/transport/connect.js';
import { encodeMessage, encodePreamble } from '../../src/protocol/codec.js';
import { ProtocolError } from '../../src/shared/errors.js';
import { sleep } from '../helpers/net-pair.js';

const SECRET = 'correct horse battery staple orbit';
const noVideo = (name: string, extra: Partial<CallOptions> = {}): CallOptions => ({ name, pane: { width: 0, height: 0 }, ...extra });

/** What termcall 0.1's dialer did with a passphrase: TLS 1.2 ECDHE-PSK, identity termcall-v1, straight after TCP. */
function v01Dial(port: number): Promise<Error> {
  return new Promise((resolve) => {
    const raw = net.connect({ host: '127.0.0.1', port }, () => {
      const s = tls.connect({
        socket: raw, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-PSK-CHACHA20-POLY1305',
        pskCallback: () => ({ psk: Buffer.alloc(32, 1), identity: 'termcall-v1' }), checkServerIdentity: () => undefined,
      });
      s.on('error', (e) => resolve(e));
      s.on('secureConnect', () => resolve(new Error('the 0.1 handshake succeeded')));
    });
    raw.on('error', (e) => resolve(e));
  });
}

test('a 0.1 caller with a passphrase gets a TLS protocol_version alert; the listener reports ERR_VERSION_MISMATCH', async (t) => {
  const l = await listen({ port: 0, host: '127.0.0.1', call: noVideo('L', { autoAccept: true }), secret: SECRET });
  t.after(() => l.close());
  const rejected: ProtocolError[] = [];
  l.on('rejected', (r) => rejected.push(r.error));
  const e = await v01Dial(l.address().port);
  assert.match(e.message, /protocol version/i, 'what 0.1 prints: "the encrypted handshake failed: ... alert protocol version"');
  await sleep(100);
  assert.equal(rejected[0]?.code, 'ERR_VERSION_MISMATCH');
  assert.match(rejected[0]?.message ?? '', /termcall 0\.1.*update/);
  assert.equal(l.failures.failures('127.0.0.1'), 0, 'not a guess: no slowdown');
});

test('a 0.2 caller meeting a 0.1 listener with a passphrase says so (ERR_VERSION_MISMATCH), not "no passphrase"', async (t) => {
  // 0.1's secure listener answers anything starting with "T" as a plain caller: preamble, BYE needsSecret, close.
  const old = net.createServer((s) => {
    s.on('error', () => undefined);
    s.once('data', () => s.end(Buffer.concat([encodePreamble(1), encodeMessage({ type: 'bye', reason: 'needsSecret', text: 'this listener requires a passphrase' })])));
  });
  await new Promise<void>((r) => old.listen(0, '127.0.0.1', () => r()));
  t.after(() => old.close());
  const err = await dial('127.0.0.1', (old.address() as net.AddressInfo).port, noVideo('D', { secret: SECRET })).then(() => null, (x: unknown) => x);
  assert.ok(err instanceof ProtocolError, String(err));
  assert.equal(err.code, 'ERR_VERSION_MISMATCH');
  assert.match(err.message, /runs termcall 0\.1.*update termcall there/);
});
