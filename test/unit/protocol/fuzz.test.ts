// Bounded fuzz of the decoder and of a live session: random and mutated input never crashes or hangs.
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { test } from 'node:test';
import { Session, type CloseInfo } from '../../../src/call/session.js';
import { fuzzCase, runFuzzCase } from '../../helpers/net-fuzz.js';

test('decoder: 3000 fuzz cases end in ok or a ProtocolError', () => {
  const tally = new Map<string, number>();
  for (let seed = 1; seed <= 3000; seed++) {
    const code = runFuzzCase(seed);
    tally.set(code, (tally.get(code) ?? 0) + 1);
  }
  // The corpus must reach the deeper checks, not only the magic check.
  assert.ok((tally.get('ERR_MESSAGE_TOO_LARGE') ?? 0) > 0, JSON.stringify([...tally]));
  assert.ok((tally.get('ERR_UNKNOWN_MESSAGE') ?? 0) > 0);
  assert.ok((tally.get('ERR_BAD_MESSAGE') ?? 0) > 0);
});

/** A Duplex whose writes vanish and whose readable side we feed. */
function sink(): Duplex {
  return new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
}

test('session: 300 fuzzed streams each end the session cleanly (no throw, no unhandled error)', async () => {
  for (let seed = 1; seed <= 300; seed++) {
    const stream = sink();
    const s = new Session(stream, { role: seed % 2 ? 'dialer' : 'listener', name: 'fuzz', pane: { width: 160, height: 120 }, autoAccept: true });
    stream.push(fuzzCase(seed));
    stream.push(null);
    const info: CloseInfo = await s.closed;
    assert.equal(s.state, 'closed');
    if (info.error) assert.ok(info.error.code.startsWith('ERR_'));
  }
});
