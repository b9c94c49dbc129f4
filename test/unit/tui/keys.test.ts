// Call-screen keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callKeyAction } from '../../../src/tui/keys.js';

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

test('chat, layout and full-window keys', () => {
  assert.equal(callKeyAction('\r', { name: 'return', full: 'return' }), 'chat');
  assert.equal(callKeyAction('\r', { name: 'enter', full: 'enter' }), null, 'blessed reports Enter twice: only return counts');
  assert.equal(callKeyAction('c', { name: 'c', full: 'c' }), 'chat');
  assert.equal(callKeyAction('C', { name: 'c', full: 'S-c', shift: true }), 'chatPane');
  assert.equal(callKeyAction('P', { name: 'p', full: 'S-p', shift: true }), 'corner');
  assert.equal(callKeyAction('f', { name: 'f', full: 'f' }), 'full');
  assert.equal(callKeyAction(undefined, { name: 'escape', full: 'escape' }), 'escape');
});
