// docs/tui.md's limits table must match the tui section of src/shared/limits.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as limits from '../../../src/shared/limits.js';

const DOC = fileURLToPath(new URL('../../../../docs/tui.md', import.meta.url));
const SRC = fileURLToPath(new URL('../../../../src/shared/limits.ts', import.meta.url));

test('every limit of the tui section is documented with its value, and no stale rows', () => {
  const section = fs.readFileSync(DOC, 'utf8').split('## Limits')[1] ?? '';
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \|/gm)) rows.set(m[1] as string, (m[2] as string).trim());
  const tuiSection = fs.readFileSync(SRC, 'utf8').split('// --- tui ---')[1]?.split('// ---')[0] ?? '';
  const names = [...tuiSection.matchAll(/^export const ([A-Z0-9_]+)/gm)].map((m) => m[1] as string);
  assert.ok(names.length >= 7);
  for (const name of names) assert.equal(rows.get(name), String((limits as Record<string, unknown>)[name]), `${name} in docs/tui.md`);
  assert.equal(rows.size, names.length, 'no stale rows');
});
