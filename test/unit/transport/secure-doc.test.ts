// docs/security.md states the construction (PAKE suite, AD, TLS suite and identity) and every security limit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PAKE_AD } from '../../../src/transport/secure/pake.js';
import { PSK_IDENTITY, SECURE_CIPHERS, SECURE_TLS_VERSION } from '../../../src/transport/secure/tls.js';
import * as limits from '../../../src/shared/limits.js';
import { packageRoot } from '../../../src/shared/paths.js';

test('docs/security.md states the construction and every security limit with its value', () => {
  const doc = readFileSync(join(packageRoot(), 'docs', 'security.md'), 'utf8');
  for (const s of [SECURE_CIPHERS, SECURE_TLS_VERSION, PSK_IDENTITY, new TextDecoder().decode(PAKE_AD), 'CPaceRistretto255', 'draft-irtf-cfrg-cpace']) {
    assert.ok(doc.includes(s), `docs/security.md does not mention ${s}`);
  }
  const section = doc.split('## Limits')[1] ?? '';
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \|/gm)) rows.set(m[1] as string, (m[2] as string).trim());
  const names = ['PAKE_TIMEOUT_MS', 'PAKE_MAX_MESSAGE_BYTES', 'SECURE_HANDSHAKE_TIMEOUT_MS', 'FIRST_BYTE_TIMEOUT_MS', 'MAX_PENDING_CONNECTIONS',
    'FREE_FAILED_ATTEMPTS', 'FAILED_ATTEMPT_BASE_DELAY_MS', 'FAILED_ATTEMPT_MAX_DELAY_MS', 'FAILED_ATTEMPT_MEMORY_MS', 'MAX_TRACKED_ADDRESSES',
    'HANDSHAKE_TIMEOUT_MS'];
  for (const n of names) assert.equal(rows.get(n), String((limits as Record<string, unknown>)[n]), `${n} in docs/security.md`);
  assert.equal(rows.size, names.length, 'no stale rows');
});
