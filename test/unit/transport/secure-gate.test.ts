// The listener's admission limits: per-address slowdown (bounded table, expiry), the pending cap, address keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FailureTable, PendingSet, addressKey } from '../../../src/transport/secure/gate.js';
import { tlsError } from '../../../src/transport/secure/tls.js';
import { classifyCaller } from '../../../src/transport/secure/pake-tcp.js';
import {
  FAILED_ATTEMPT_BASE_DELAY_MS, FAILED_ATTEMPT_MAX_DELAY_MS, FAILED_ATTEMPT_MEMORY_MS, FREE_FAILED_ATTEMPTS,
  MAX_PENDING_CONNECTIONS, MAX_TRACKED_ADDRESSES,
} from '../../../src/shared/limits.js';

/** A clock tests move by hand. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

test('the first FREE_FAILED_ATTEMPTS failures cost nothing; then the delay doubles up to the maximum', () => {
  for (let f = 0; f <= FREE_FAILED_ATTEMPTS; f++) assert.equal(FailureTable.delayFor(f), 0);
  assert.equal(FailureTable.delayFor(FREE_FAILED_ATTEMPTS + 1), FAILED_ATTEMPT_BASE_DELAY_MS);
  assert.equal(FailureTable.delayFor(FREE_FAILED_ATTEMPTS + 2), 2 * FAILED_ATTEMPT_BASE_DELAY_MS);
  let prev = 0;
  for (let f = FREE_FAILED_ATTEMPTS + 1; f < 200; f++) {
    const d = FailureTable.delayFor(f);
    assert.ok(d >= prev && d <= FAILED_ATTEMPT_MAX_DELAY_MS);
    prev = d;
  }
  assert.equal(prev, FAILED_ATTEMPT_MAX_DELAY_MS, 'the delay is capped (limit exceeded by 200 failures)');
});

test('a slowed address waits a delay after its last failure, and parallel attempts are served one per delay', () => {
  const c = fakeClock();
  const tab = new FailureTable(c.now);
  for (let i = 0; i < FREE_FAILED_ATTEMPTS; i++) tab.recordFailure('a');
  assert.equal(tab.takeSlot('a'), 0, 'free failures: no wait');
  tab.recordFailure('a');
  const d = FailureTable.delayFor(FREE_FAILED_ATTEMPTS + 1);
  assert.equal(tab.takeSlot('a'), d);
  assert.equal(tab.takeSlot('b'), 0, 'other addresses are not affected');
  c.advance(d);
  assert.equal(tab.takeSlot('a'), 0, 'served after the delay');
  assert.equal(tab.takeSlot('a'), d, 'a second attempt at the same time waits a full delay more');
  tab.recordSuccess('a');
  assert.equal(tab.takeSlot('a'), 0);
  assert.equal(tab.failures('a'), 0);
});

test('failures are forgotten FAILED_ATTEMPT_MEMORY_MS after the last one', () => {
  const c = fakeClock();
  const tab = new FailureTable(c.now);
  for (let i = 0; i < 10; i++) tab.recordFailure('a');
  c.advance(FAILED_ATTEMPT_MEMORY_MS);
  assert.equal(tab.failures('a'), 10);
  c.advance(1);
  assert.equal(tab.failures('a'), 0);
  assert.equal(tab.size, 0);
});

test('the table never holds more than MAX_TRACKED_ADDRESSES; the least recently failing address goes first', () => {
  const c = fakeClock();
  const tab = new FailureTable(c.now);
  for (let i = 0; i < MAX_TRACKED_ADDRESSES + 500; i++) {
    tab.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    if (i === 10) for (let k = 0; k < 5; k++) tab.recordFailure('keep');
    if (i % 100 === 0) tab.recordFailure('keep');
  }
  assert.equal(tab.size, MAX_TRACKED_ADDRESSES);
  assert.equal(tab.failures('10.0.0.0'), 0, 'the oldest was forgotten');
  assert.ok(tab.failures('keep') > 5, 'a recently failing address is kept');
});

test('the pending set keeps at most MAX_PENDING_CONNECTIONS and drops the oldest first', () => {
  const set = new PendingSet();
  const dropped: number[] = [];
  const entries = Array.from({ length: MAX_PENDING_CONNECTIONS + 5 }, (_v, i) => ({ drop: () => dropped.push(i) }));
  for (const e of entries) set.add(e);
  assert.equal(set.size, MAX_PENDING_CONNECTIONS);
  assert.deepEqual(dropped, [0, 1, 2, 3, 4]);
  set.remove(entries[7] as (typeof entries)[number]);
  assert.equal(set.size, MAX_PENDING_CONNECTIONS - 1);
  set.dropAll();
  assert.equal(set.size, 0);
  assert.equal(dropped.length, 5 + MAX_PENDING_CONNECTIONS - 1);
});

test('addresses are tracked per IPv4 address and per IPv6 /64', () => {
  assert.equal(addressKey('192.0.2.7'), '192.0.2.7');
  assert.equal(addressKey('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressKey('::1'), '0:0:0:0::/64');
});

test('the first bytes tell a PAKE caller, a plain caller and a 0.1 TLS caller apart; TLS MAC failures mean a wrong passphrase', () => {
  const b = (s: string): Buffer => Buffer.from(s, 'latin1');
  assert.equal(classifyCaller(b('TMPK')), 'pake');
  assert.equal(classifyCaller(b('TMCL')), 'plain');
  assert.equal(classifyCaller(b('\x16\x03\x01')), 'tls01');
  assert.equal(classifyCaller(b('TM')), 'more', 'could still be either magic');
  assert.equal(classifyCaller(b('')), 'more');
  assert.equal(classifyCaller(b('TMXX')), 'garbage');
  assert.equal(classifyCaller(b('GET ')), 'garbage');
  assert.equal(classifyCaller(b('G')), 'garbage', 'decided from one byte');
  const mac = Object.assign(new Error('bad record mac'), { code: 'ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC' });
  assert.equal(tlsError(mac, 'x').code, 'ERR_AUTH_FAILED');
  const dec = Object.assign(new Error('decryption failed'), { code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC' });
  assert.equal(tlsError(dec, 'x').code, 'ERR_AUTH_FAILED');
  const other = Object.assign(new Error('no shared cipher'), { code: 'ERR_SSL_NO_SHARED_CIPHER' });
  assert.equal(tlsError(other, 'x').code, 'ERR_SECURE_HANDSHAKE');
  assert.equal(tlsError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'x').code, 'ERR_PEER_CLOSED');
});
