// docs/rendering.md's limits table must match src/shared/limits.ts (the renderers' section).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as limits from '../../../src/shared/limits.js';

const DOC = fileURLToPath(new URL('../../../../docs/rendering.md', import.meta.url));
const RENDER_LIMITS = [
  'RENDER_TOLERANCE_RMS', 'RENDER_REUSE_TOLERANCE_RMS', 'RENDER_DRIFT_TOLERANCE_RMS', 'RENDER_DRIFT_ROWS_PER_FRAME',
  'RENDER_PALETTE_TOLERANCE', 'PROBE_TIMEOUT_MS', 'MAX_PROBE_REPLY_BYTES', 'MAX_SIXEL_SIDE_PX',
] as const;

test('every renderer limit is documented with its value', () => {
  const text = fs.readFileSync(DOC, 'utf8');
  const section = text.slice(text.indexOf('## Limits'));
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \|/gm)) rows.set(m[1] as string, (m[2] as string).trim());
  for (const name of RENDER_LIMITS) {
    const value = (limits as Record<string, unknown>)[name];
    assert.equal(typeof value, 'number', `${name} exists in limits.ts`);
    assert.equal(rows.get(name), String(value), `${name} in docs/rendering.md`);
  }
  assert.equal(rows.size, RENDER_LIMITS.length, 'no stale rows');
});
