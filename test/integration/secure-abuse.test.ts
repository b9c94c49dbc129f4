// Abuse of a listening termcall: unaccepted callers see no frames, malformed handshakes and floods of half-open
// connections leave the listener working, handshakes time out, and failed attempts from one address are slowed down.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { media } from '../../src/media/media.js';
import { dial, listen, type CallListener, type CallOptions } from '../../src/transport/connect.js';
import type { Session } from '../../src/call/session.js';
import { ProtocolError } from '../../src/shared/errors.js';
import { FIRST_BYTE_TIMEOUT_MS, FREE_FAILED_ATTEMPTS, MAX_PENDING_CONNECTIONS, PAKE_TIMEOUT_MS } from '../../src/shared/limits.js';
import { once, sleep } from '../helpers/net-pair.js';
import { JPEG_SOI, countOf, startRecordingProxy } from '../helpers/secure-proxy.js';
import { BOGUS_TLS_RECORD, GARBAGE, TRUNCATED_CLIENT_HELLO, TRUNCATED_HELLO, TRUNCATED_PAKE_START, poke, silentSockets } from '../helpers/secure-raw.js';

const SECRET = 'seven random words make a decent passphrase';
const noVideo = (name: string, extra: Partial<CallOptions> = {}): CallOptions => ({ name, pane: { width: 0, height: 0 }, ...extra });

/** Dial the listener for real and check the call works (established both ways, a chat line arrives). */
async function realCall(t: { after(fn: () => void): void }, l: CallListener, secret?: string): Promise<void> {
  const next = l.nextSession();
  const d = await dial('127.0.0.1', l.address().port, noVideo('real', secret ? { secret } : {}));
  const s = await next;
  t.after(() => { d.hangup(); s.hangup(); });
  await d.established;
  await s.established;
  assert.equal(d.secure, Boolean(secret));
  const chat = once<[string]>(s, 'chat');
  d.sendChat('still working');
  assert.deepEqual(await chat, ['still working']);
}

test('an unaccepted plain caller receives no frame bytes; after accept, frames do cross (control)', async (t) => {
  const m = media();
  const srcL = await m.openSource({ kind: 'test' }, { fps: 30 });
  const srcD = await m.openSource({ kind: 'test' }, { fps: 30 });
  const listener = await listen({ port: 0, host: '127.0.0.1', call: { name: 'L', pane: { width: 320, height: 240 }, source: srcL } });
  const proxy = await startRecordingProxy(listener.address().port);
  const next = listener.nextSession();
  const d = await dial('127.0.0.1', proxy.port, { name: 'D', pane: { width: 320, height: 240 }, source: srcD });
  const l = await next;
  t.after(async () => { d.hangup(); l.hangup(); await proxy.close(); await listener.close(); await srcL.close(); await srcD.close(); });
  await once(l, 'incoming');
  await sleep(1500);
  assert.equal(d.state, 'ringing');
  assert.equal(countOf(proxy.toCaller(), JPEG_SOI), 0, 'frame bytes reached an unaccepted caller');
  assert.equal(countOf(proxy.toTarget(), JPEG_SOI), 0, 'the caller sent frames before acceptance');
  l.accept();
  await d.established;
  await sleep(1000);
  assert.ok(countOf(proxy.toCaller(), JPEG_SOI) > 0, 'control: frames flow once accepted');
});

for (const secure of [true, false]) {
  const kind = secure ? 'secure' : 'plain';
  test(`malformed handshakes leave a ${kind} listener working for the next real call`, async (t) => {
    const l = await listen({ port: 0, host: '127.0.0.1', call: noVideo('L', { autoAccept: true }), ...(secure ? { secret: SECRET } : {}) });
    t.after(() => l.close());
    const rejected: string[] = [];
    l.on('rejected', (r) => rejected.push(r.error.code));
    const port = l.address().port;
    for (const bytes of [GARBAGE, TRUNCATED_CLIENT_HELLO, BOGUS_TLS_RECORD, TRUNCATED_HELLO, TRUNCATED_PAKE_START, Buffer.alloc(0)]) await poke(port, bytes);
    if (secure) {
      assert.ok(rejected.includes('ERR_BAD_MAGIC'), rejected.join());
      assert.ok(rejected.includes('ERR_PEER_HAS_NO_SECRET'), rejected.join());
    }
    await realCall(t, l, secure ? SECRET : undefined);
  });

  test(`a flood of ${50} half-open connections leaves a ${kind} listener working (pending capped)`, async (t) => {
    const l = await listen({ port: 0, host: '127.0.0.1', call: noVideo('L', { autoAccept: true }), ...(secure ? { secret: SECRET } : {}) });
    const socks = await silentSockets(l.address().port, 50);
    t.after(async () => { for (const s of socks) s.destroy(); await l.close(); });
    let dropped = 0;
    for (const s of socks) s.once('close', () => dropped++);
    // The listener keeps at most MAX_PENDING_CONNECTIONS and drops the oldest for each newcomer.
    while (dropped < 50 - MAX_PENDING_CONNECTIONS) await sleep(20);
    assert.equal(l.pending.size, MAX_PENDING_CONNECTIONS);
    await realCall(t, l, secure ? SECRET : undefined);
    assert.ok(l.pending.size <= MAX_PENDING_CONNECTIONS);
  });
}

test('handshake timeouts: a silent caller, a stalled PAKE caller, and a listener that never answers', async (t) => {
  const l = await listen({ port: 0, host: '127.0.0.1', call: noVideo('L', { autoAccept: true }), secret: SECRET });
  const mute = net.createServer(() => undefined);
  await new Promise<void>((r) => mute.listen(0, '127.0.0.1', () => r()));
  const held: net.Socket[] = [];
  mute.on('connection', (s) => held.push(s));
  t.after(async () => { for (const s of held) s.destroy(); await new Promise((r) => mute.close(r)); await l.close(); });
  const rejected: ProtocolError[] = [];
  l.on('rejected', (r) => rejected.push(r.error));
  const port = l.address().port;
  const [silent, stalled, dialErr] = await Promise.all([
    poke(port, Buffer.alloc(0), true, FIRST_BYTE_TIMEOUT_MS + 10_000),
    poke(port, TRUNCATED_PAKE_START, true, FIRST_BYTE_TIMEOUT_MS + PAKE_TIMEOUT_MS + 10_000),
    dial('127.0.0.1', (mute.address() as net.AddressInfo).port, noVideo('D', { secret: SECRET })).then(() => null, (e: unknown) => e),
  ]);
  assert.equal(silent.length + stalled.length, 0, 'nothing was sent to callers that never finished a handshake');
  assert.deepEqual(rejected.map((e) => e.code), ['ERR_HANDSHAKE_TIMEOUT', 'ERR_HANDSHAKE_TIMEOUT']);
  assert.ok(dialErr instanceof ProtocolError);
  assert.equal(dialErr.code, 'ERR_HANDSHAKE_TIMEOUT');
  assert.match(dialErr.message, /key exchange did not finish/);
});

test('repeated wrong passphrases from one address are slowed down; the right one still gets in and clears them', async (t) => {
  const l = await listen({ port: 0, host: '127.0.0.1', call: noVideo('L', { autoAccept: true }), secret: SECRET });
  const sessions: Session[] = [];
  l.on('session', (s) => sessions.push(s));
  t.after(async () => { for (const s of sessions) s.hangup(); await l.close(); });
  const log: string[] = [];
  l.on('throttled', (r) => log.push(`throttled ${r.failures}`));
  l.on('rejected', (r) => log.push(`rejected ${r.error.code}`));
  const port = l.address().port;
  const wrong = (i: number) => assert.rejects(dial('127.0.0.1', port, noVideo('D', { secret: `wrong guess ${i}` })), { code: 'ERR_AUTH_FAILED' });
  for (let i = 1; i <= FREE_FAILED_ATTEMPTS + 1; i++) {
    log.push(`attempt ${i}`);
    await wrong(i);
    await sleep(50);
  }
  // The free attempts (and the one after them) are served at once; each was rejected, none held.
  assert.deepEqual(log, Array.from({ length: FREE_FAILED_ATTEMPTS + 1 }, (_v, i) => [`attempt ${i + 1}`, 'rejected ERR_AUTH_FAILED']).flat());
  assert.equal(l.failures.failures('127.0.0.1'), FREE_FAILED_ATTEMPTS + 1);
  // Two attempts at once from the slowed address: they are served one per delay, so at least one is held first.
  log.length = 0;
  await Promise.all([wrong(98), wrong(99)]);
  // Each dialer knows at the listener's reply; the listener learns from the dialer's fail message a moment later.
  for (let i = 0; i < 100 && log.filter((e) => e === 'rejected ERR_AUTH_FAILED').length < 2; i++) await sleep(20);
  assert.equal(log.filter((e) => e === 'rejected ERR_AUTH_FAILED').length, 2);
  const firstHeld = log.findIndex((e) => e.startsWith('throttled'));
  assert.ok(firstHeld >= 0, `no attempt was held: ${log.join()}`);
  assert.ok(firstHeld < log.lastIndexOf('rejected ERR_AUTH_FAILED'), 'the held attempt was answered after it was held');
  assert.equal(l.failures.failures('127.0.0.1'), FREE_FAILED_ATTEMPTS + 3);
  // The right passphrase still gets in (after its wait).
  const d = await dial('127.0.0.1', port, noVideo('D', { secret: SECRET }));
  t.after(() => d.hangup());
  await d.established;
  assert.equal(l.failures.failures('127.0.0.1'), 0, 'a successful handshake clears the address');
});
