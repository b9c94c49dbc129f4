// runPake over real carriers (a TCP socket pair, a worker MessageChannel): same key on a match, clear typed errors on
// both sides otherwise, channel binding, a relaying man in the middle, replays, bad messages, bounded waits.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test, type TestContext } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { lvCat } from '../../../src/transport/secure/cpace.js';
import { PAKE_MSG, PakeError, runPake, type PakeChannel } from '../../../src/transport/secure/pake.js';
import { PAKE_MAX_MESSAGE_BYTES } from '../../../src/shared/limits.js';
import { settleWithin } from '../../helpers/settle.js';

const PASS = 'correct horse battery staple orbit';

/** Two connected TCP sockets on 127.0.0.1, closed after the test. */
async function socketPair(t: TestContext): Promise<[net.Socket, net.Socket]> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const a = net.connect({ host: '127.0.0.1', port });
  const b = await accepted;
  await new Promise((r) => a.once('connect', r));
  t.after(() => { a.destroy(); b.destroy(); server.close(); });
  return [a, b];
}

/** Both sides' outcome: the key or the error. */
async function both(pa: Promise<Uint8Array>, pb: Promise<Uint8Array>) {
  const [ra, rb] = await Promise.all([settleWithin(pa, 10_000), settleWithin(pb, 10_000)]);
  return { a: ra, b: rb };
}

/** The error of a settled outcome, asserted to be a PakeError. */
function errOf(r: Awaited<ReturnType<typeof settleWithin<Uint8Array>>>): PakeError {
  assert.equal(r.state, 'rejected', `expected a failure, got ${r.state}`);
  const e = (r as { reason: unknown }).reason;
  assert.ok(e instanceof PakeError, String(e));
  return e;
}

/** The key of a settled outcome. */
function keyOf(r: Awaited<ReturnType<typeof settleWithin<Uint8Array>>>): Uint8Array {
  assert.equal(r.state, 'fulfilled', JSON.stringify(r));
  return (r as { value: Uint8Array }).value;
}

test('over a TCP socket pair the same passphrase gives both sides the same 32-byte key, fresh each run', async (t) => {
  const keys: string[] = [];
  for (let i = 0; i < 2; i++) {
    const [a, b] = await socketPair(t);
    const r = await both(runPake(a, PASS, 'initiator'), runPake(b, PASS, 'responder'));
    const ka = keyOf(r.a);
    assert.equal(ka.length, 32);
    assert.deepEqual(ka, keyOf(r.b));
    keys.push(Buffer.from(ka).toString('hex'));
  }
  assert.notEqual(keys[0], keys[1], 'each run has its own key');
});

test('a wrong passphrase fails on both sides with ERR_AUTH_FAILED; the responder counts it as a tested guess', async (t) => {
  const [a, b] = await socketPair(t);
  const r = await both(runPake(a, PASS, 'initiator'), runPake(b, 'correct horse battery stable orbit', 'responder'));
  const ea = errOf(r.a);
  const eb = errOf(r.b);
  assert.equal(ea.code, 'ERR_AUTH_FAILED');
  assert.equal(eb.code, 'ERR_AUTH_FAILED');
  assert.match(ea.message, /passphrase does not match/);
  assert.match(eb.message, /passphrase does not match/);
  assert.equal(eb.guessTested, true);
});

test('over a MessageChannel (one PAKE message per port message) it agrees too, and NFC forms of one passphrase match', async () => {
  const { port1, port2 } = new MessageChannel();
  try {
    const r = await both(runPake(port1, 'caf\u00e9 na\u00efve orbit', 'initiator'), runPake(port2, 'cafe\u0301 nai\u0308ve orbit', 'responder'));
    assert.deepEqual(keyOf(r.a), keyOf(r.b));
  } finally {
    port1.close();
  }
});

test('different binding bytes (another channel under the PAKE) fail on both sides even with the right passphrase', async () => {
  const { port1, port2 } = new MessageChannel();
  try {
    const r = await both(runPake(port1, PASS, 'initiator', utf8ToBytes('fp-A|fp-B')), runPake(port2, PASS, 'responder', utf8ToBytes('fp-A|fp-M')));
    assert.equal(errOf(r.a).code, 'ERR_AUTH_FAILED');
    assert.equal(errOf(r.b).code, 'ERR_AUTH_FAILED');
  } finally {
    port1.close();
  }
});

/** A pair of in-memory channels, each recording what it carried; `tap` may rewrite messages from a to b. */
function relayPair(tap: (m: Uint8Array, dir: 'ab' | 'ba') => Uint8Array = (m) => m) {
  const queues = { a: [] as Uint8Array[], b: [] as Uint8Array[] };
  const waiting: { a?: (m: Uint8Array) => void; b?: (m: Uint8Array) => void } = {};
  const log: { dir: 'ab' | 'ba'; m: Uint8Array }[] = [];
  const deliver = (to: 'a' | 'b', m: Uint8Array): void => {
    const w = waiting[to];
    if (w) { waiting[to] = undefined; w(m); } else queues[to].push(m);
  };
  const side = (me: 'a' | 'b'): PakeChannel => ({
    send: (m) => {
      const dir = me === 'a' ? 'ab' : 'ba';
      log.push({ dir, m });
      deliver(me === 'a' ? 'b' : 'a', tap(m, dir));
    },
    receive: () => {
      const m = queues[me].shift();
      return m ? Promise.resolve(m) : new Promise((r) => { waiting[me] = r; });
    },
    release: () => undefined,
  });
  return { a: side('a'), b: side('b'), log };
}

test('a relay in the middle that swaps in its own binding (its own DTLS fingerprints) makes both sides fail', async () => {
  // A thinks it talks over channel X, B over channel Y: the man in the middle terminates both and relays the PAKE.
  const p = relayPair();
  const r = await both(runPake(p.a, PASS, 'initiator', utf8ToBytes('X')), runPake(p.b, PASS, 'responder', utf8ToBytes('Y')));
  assert.equal(errOf(r.a).code, 'ERR_AUTH_FAILED');
  assert.equal(errOf(r.b).code, 'ERR_AUTH_FAILED');
});

test('a recorded reply replayed into a new exchange is refused (fresh session id and shares each run)', async () => {
  const first = relayPair();
  await both(runPake(first.a, PASS, 'initiator'), runPake(first.b, PASS, 'responder'));
  const oldReply = first.log.find((x) => x.dir === 'ba')?.m;
  assert.ok(oldReply && oldReply[0] === PAKE_MSG.reply);
  // A fake responder that only has the recording answers a new initiator with the old reply.
  const fake: PakeChannel = { send: () => undefined, receive: () => Promise.resolve(oldReply), release: () => undefined };
  const e = await runPake(fake, PASS, 'initiator').then(() => null, (x: unknown) => x);
  assert.ok(e instanceof PakeError);
  assert.equal(e.code, 'ERR_AUTH_FAILED');
});

test('tampering with any message in flight fails the exchange', async () => {
  for (const which of [0, 1] as const) {
    let n = 0;
    const p = relayPair((m, dir) => {
      if ((dir === 'ab') !== (which === 0) || n++ > 0) return m;
      const c = Uint8Array.from(m);
      c[c.length - 1] = (c[c.length - 1] ?? 0) ^ 1;
      return c;
    });
    const r = await both(runPake(p.a, PASS, 'initiator'), runPake(p.b, PASS, 'responder'));
    assert.equal(r.a.state, 'rejected', `tampered ${which === 0 ? 'start' : 'reply'}`);
    assert.equal(r.b.state, 'rejected');
  }
});

test('a start announcing another construction version gets a version error on both sides', async () => {
  const sent: Uint8Array[] = [];
  const start = concatBytes(Uint8Array.of(PAKE_MSG.start), lvCat(new Uint8Array(16).fill(7), new Uint8Array(32).fill(1), utf8ToBytes('termcall-pake/9 future')));
  const ch: PakeChannel = { send: (m) => sent.push(m), receive: () => Promise.resolve(start), release: () => undefined };
  const e = await runPake(ch, PASS, 'responder').then(() => null, (x: unknown) => x);
  assert.ok(e instanceof PakeError);
  assert.equal(e.code, 'ERR_VERSION_MISMATCH');
  assert.match(e.message, /termcall-pake\/9 future/);
  assert.deepEqual([...(sent.at(-1) ?? [])], [PAKE_MSG.fail, 2], 'the peer is told');
  // The initiator, told so, says it too.
  const told: PakeChannel = { send: () => undefined, receive: () => Promise.resolve(Uint8Array.of(PAKE_MSG.fail, 2)), release: () => undefined };
  const e2 = await runPake(told, PASS, 'initiator').then(() => null, (x: unknown) => x);
  assert.ok(e2 instanceof PakeError);
  assert.equal(e2.code, 'ERR_VERSION_MISMATCH');
});

test('an identity-element share and a malformed start are refused without an answer keyed by the passphrase', async () => {
  for (const ya of [new Uint8Array(32), new Uint8Array(32).fill(0xff)]) {
    const sent: Uint8Array[] = [];
    const start = concatBytes(Uint8Array.of(PAKE_MSG.start), lvCat(new Uint8Array(16).fill(7), ya, utf8ToBytes('termcall-pake/1 cpace-ristretto255-sha512')));
    const ch: PakeChannel = { send: (m) => sent.push(m), receive: () => Promise.resolve(start), release: () => undefined };
    const e = await runPake(ch, PASS, 'responder').then(() => null, (x: unknown) => x);
    assert.ok(e instanceof PakeError);
    assert.equal(e.code, 'ERR_SECURE_HANDSHAKE');
    assert.equal(e.guessTested, false);
    assert.ok(sent.every((m) => m[0] === PAKE_MSG.fail), 'no reply with a tag was sent');
  }
});

test('on a stream, a length prefix over the limit is refused at once; a silent peer times out; bytes after the PAKE stay readable', async (t) => {
  const [a, b] = await socketPair(t);
  const pb = runPake(b, PASS, 'responder');
  const head = Buffer.alloc(2);
  head.writeUInt16BE(PAKE_MAX_MESSAGE_BYTES + 1);
  a.write(head);
  const e = await pb.then(() => null, (x: unknown) => x);
  assert.ok(e instanceof PakeError);
  assert.equal(e.code, 'ERR_SECURE_HANDSHAKE');
  assert.match(e.message, /at most 512/);

  const [c, d] = await socketPair(t);
  const e2 = await runPake(d, PASS, 'responder', new Uint8Array(), { timeoutMs: 300 }).then(() => null, (x: unknown) => x);
  assert.ok(e2 instanceof PakeError);
  assert.equal(e2.code, 'ERR_HANDSHAKE_TIMEOUT');
  c.destroy();

  const [x, y] = await socketPair(t);
  const px = runPake(x, PASS, 'initiator').then((k) => { x.write('after'); return k; });
  const ky = await runPake(y, PASS, 'responder');
  assert.deepEqual(await px, ky);
  const rest = await new Promise<string>((resolve) => {
    let s = '';
    y.on('data', (chunk: Buffer) => { s += chunk.toString(); if (s.length >= 5) resolve(s); });
    y.resume();
  });
  assert.equal(rest, 'after');
});

test('a peer that starts the termcall protocol in the clear (no passphrase) is named as such, not as garbage', async (t) => {
  const [a, b] = await socketPair(t);
  const pb = runPake(b, PASS, 'responder');
  a.write(Buffer.concat([Buffer.from('TMCL'), Buffer.from([0, 2, 0, 0])]));
  const e = await pb.then(() => null, (x: unknown) => x);
  assert.ok(e instanceof PakeError);
  assert.equal(e.code, 'ERR_PEER_HAS_NO_SECRET');
  assert.match(e.message, /does not use a passphrase/);
});
