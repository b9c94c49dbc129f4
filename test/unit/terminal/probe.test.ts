// The probe's I/O loop with fake tty streams: chunked replies, timeout, raw mode restored, limit on reply bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type tty from 'node:tty';
import { PROBE_QUERY, collectReplies } from '../../../src/terminal/probe.js';
import { MAX_PROBE_REPLY_BYTES } from '../../../src/shared/limits.js';
import { detectCaps } from '../../../src/render/caps.js';
import { sixelRegisters } from '../../../src/render/sixel.js';

// A fake raw-capable input stream that records mode changes.
class FakeInput extends EventEmitter {
  isRaw = false;
  modes: boolean[] = [];
  paused = false;
  setRawMode(v: boolean): this {
    this.isRaw = v;
    this.modes.push(v);
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  pause(): this {
    this.paused = true;
    return this;
  }
}

// A fake output that answers the queries in the given chunks, one per tick.
function fakeOutput(input: FakeInput, chunks: string[]): { written: string[] } & Partial<tty.WriteStream> {
  const written: string[] = [];
  return {
    written,
    write(s: string | Uint8Array): boolean {
      written.push(String(s));
      chunks.forEach((c, i) => setTimeout(() => input.emit('data', Buffer.from(c, 'latin1')), i));
      return true;
    },
  } as { written: string[] } & Partial<tty.WriteStream>;
}

const REPLY = '\x1b[?2;0;800;510S\x1b[6;20;10t\x1b[?63;1;2;4;6;9;15;16;22;28c';

test('queries go out in one write with DA1 last; chunked replies are joined; raw mode is restored', async () => {
  for (const split of [1, 5, 17, REPLY.length - 1]) {
    const input = new FakeInput();
    const out = fakeOutput(input, [REPLY.slice(0, split), REPLY.slice(split)]);
    const data = await collectReplies(input as unknown as tty.ReadStream, out as unknown as tty.WriteStream, 1000);
    assert.equal(data, REPLY);
    assert.deepEqual(out.written, [PROBE_QUERY]);
    assert.ok(PROBE_QUERY.endsWith('\x1b[c'));
    assert.deepEqual(input.modes, [true, false], 'raw on, then restored');
    assert.equal(input.paused, true);
    assert.equal(input.listenerCount('data'), 0);
  }
});

test('a terminal that never answers: gives up after the timeout, mode restored', async () => {
  const input = new FakeInput();
  const out = fakeOutput(input, []);
  const data = await collectReplies(input as unknown as tty.ReadStream, out as unknown as tty.WriteStream, 30);
  assert.equal(data, '');
  assert.deepEqual(input.modes, [true, false]);
});

test('reply bytes beyond MAX_PROBE_REPLY_BYTES are dropped', async () => {
  const input = new FakeInput();
  const out = fakeOutput(input, ['y'.repeat(MAX_PROBE_REPLY_BYTES + 100)]);
  const data = await collectReplies(input as unknown as tty.ReadStream, out as unknown as tty.WriteStream, 30);
  assert.equal(data.length, MAX_PROBE_REPLY_BYTES);
});

test('the sixel colour registers from the probe: a reply, a garbage reply, no XTSMGRAPHICS reply, no reply at all', async () => {
  const da1 = '\x1b[?63;1;2;4;6;9;15;16;22;28c';
  const cases: [string[], number | null, number][] = [
    [['\x1b[?1;0;256S\x1b[?2;0;800;510S', da1], 256, 256], // xterm -xrm 'XTerm*numColorRegisters: 256'
    [['\x1b[?1;0;1024S', da1], 1024, 256], // xterm -ti vt340's default: capped
    [['\x1b[?1;0;0S\x1b[?1;0;', da1], null, 16], // garbage: a count of 0, then a reply cut off
    [[da1], null, 16], // no XTSMGRAPHICS (a VT340)
    [[], null, 16], // never answers: the timeout ends the probe
  ];
  for (const [chunks, reported, used] of cases) {
    const input = new FakeInput();
    const out = fakeOutput(input, chunks);
    const data = await collectReplies(input as unknown as tty.ReadStream, out as unknown as tty.WriteStream, 50);
    const caps = detectCaps({ TERM: 'xterm' }, { data });
    assert.equal(caps.sixelColorRegisters, reported, JSON.stringify(chunks));
    assert.equal(sixelRegisters(caps).registers, used, JSON.stringify(chunks));
    assert.deepEqual(input.modes, [true, false]);
  }
});
