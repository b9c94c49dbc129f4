// The one passphrase policy (docs/security.md): empty is an error, shorter than MIN_SECRET_CHARS warns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSecret } from '../../../src/transport/secure/policy.js';
import { MIN_SECRET_CHARS } from '../../../src/shared/limits.js';
import { UsageError } from '../../../src/shared/errors.js';

test('no passphrase: a plain call, no warning', () => {
  assert.deepEqual(checkSecret(undefined), {});
});

test('an empty passphrase is a usage error', () => {
  assert.throws(() => checkSecret(''), (e: unknown) => e instanceof UsageError && e.code === 'ERR_USAGE');
});

test('shorter than MIN_SECRET_CHARS characters (not bytes) warns; at the limit it does not', () => {
  const short = 'é'.repeat(MIN_SECRET_CHARS - 1);
  assert.match(checkSecret(short).warning ?? '', /short/);
  assert.equal(checkSecret(short).secret, short);
  assert.equal(checkSecret('é'.repeat(MIN_SECRET_CHARS)).warning, undefined);
});
