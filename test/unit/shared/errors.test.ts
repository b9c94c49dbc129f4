import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, ProtocolError, TermcallError, messageOf } from '../../../src/shared/errors.js';
import { packageRoot } from '../../../src/shared/paths.js';

test('docs/errors.md lists exactly the codes in src/shared/errors.ts', () => {
  const doc = readFileSync(join(packageRoot(), 'docs', 'errors.md'), 'utf8');
  const documented = [...doc.matchAll(/^\| (ERR_[A-Z0-9_]+) \|/gm)].map((m) => m[1]).sort();
  assert.deepEqual(documented, Object.keys(ERROR_CODES).sort());
});

test('errors carry their code, class name and cause', () => {
  const cause = new Error('inner');
  const e = new ProtocolError('ERR_BAD_MAGIC', 'not termcall', { cause });
  assert.ok(e instanceof TermcallError);
  assert.equal(e.name, 'ProtocolError');
  assert.equal(e.code, 'ERR_BAD_MAGIC');
  assert.equal(e.cause, cause);
  assert.equal(messageOf('VideoCapture::New - failed'), 'VideoCapture::New - failed', 'OpenCV throws strings');
});
