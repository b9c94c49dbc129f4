// The passphrase → PSK derivation: the documented scrypt construction, deterministic, normalised, distinct.
import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PSK_BYTES, SCRYPT_PARAMS, SCRYPT_SALT, derivePsk } from '../../../src/transport/secure/kdf.js';
import { PSK_IDENTITY, SECURE_CIPHERS, SECURE_TLS_VERSION } from '../../../src/transport/secure/tls.js';
import * as limits from '../../../src/shared/limits.js';
import { packageRoot } from '../../../src/shared/paths.js';

test('derivePsk is scrypt(NFC passphrase, the fixed salt) with the documented parameters', async () => {
  const key = await derivePsk('correct horse');
  assert.equal(key.length, PSK_BYTES);
  const expect = scryptSync('correct horse', SCRYPT_SALT, PSK_BYTES, { ...SCRYPT_PARAMS, maxmem: 512 * 1024 * 1024 });
  assert.deepEqual(key, expect);
  assert.deepEqual(await derivePsk('correct horse'), key, 'deterministic (and cached)');
  assert.notDeepEqual(await derivePsk('correct horsf'), key);
});

test('the same words typed in another Unicode normal form give the same key', async () => {
  const composed = 'caf\u00e9 na\u00efve';
  const decomposed = 'cafe\u0301 nai\u0308ve';
  assert.notEqual(composed, decomposed);
  assert.deepEqual(await derivePsk(composed), await derivePsk(decomposed));
});

test('docs/security.md states the construction and every security limit with its value', () => {
  const doc = readFileSync(join(packageRoot(), 'docs', 'security.md'), 'utf8');
  for (const s of [SECURE_CIPHERS, SECURE_TLS_VERSION, PSK_IDENTITY, SCRYPT_SALT, `N = 2^${Math.log2(SCRYPT_PARAMS.N)}`, `r = ${SCRYPT_PARAMS.r}`, `p = ${SCRYPT_PARAMS.p}`]) {
    assert.ok(doc.includes(s), `docs/security.md does not mention ${s}`);
  }
  const section = doc.split('## Limits')[1] ?? '';
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \|/gm)) rows.set(m[1] as string, (m[2] as string).trim());
  const names = ['SECURE_HANDSHAKE_TIMEOUT_MS', 'FIRST_BYTE_TIMEOUT_MS', 'MAX_PENDING_CONNECTIONS', 'FREE_FAILED_ATTEMPTS',
    'FAILED_ATTEMPT_BASE_DELAY_MS', 'FAILED_ATTEMPT_MAX_DELAY_MS', 'FAILED_ATTEMPT_MEMORY_MS', 'MAX_TRACKED_ADDRESSES', 'HANDSHAKE_TIMEOUT_MS'];
  for (const n of names) assert.equal(rows.get(n), String((limits as Record<string, unknown>)[n]), `${n} in docs/security.md`);
  assert.equal(rows.size, names.length, 'no stale rows');
});
