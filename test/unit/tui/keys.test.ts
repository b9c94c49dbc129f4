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

test('the help overlay and README list every call key', async () => {
  const { HELP_TEXT } = await import('../../../src/tui/status.js');
  const fs = await import('node:fs');
  const { packageRoot } = await import('../../../src/shared/paths.js');
  const readme = fs.readFileSync(`${packageRoot()}/README.md`, 'utf8').split('## Keys')[1]?.split('\n## ')[0] ?? '';
  const help = HELP_TEXT.join('\n');
  for (const k of ['c', 'C', 'q', 'h', 'p', 'P', 'f', 'r', 'v', 'm', 'M', '?']) {
    assert.match(help, new RegExp(`^  (Enter, )?${k.replace('?', '\\?')}[ ,]`, 'm'), `${k} in the help`);
    assert.ok(readme.includes(`\`${k}\``), `${k} in README's Keys`);
  }
});
