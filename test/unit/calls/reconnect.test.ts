import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reconnector, linkLost } from '../../../src/calls/reconnect.js';
import { ProtocolError } from '../../../src/shared/errors.js';
import { RECONNECT_INTERVAL_MS, RECONNECT_WINDOW_MS } from '../../../src/shared/limits.js';
import type { CloseInfo } from '../../../src/call/session.js';

const closed = (reason: CloseInfo['reason'], code?: ProtocolError['code']): CloseInfo =>
  ({ reason, byPeer: true, text: 'x', ...(code ? { error: new ProtocolError(code, code) } : {}) });
const flush = () => new Promise<void>((r) => setImmediate(r));

test('a lost link is told apart from a decision', () => {
  assert.ok(linkLost(closed('timeout', 'ERR_PING_TIMEOUT')));
  assert.ok(linkLost(closed('goingAway', 'ERR_PEER_CLOSED')));
  assert.ok(!linkLost(closed('hangup')));
  assert.ok(!linkLost(closed('declined', 'ERR_CALL_DECLINED')));
  assert.ok(!linkLost(closed('protocolError', 'ERR_BAD_MESSAGE')));
});

test('it redials every interval within the window, then gives up with the last reason', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let now = 0;
  const r = new Reconnector(() => now);
  let dials = 0;
  let gaveUp = '';
  r.start(async () => { dials++; throw new ProtocolError('ERR_CONNECT_FAILED', `unreachable ${dials}`); }, (why) => { gaveUp = why; });
  for (let i = 0; i < 100 && r.isActive; i++) {
    await flush();
    now += RECONNECT_INTERVAL_MS;
    t.mock.timers.tick(RECONNECT_INTERVAL_MS);
  }
  assert.ok(!r.isActive);
  assert.equal(dials, Math.floor(RECONNECT_WINDOW_MS / RECONNECT_INTERVAL_MS) + 1, 'one dial at the start and one per interval across the window');
  assert.match(gaveUp, /^unreachable \d+$/);
});

test('a refused connection (the peer is gone) gives up at once', async () => {
  const r = new Reconnector();
  let dials = 0;
  let gaveUp = '';
  r.start(async () => { dials++; throw new ProtocolError('ERR_CONNECT_REFUSED', 'refused'); }, (why) => { gaveUp = why; });
  await flush();
  assert.equal(dials, 1);
  assert.equal(gaveUp, 'refused');
  assert.ok(!r.isActive);
});

test('a call-back session that fails on the link is retried; a decision or connecting ends it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const r = new Reconnector(() => 0);
  let dials = 0;
  let gaveUp: string | null = null;
  r.start(async () => { dials++; }, (why) => { gaveUp = why; });
  await flush();
  r.sessionEnded(closed('timeout', 'ERR_HANDSHAKE_TIMEOUT'));
  t.mock.timers.tick(RECONNECT_INTERVAL_MS);
  await flush();
  assert.equal(dials, 2, 'retried after a handshake timeout');
  r.sessionEnded(closed('busy', 'ERR_CALL_DECLINED'));
  t.mock.timers.tick(RECONNECT_INTERVAL_MS);
  await flush();
  assert.equal(dials, 3, 'retried after busy (the peer still held the dead call)');
  r.sessionEnded(closed('declined', 'ERR_CALL_DECLINED'));
  assert.equal(gaveUp, 'ERR_CALL_DECLINED');
  assert.ok(!r.isActive);

  let gaveUp2: string | null = null;
  r.start(async () => {}, (why) => { gaveUp2 = why; });
  r.connected();
  r.sessionEnded(closed('timeout', 'ERR_PING_TIMEOUT'));
  t.mock.timers.tick(RECONNECT_WINDOW_MS);
  assert.equal(gaveUp2, null, 'nothing happens after connecting');
});
