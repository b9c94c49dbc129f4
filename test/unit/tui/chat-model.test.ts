// The conversation model: unread and flash while hidden, pane lines exactly as wide as the pane.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatModel, flashLine } from '../../../src/tui/chat-model.js';
import { cellWidth } from '../../../src/shared/chat-text.js';
import { TUI_CHAT_FLASH_MS } from '../../../src/shared/limits.js';

test('unread count and flash while the pane is hidden; seen() clears them', () => {
  const m = new ChatModel();
  m.received('alice', 'hi', false, 1000);
  m.received('alice', 'are you there?', false, 2000);
  assert.equal(m.unread, 2);
  assert.equal(m.flash(2500)?.text, 'are you there?');
  assert.equal(m.flash(2000 + TUI_CHAT_FLASH_MS), null, 'the flash ends');
  m.received('alice', 'visible', true, 3000);
  assert.equal(m.unread, 2, 'a message shown in the pane is not unread');
  m.seen();
  assert.equal(m.unread, 0);
  assert.equal(m.flash(3000), null);
});

test('received text is sanitised before it is stored', () => {
  const m = new ChatModel();
  const e = m.received('\x1b]0;x\x07bob', '\x1b]52;c;ZXZpbA==\x07', false);
  assert.equal(e.text, '␛]52;c;ZXZpbA==␇');
  assert.equal(e.name, '␛]0;x␇bob');
});

test('pane lines: every line exactly cols cells, names and times, CJK and emoji wrapped by width', () => {
  const m = new ChatModel();
  const at = new Date(2026, 0, 1, 9, 5).getTime();
  m.sent('bob', 'hello 日本語 and 😀 emoji in a long line that wraps', at);
  m.received('alice', 'ok', true, at);
  const lines = m.lines(20, 10);
  for (const l of lines) assert.equal(cellWidth(l.text), 20, JSON.stringify(l.text));
  assert.match(lines[0]?.text ?? '', /^09:05 bob: hello/);
  assert.match(lines.at(-1)?.text ?? '', /^09:05 alice: ok/);
  assert.equal(m.lines(20, 2).length, 2, 'only the newest rows');
  assert.equal(flashLine({ from: 'peer', name: 'alice', text: '日本語日本語', at: new Date() }, 12), 'alice: 日本…');
});
