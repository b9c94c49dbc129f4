// The terminal going away: which errors are a hang-up rather than a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalGone } from '../../../src/terminal/restore.js';

test('terminalGone: EIO or EPIPE on a write or read is the terminal going away; other errors are not', () => {
  const err = (code: string, syscall: string): Error => Object.assign(new Error(`${syscall} ${code}`), { code, syscall });
  assert.ok(terminalGone(err('EIO', 'write')));
  assert.ok(terminalGone(err('EIO', 'read')));
  assert.ok(terminalGone(err('EPIPE', 'write')));
  assert.ok(!terminalGone(err('EIO', 'open')));
  assert.ok(!terminalGone(err('ENOENT', 'write')));
  assert.ok(!terminalGone(new Error('boom')));
  assert.ok(!terminalGone(null));
  assert.ok(!terminalGone('EIO'));
});
