// Chat text: hostile text becomes visible placeholders, widths are real cell widths, wrapping never splits a wide char.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellWidth, chatTooLong, fitCells, padCells, sanitizeChat, wrapCells } from '../../../src/shared/chat-text.js';
import { MAX_CHAT_BYTES } from '../../../src/shared/limits.js';

test('sanitizeChat: no control character survives; sequences show as text', () => {
  const hostile = [
    '\x1b]52;c;aGVsbG8=\x07', // OSC 52: write the clipboard
    '\x1b]0;pwned\x07', // OSC 0: set the title
    '\x1b[2J\x1b[H\x1b[31m', // CSI: clear, home, red
    '\x9b2J', // 8-bit CSI (C1)
    '\x9d0;t\x9c', // 8-bit OSC and ST
    '\x1bP+q544e\x1b\\', // DCS
    'a\rb\nc\td\x08e\x7f', // CR, LF, TAB, BS, DEL
    '\u202eevil\u2066', // bidi override / isolate
  ];
  for (const h of hostile) {
    const s = sanitizeChat(h);
    assert.doesNotMatch(s, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, JSON.stringify(h));
  }
  assert.equal(sanitizeChat('\x1b]52;c;aGVsbG8=\x07'), '␛]52;c;aGVsbG8=␇');
  assert.equal(sanitizeChat('\x1b[2J'), '␛[2J');
  assert.equal(sanitizeChat('\x9b2J'), '‹9B›2J');
  assert.equal(sanitizeChat('a\rb\nc\td'), 'a␍b␊c␉d');
  assert.equal(sanitizeChat('x\x7f'), 'x␡');
  assert.equal(sanitizeChat('\u202eevil'), '‹202E›evil');
  assert.equal(sanitizeChat('日本語 😀 ok'), '日本語 😀 ok', 'ordinary text is untouched');
});

test('cellWidth: CJK and emoji take two cells', () => {
  assert.equal(cellWidth('abc'), 3);
  assert.equal(cellWidth('日本語'), 6);
  assert.equal(cellWidth('😀'), 2);
  assert.equal(cellWidth('é'), 1);
  assert.equal(cellWidth('e\u0301'), 1, 'a combining mark takes no cell');
});

test('fitCells / padCells never split a wide character', () => {
  assert.equal(fitCells('日本語', 5), '日本');
  assert.equal(padCells('日本語', 5), '日本 ');
  assert.equal(cellWidth(padCells('a😀b', 4)), 4);
  assert.equal(padCells('ab', 4), 'ab  ');
});

test('wrapCells: at spaces, inside long words, by cell width', () => {
  assert.deepEqual(wrapCells('hello there world', 11), ['hello there', 'world']);
  assert.deepEqual(wrapCells('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  const cjk = wrapCells('日本語のテキスト', 5);
  for (const l of cjk) assert.ok(cellWidth(l) <= 5, l);
  assert.equal(cjk.join(''), '日本語のテキスト');
  assert.deepEqual(wrapCells('ab cd', 10, 3), ['ab', 'cd'], 'a shorter first line');
  for (const l of wrapCells('one two three four five six seven', 7, 3)) assert.ok(cellWidth(l) <= 7, l);
});

test('chatTooLong: the protocol limit in UTF-8 bytes, with a clear note', () => {
  assert.equal(chatTooLong('x'.repeat(MAX_CHAT_BYTES)), null);
  const note = chatTooLong('x'.repeat(MAX_CHAT_BYTES + 1));
  assert.match(note ?? '', /not sent: 4097 bytes, the limit is 4096/);
  // 3 bytes per CJK character: 1366 of them are over the limit though far fewer characters
  assert.ok(chatTooLong('日'.repeat(1366)));
  assert.equal(chatTooLong('日'.repeat(1365)), null);
});
