// Call-screen keys and the renderers r cycles through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callKeyAction, supportedRenderers } from '../../../src/tui/keys.js';

test('call keys', () => {
  assert.equal(callKeyAction('q', { name: 'q', full: 'q' }), 'quit');
  assert.equal(callKeyAction(undefined, { name: 'c', full: 'C-c', ctrl: true }), 'interrupt');
  assert.equal(callKeyAction('h', { name: 'h', full: 'h' }), 'hangup');
  assert.equal(callKeyAction('p', { name: 'p', full: 'p' }), 'preview');
  assert.equal(callKeyAction('v', { name: 'v', full: 'v' }), 'pause');
  assert.equal(callKeyAction('r', { name: 'r', full: 'r' }), 'renderer');
  assert.equal(callKeyAction('?', { full: '?' }), 'help');
  assert.equal(callKeyAction(undefined, { name: 'p', full: 'C-p', ctrl: true }), null);
  assert.equal(callKeyAction('x', { name: 'x', full: 'x' }), null);
});

test('renderers the terminal supports, best first', () => {
  assert.deepEqual(supportedRenderers({ colorDepth: 24, sixel: true }, 'truecolor'), ['truecolor', '256', '16', 'ascii', 'sixel']);
  assert.deepEqual(supportedRenderers({ colorDepth: 8, sixel: false }, '256'), ['256', '16', 'ascii']);
  assert.deepEqual(supportedRenderers({ colorDepth: 1, sixel: false }, 'truecolor'), ['truecolor', 'ascii'], 'an explicit choice stays in the cycle');
});
