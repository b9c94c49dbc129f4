// The start-screen form: editing, focus, the peers list, and what Enter asks for.
import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { FormModel, type KeyPress } from '../../../src/tui/form-model.js';
import { decodeCallCode, encodeCallCode } from '../../../src/transport/signal/call-code.js';

// Type text (one keypress per character, as blessed reports them).
function type(f: FormModel, text: string): void {
  for (const ch of text) f.key(ch, { name: /[a-z]/i.test(ch) ? ch.toLowerCase() : undefined, full: ch } as KeyPress);
}
const key = (name: string, extra: Partial<KeyPress> = {}): KeyPress => ({ name, full: name, ...extra });

test('type host, Tab, type port (replacing the default), Enter: a call', () => {
  const f = new FormModel({ port: 7878, name: 'bob' }, []);
  type(f, '127.0.0.1');
  f.key(undefined, key('tab'));
  assert.equal(f.focus, 'port');
  type(f, '4000');
  assert.deepEqual(f.key('\r', key('enter')), { type: 'call', host: '127.0.0.1', port: 4000, name: 'bob' });
});

test('q is text in a field, but quits on the Call button; Ctrl-C always quits', () => {
  const f = new FormModel({ port: 7878, name: 'me' }, []);
  assert.deepEqual(f.key('q', key('q')), { type: 'none' });
  assert.equal(f.values.host, 'q');
  f.focus = 'call';
  assert.deepEqual(f.key('q', key('q')), { type: 'quit' });
  f.focus = 'host';
  assert.deepEqual(f.key(undefined, { name: 'c', full: 'C-c', ctrl: true }), { type: 'quit' });
});

test('the port takes digits only, Backspace edits, an empty host is refused', () => {
  const f = new FormModel({ port: 7878, name: 'me' }, []);
  f.focus = 'port';
  f.key(undefined, key('right'));
  type(f, 'x9');
  assert.equal(f.values.port, '78789');
  f.key(undefined, key('backspace'));
  assert.equal(f.values.port, '7878');
  const r = f.key('\r', key('enter'));
  assert.equal(r.type, 'invalid');
  assert.equal(f.focus, 'host');
});

test('a bad port is refused', () => {
  const f = new FormModel({ host: 'h', port: 7878, name: 'me' }, []);
  f.values.port = '70000';
  assert.equal(f.key('\r', key('enter')).type, 'invalid');
});

test('peers: arrows pick, Enter calls the picked one', () => {
  const f = new FormModel({ port: 7878, name: 'me' }, [{ name: 'alice', host: 'a.example', port: 1 }, { name: 'bob', host: 'b.example', port: 2 }]);
  f.key(undefined, key('tab', { shift: true }));
  assert.equal(f.focus, 'peers');
  f.key(undefined, key('down'));
  assert.deepEqual(f.key('\r', key('enter')), { type: 'call', host: 'b.example', port: 2, name: 'me', peerName: 'bob' });
  f.key(undefined, key('up'));
  f.key(undefined, key('up'));
  assert.equal(f.focus, 'call', 'up from the first peer leaves the list');
});

test('Tab skips an empty peers list', () => {
  const f = new FormModel({ port: 7878, name: 'me' }, []);
  f.focus = 'call';
  f.key(undefined, key('tab'));
  assert.equal(f.focus, 'host');
});

test('ssh://USER@HOST[:PORT] in the host field asks for a call signalled through ssh; a bad one or a call code says what to do', () => {
  const f = new FormModel({ port: 7878, name: 'bob' }, []);
  type(f, 'ssh://alice@box.example:2222');
  assert.deepEqual(f.key('\r', key('enter')), {
    type: 'ssh', target: { host: 'box.example', user: 'alice', port: 2222 }, url: 'ssh://alice@box.example:2222', name: 'bob',
  });
  f.values.host = 'ssh://-oProxyCommand=x@box';
  const bad = f.key('\r', key('enter'));
  assert.equal(bad.type, 'invalid');
  assert.match(bad.type === 'invalid' ? bad.message : '', /not an ssh:\/\/\[USER@\]HOST\[:PORT\] address/);
  f.values.host = 'tca1ABCDEF';
  const code = f.key('\r', key('enter'));
  assert.match(code.type === 'invalid' ? code.message : '', /an answer code: it goes into the dialog of the call code it answers/);
  assert.equal(f.focus, 'host');
});

test('a call code pasted into the host field (longer than a host) asks to answer it; a cut one says so and keeps the text; Ctrl-O asks for one', () => {
  const offer = encodeCallCode('offer', randomBytes(400));
  assert.ok(offer.length > 255, `${offer.length} characters`);
  const f = new FormModel({ port: 7878, name: 'bob' }, []);
  type(f, offer.slice(0, 100));
  const cut = f.key('\r', key('enter'));
  assert.equal(cut.type, 'invalid');
  assert.match(cut.type === 'invalid' ? cut.message : '', /call code/);
  type(f, offer.slice(100));
  assert.equal(f.values.host, offer, 'the rest of the paste appended');
  const a = f.key('\r', key('enter'));
  assert.equal(a.type, 'answer-code');
  assert.equal(a.type === 'answer-code' ? a.name : '', 'bob');
  assert.deepEqual(a.type === 'answer-code' ? a.offer : null, decodeCallCode(offer, 'offer'));
  assert.deepEqual(f.key(undefined, { name: 'o', full: 'C-o', ctrl: true }), { type: 'offer-code', name: 'bob' });
  // a host stays at 255 characters
  const g = new FormModel({ port: 7878, name: 'bob' }, []);
  type(g, 'h'.repeat(300));
  assert.equal(g.values.host.length, 255);
});
