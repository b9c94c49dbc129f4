// The call-code dialog (pure): the code shown whole in chunks, the answer field (a paste in pieces, line breaks
// ignored), Enter submits once per press, Esc cancels; the answer side has no field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE_LINE_CHARS, CodeDialog, codeLines } from '../../../src/tui/code-dialog.js';

// A dialog view that records what it shows.
function fakeView(): { shown: string[]; hidden: number; showDialog(l: readonly string[]): void; hideDialog(): void } {
  return { shown: [], hidden: 0, showDialog(l) { this.shown.push(l.join('\n')); }, hideDialog() { this.hidden++; } };
}

const CODE = 'tco1' + 'abcdefghjk'.repeat(20);
const type = (d: CodeDialog, text: string): void => { for (const ch of text) d.key(ch, { name: ch, full: ch }); };

test('the code is shown whole, in lines of CODE_LINE_CHARS, and the lines joined give it back', () => {
  const lines = codeLines(CODE);
  assert.ok(lines.every((l) => l.length <= CODE_LINE_CHARS));
  assert.equal(lines.join(''), CODE);
  const v = fakeView();
  new CodeDialog(v).showOffer(CODE, '/state/call-code.txt');
  const shown = v.shown.at(-1) ?? '';
  for (const l of lines) assert.ok(shown.includes(`\n${l}\n`), l);
  assert.match(shown, /termcall answer CODE/);
  assert.match(shown, /also in \/state\/call-code\.txt/);
  assert.match(shown, /Paste their answer code/);
});

test('the answer field: typed or pasted text, line breaks and spaces dropped on submit; Enter acts once per press', () => {
  const d = new CodeDialog(fakeView());
  d.showOffer(CODE, 'f');
  type(d, 'tca1 abc');
  // blessed reports one Enter as 'enter' then 'return'
  assert.equal(d.key(undefined, { name: 'enter', full: 'enter' }), null);
  assert.deepEqual(d.key('\r', { name: 'return', full: 'return' }), { type: 'submit', text: 'tca1abc' });
  // a refused piece stays; the rest of the paste goes on after it
  type(d, 'def');
  assert.deepEqual(d.key('\r', { name: 'return', full: 'return' }), { type: 'submit', text: 'tca1abcdef' });
  d.connecting();
  assert.equal(d.key('\r', { name: 'return', full: 'return' }), null, 'no second submit while connecting');
  assert.deepEqual(d.key(undefined, { name: 'escape', full: 'escape' }), { type: 'cancel' });
});

test('the answer side shows the code to send back and has no field; a note is shown; close hides it', () => {
  const v = fakeView();
  const d = new CodeDialog(v);
  d.showAnswer('tca1' + 'x'.repeat(100), 'g');
  assert.match(v.shown.at(-1) ?? '', /send it back to the caller/);
  assert.doesNotMatch(v.shown.at(-1) ?? '', /Paste/);
  assert.equal(d.key('a', { name: 'a', full: 'a' }), null);
  d.note('the call code is damaged');
  assert.match(v.shown.at(-1) ?? '', /\{bold\}the call code is damaged\{\/bold\}/);
  assert.ok(d.isOpen);
  d.close();
  assert.equal(d.isOpen, false);
  assert.equal(v.hidden, 1);
});
