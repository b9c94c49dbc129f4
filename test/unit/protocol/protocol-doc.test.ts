// docs/protocol.md must agree with the code: the message table with PAYLOAD_LIMITS, the limits table with limits.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PAYLOAD_LIMITS } from '../../../src/protocol/messages.js';
import * as L from '../../../src/shared/limits.js';

const doc = readFileSync(new URL('../../../../docs/protocol.md', import.meta.url), 'utf8');

/** Table rows (cells) following an HTML comment marker. */
function tableAfter(marker: string): string[][] {
  const start = doc.indexOf(marker);
  assert.ok(start >= 0, `marker ${marker} missing`);
  const rows: string[][] = [];
  for (const line of doc.slice(start).split('\n').slice(1)) {
    if (!line.startsWith('|')) { if (rows.length) break; continue; }
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows.slice(2);
}

test('message table matches PAYLOAD_LIMITS (ids, names, min, max)', () => {
  const rows = tableAfter('<!-- message-table');
  assert.equal(rows.length, Object.keys(PAYLOAD_LIMITS).length);
  for (const [id, name, range] of rows) {
    const lim = PAYLOAD_LIMITS[Number(id)];
    assert.ok(lim, `type ${id} in the doc is not in the code`);
    assert.equal(name, lim.name);
    assert.equal(range, `${lim.min}–${lim.max}`, name);
  }
});

test('limits table lists every wire limit with its value', () => {
  const rows = tableAfter('<!-- limits-table');
  const consts = L as unknown as Record<string, number>;
  for (const [name, value] of rows) assert.equal(Number(value), consts[name as string], name);
  const wireNames = ['PROTOCOL_VERSION', 'MAX_JPEG_BYTES', 'PING_TIMEOUT_MS', 'MAX_FRAMES_IN_FLIGHT', 'STATS_INTERVAL_MS', 'RING_TIMEOUT_MS'];
  for (const n of wireNames) assert.ok(rows.some((r) => r[0] === n), `${n} missing from the doc`);
});
