// The chat input line: shell-like editing over graphemes; Enter sends, over the limit it is refused; the view scrolls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineEditor } from '../../../src/tui/line-editor.js';
import { cellWidth } from '../../../src/shared/chat-text.js';
import { MAX_CHAT_BYTES } from '../../../src/shared/limits.js';

// Type a string key by key as blessed reports it.
function type(ed: LineEditor, s: string): void {
  for (const ch of s) ed.key(ch, { name: ch, full: ch });
}
const k = (full: string) => ({ name: full.replace(/^C-/, ''), full, ctrl: full.startsWith('C-') });

test('typing, left/right, backspace, delete, home/end', () => {
  const ed = new LineEditor();
  type(ed, 'helo');
  ed.key(undefined, k('left'));
  type(ed, 'l');
  assert.equal(ed.text, 'hello');
  ed.key(undefined, k('C-a'));
  ed.key(undefined, k('delete'));
  assert.equal(ed.text, 'ello');
  ed.key(undefined, k('end'));
  ed.key(undefined, k('backspace'));
  assert.equal(ed.text, 'ell');
  ed.key(undefined, k('right'));
  assert.equal(ed.cursor, 3, 'right at the end stays');
});

test('Ctrl-U and Ctrl-W, q and other call keys are just text', () => {
  const ed = new LineEditor();
  type(ed, 'quit now  please');
  ed.key(undefined, k('C-w'));
  assert.equal(ed.text, 'quit now  ');
  ed.key(undefined, k('C-w'));
  assert.equal(ed.text, 'quit ');
  ed.key(undefined, k('C-u'));
  assert.equal(ed.text, '');
  type(ed, 'qhpvr?');
  assert.equal(ed.text, 'qhpvr?');
});

test('graphemes: an emoji or CJK character is one step; paste turns line breaks into spaces', () => {
  const ed = new LineEditor();
  ed.insert('a😀日');
  ed.key(undefined, k('left'));
  ed.key(undefined, k('backspace'));
  assert.equal(ed.text, 'a日');
  ed.insert('one\ntwo\r\nthree\x1b[31m');
  assert.equal(ed.text, 'aone two three[31m日', 'pasted controls are dropped, never kept');
});

test('Enter sends, blank lines do nothing, Esc closes, over the limit is refused with a note', () => {
  const ed = new LineEditor();
  assert.deepEqual(ed.key('\r', { name: 'return', full: 'return' }), { type: 'none' });
  type(ed, 'hi');
  assert.deepEqual(ed.key('\r', { name: 'return', full: 'return' }), { type: 'send', text: 'hi' });
  assert.deepEqual(ed.key(undefined, { name: 'escape', full: 'escape' }), { type: 'close' });
  ed.clear();
  ed.insert('x'.repeat(MAX_CHAT_BYTES + 1));
  const r = ed.key('\r', { name: 'return', full: 'return' });
  assert.equal(r.type, 'refused');
  assert.equal(ed.text.length, MAX_CHAT_BYTES + 1, 'nothing is cut');
});

test('view: scrolls to keep the cursor visible, by cell width', () => {
  const ed = new LineEditor();
  ed.insert('日本語のテキストです');
  const v = ed.view(9);
  assert.ok(cellWidth(v.text) <= 9);
  assert.ok(v.cursorCol <= 8, 'one cell left for the cursor');
  assert.ok(v.text.endsWith('です'));
  ed.key(undefined, k('home'));
  assert.equal(ed.view(9).cursorCol, 0);
  assert.ok(ed.view(9).text.startsWith('日本'));
});

test('a combining mark typed after a letter joins its grapheme; a long paste stays linear', () => {
  const ed = new LineEditor();
  ed.insert('e');
  ed.insert('\u0301');
  assert.equal(ed.cursor, 1);
  ed.key(undefined, k('backspace'));
  assert.equal(ed.text, '');
  for (let i = 0; i < 20_000; i++) ed.insert('x');
  assert.equal(ed.text.length, 20_000);
});
