// A bounded share of the fuzzer (scripts/fuzz-wire.mjs runs the long one): structure-aware cases of the termcall wire
// decoder and of live sessions end in 'accepted' or a coded error, never a crash or a hang, and reach deep states.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCases, type FuzzTally } from '../../helpers/net-fuzz.js';

/** Share of a target's cases whose outcome matches. */
function share(t: FuzzTally, target: 'wire' | 'session', match: (outcome: string) => boolean): number {
  const m = t.counts.get(target) ?? new Map<string, number>();
  return [...m].filter(([o]) => match(o)).reduce((s, [, n]) => s + n, 0) / t.total(target);
}

test('wire decoder: 2000 structure-aware cases; most get past the header checks into payload parsing', async () => {
  const t = await runCases(1, 2000, { only: ['wire'] });
  const mix = t.format();
  assert.equal(t.total('wire'), 2000);
  assert.ok(share(t, 'wire', (o) => o.startsWith('accepted')) > 0.15, mix);
  assert.ok(share(t, 'wire', (o) => o === 'ERR_BAD_MESSAGE') > 0.15, mix);
  assert.ok(share(t, 'wire', (o) => o === 'ERR_UNKNOWN_MESSAGE') < 0.25, mix);
  assert.ok(t.count('wire', 'ERR_MESSAGE_TOO_LARGE') > 0, mix);
  assert.ok(t.count('wire', 'ERR_BAD_MAGIC') < 100, mix);
});

test('session: 400 fuzzed peers; each session closes with a coded error or none, and many get to ringing and active', async () => {
  const t = await runCases(1, 400, { only: ['session'] });
  const mix = t.format();
  assert.equal(t.total('session'), 400);
  assert.ok(share(t, 'session', (o) => o.startsWith('active→')) > 0.2, mix);
  assert.ok(share(t, 'session', (o) => o.startsWith('ringing→')) > 0.1, mix);
  assert.ok(share(t, 'session', (o) => o.endsWith('ERR_UNEXPECTED_MESSAGE')) > 0, mix);
  assert.ok(share(t, 'session', (o) => o.endsWith('ERR_VERSION_MISMATCH') || o.endsWith('ERR_BAD_MAGIC')) < 0.2, mix);
});
