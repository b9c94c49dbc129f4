// The SSH signalling line protocol without ssh: parsing, every split point, the line bound, and the serving loop's
// answers and refusals against a stub answerer.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { LineReader, formatSignalLine, parseSignalLine } from '../../../src/transport/signal/lines.js';
import { serveSignal } from '../../../src/transport/signal/serve.js';
import { decodeCallCode, encodeCallCode } from '../../../src/transport/signal/call-code.js';
import { ProtocolError } from '../../../src/shared/errors.js';

test('lines parse and format both ways; unknown error codes become ERR_SIGNAL; text is kept to one printable line', () => {
  assert.deepEqual(parseSignalLine('TERMCALL-SIGNAL 1'), { type: 'hello', version: 1 });
  assert.deepEqual(parseSignalLine('OFFER tco1abc\r'), { type: 'offer', code: 'tco1abc' });
  assert.deepEqual(parseSignalLine('ERROR ERR_CALL_CODE_EXPIRED too old'), { type: 'error', code: 'ERR_CALL_CODE_EXPIRED', text: 'too old' });
  assert.equal((parseSignalLine('ERROR ERR_MADE_UP x') as { code: string }).code, 'ERR_SIGNAL');
  assert.equal(parseSignalLine('hello world').type, 'other');
  assert.equal(formatSignalLine({ type: 'error', code: 'ERR_SIGNAL', text: 'two\nlines\x1b[31m' }), 'ERROR ERR_SIGNAL two lines [31m\n');
});

test('the reader gives the same lines at every split point, and refuses a line past its bound', async () => {
  const text = 'TERMCALL-SIGNAL 1\nOFFER abc\nBYE\n';
  for (let cut = 0; cut <= text.length; cut++) {
    const s = new PassThrough();
    const r = new LineReader(s, 'peer');
    s.write(text.slice(0, cut));
    s.end(text.slice(cut));
    const got: string[] = [];
    for (let l = await r.next(); l !== null; l = await r.next()) got.push(l);
    assert.deepEqual(got, ['TERMCALL-SIGNAL 1', 'OFFER abc', 'BYE'], `cut at ${cut}`);
  }
  const s = new PassThrough();
  const r = new LineReader(s, 'peer', 100);
  s.write('x'.repeat(60));
  s.write('x'.repeat(60));
  await assert.rejects(r.next(), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_SIGNAL' && /longer than 100 bytes/.test(e.message));
});

test('serveSignal answers offers, reports refusals as ERROR lines and keeps going, and ends on BYE', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.setEncoding('utf8');
  output.on('data', (d: string) => { out += d; });
  const done = serveSignal(input, output, async (offer) => {
    if (offer.passphrase) throw new ProtocolError('ERR_PEER_NEEDS_SECRET', 'this side has no passphrase');
    return Uint8Array.of(9, 9);
  });
  const ok = encodeCallCode('offer', Uint8Array.of(1, 2, 3));
  input.write(`OFFER ${ok}\nOFFER ${encodeCallCode('offer', Uint8Array.of(1), { passphrase: true })}\nBYE\n`);
  const r = await done;
  assert.equal(r.ended, 'bye');
  assert.equal(r.answered, 1);
  const lines = out.trim().split('\n');
  assert.equal(lines[0], 'TERMCALL-SIGNAL 1');
  const ans = parseSignalLine(lines[1] ?? '');
  assert.equal(ans.type, 'answer');
  const decoded = decodeCallCode((ans as { code: string }).code, 'answer');
  assert.equal(decoded.offerId, decodeCallCode(ok, 'offer').id, 'the answer names its offer');
  assert.deepEqual([...decoded.blob], [9, 9]);
  assert.equal(lines[2], 'ERROR ERR_PEER_NEEDS_SECRET this side has no passphrase');
});
