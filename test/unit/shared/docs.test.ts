import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as limits from '../../../src/shared/limits.js';
import { packageRoot } from '../../../src/shared/paths.js';

test('docs/limits.md and docs/errors.md match the code (node scripts/gen-docs.mjs)', () => {
  const r = spawnSync(process.execPath, ['scripts/gen-docs.mjs', '--check'], { cwd: packageRoot(), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('every exported limit is in docs/limits.md', () => {
  const doc = readFileSync(join(packageRoot(), 'docs', 'limits.md'), 'utf8');
  for (const name of Object.keys(limits)) assert.ok(doc.includes(`| \`${name}\` |`), name);
});

test('every limit in docs/limits.md says what it means (doc comments over one or several lines)', () => {
  const doc = readFileSync(join(packageRoot(), 'docs', 'limits.md'), 'utf8');
  const empty = doc.split('\n').filter((l) => /^\| `[A-Z0-9_]+` \| .* \|\s+\|$/.test(l));
  assert.deepEqual(empty, []);
});
