// A bounded share of the fuzzer for the tutorial wires: mutated numpy pickles in length-prefixed streams and raw
// frames in random chunks end in 'accepted' or a coded error, never a crash; the pickle mix reaches the reader's checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCases } from '../../helpers/net-fuzz.js';

test('pickle stream: 1500 structure-aware cases reach the pickle reader, accepted or rejected with a code', async () => {
  const t = await runCases(1, 1500, { only: ['pickle'] });
  const mix = t.format(3);
  assert.equal(t.total('pickle'), 1500);
  assert.ok(t.count('pickle', 'ERR_PICKLE_REJECTED') > 500, mix);
  assert.ok(t.count('pickle', 'accepted') > 100, mix);
  assert.ok(t.count('pickle', 'ERR_PEER_CLOSED') > 0, mix);
  assert.ok(t.count('pickle', 'ERR_MESSAGE_TOO_LARGE') > 0, mix);
  // Rejections come from many different checks, not one.
  assert.ok((t.reasons.get('pickle ERR_PICKLE_REJECTED')?.size ?? 0) > 30, mix);
});

test('raw stream: 300 cases reassemble every whole frame byte for byte and report a partial one at the end', async () => {
  const t = await runCases(1, 300, { only: ['raw'] });
  assert.equal(t.total('raw'), 300);
  assert.ok(t.count('raw', 'accepted') > 0 && t.count('raw', 'ERR_PEER_CLOSED') > 0, t.format());
});
