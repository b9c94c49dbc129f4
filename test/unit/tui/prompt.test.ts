// The incoming-call prompt: its text, y/n, and a timeout that counts as declined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IncomingPrompt } from '../../../src/tui/prompt.js';

// A dialog that records what it shows.
function fakeView(): { shown: string[]; hidden: number; showDialog(l: readonly string[]): void; hideDialog(): void } {
  return {
    shown: [],
    hidden: 0,
    showDialog(l) { this.shown.push(l.join('\n')); },
    hideDialog() { this.hidden++; },
  };
}

test('the prompt says whether the call is encrypted', () => {
  const v = fakeView();
  const p = new IncomingPrompt(v, 60_000);
  p.show('bob', '127.0.0.1:5000', true, () => assert.fail('no timeout'));
  assert.match(v.shown[0] ?? '', /\nencrypted: the caller knows the passphrase$/);
  p.close();
});

test('the prompt says who calls and from where; y accepts, other keys are ignored', () => {
  const v = fakeView();
  const p = new IncomingPrompt(v, 60_000);
  p.show('bob', '127.0.0.1:5000', false, () => assert.fail('no timeout'));
  assert.equal(v.shown[0], 'Incoming call from {bold}bob{/bold} (127.0.0.1:5000) — accept? [y/n]\nnot encrypted: anyone on the network path can watch this call');
  assert.equal(p.answer({ name: 'x' }), null);
  assert.ok(p.isOpen);
  assert.equal(p.answer({ name: 'y' }), 'accept');
  assert.ok(!p.isOpen);
  assert.equal(v.hidden, 1);
  assert.equal(p.answer({ name: 'n' }), null, 'closed: no more answers');
});

test('n declines; a name with braces cannot inject blessed tags', () => {
  const v = fakeView();
  const p = new IncomingPrompt(v, 60_000);
  p.show('{red-fg}eve', '10.0.0.1:1', false, () => assert.fail('no timeout'));
  assert.ok((v.shown[0] ?? '').includes('{open}red-fg{close}eve'));
  assert.equal(p.answer({ name: 'n' }), 'decline');
});

test('no answer in time: the prompt closes and the timeout callback declines', async () => {
  const v = fakeView();
  const p = new IncomingPrompt(v, 20);
  await new Promise<void>((resolve) => p.show('bob', 'a:1', false, resolve));
  assert.ok(!p.isOpen);
  assert.equal(v.hidden, 1);
});

test('a WebRTC caller (a browser, a call code) without a passphrase: encrypted but not authenticated', () => {
  const v = fakeView();
  const p = new IncomingPrompt(v, 60_000);
  p.show('browser', 'browser', false, () => assert.fail('no timeout'), true);
  assert.match(v.shown[0] ?? '', /\nencrypted \(WebRTC\), not authenticated: whoever has the link or code can be the caller$/);
  p.close();
});
