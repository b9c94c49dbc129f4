// Fragmentation and loss-tolerant reassembly of whole messages on the lossy lane, and one-message decoding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeMessage } from '../../../src/protocol/codec.js';
import { Reassembler, decodeWholeMessage, fragmentMessage } from '../../../src/protocol/datagram.js';
import { MAX_PARTIAL_MESSAGES, PARTIAL_MESSAGE_TIMEOUT_MS } from '../../../src/shared/limits.js';

/** An encoded video message with a jpeg of n bytes. */
function video(seq: number, n: number): Buffer {
  const jpeg = Buffer.alloc(n);
  for (let i = 0; i < n; i++) jpeg[i] = (i * 7 + seq) & 255;
  return encodeMessage({ type: 'video', seq, captureTs: 1000 + seq, width: 64, height: 48, quality: 50, jpeg });
}

test('a message split into fragments comes back whole in any order, and decodes', () => {
  const m = video(3, 50_000);
  const frags = fragmentMessage(m, 9, 4096);
  assert.equal(frags.length, Math.ceil(m.length / (4096 - 8)));
  assert.ok(frags.every((f) => f.length <= 4096));
  const r = new Reassembler(1 << 20);
  const order = frags.map((_f, i) => i).reverse();
  let whole: Buffer | null = null;
  for (const i of order) whole = r.push(frags[i] as Buffer, 0) ?? whole;
  assert.ok(whole);
  assert.deepEqual(whole, m);
  const d = decodeWholeMessage(whole);
  assert.equal(d.type, 'video');
  assert.equal(d.type === 'video' ? d.seq : -1, 3);
});

test('a message missing a fragment is dropped once a newer one completes; its late fragment is ignored', () => {
  const r = new Reassembler(1 << 20);
  const a = fragmentMessage(video(1, 20_000), 1, 4096);
  const b = fragmentMessage(video(2, 20_000), 2, 4096);
  for (const f of a.slice(1)) assert.equal(r.push(f, 0), null);
  let whole: Buffer | null = null;
  for (const f of b) whole = r.push(f, 0) ?? whole;
  assert.ok(whole);
  assert.equal(r.counters.incomplete, 1);
  assert.equal(r.pendingCount, 0);
  assert.equal(r.push(a[0] as Buffer, 0), null);
  assert.equal(r.counters.late, 1);
});

test('incomplete messages expire after PARTIAL_MESSAGE_TIMEOUT_MS and at most MAX_PARTIAL_MESSAGES wait', () => {
  const r = new Reassembler(1 << 20);
  for (let id = 0; id < MAX_PARTIAL_MESSAGES + 3; id++) r.push((fragmentMessage(video(id, 9000), id, 4096)[0]) as Buffer, 0);
  assert.equal(r.pendingCount, MAX_PARTIAL_MESSAGES);
  assert.equal(r.counters.incomplete, 3);
  r.push(fragmentMessage(video(99, 9000), 99, 4096)[0] as Buffer, PARTIAL_MESSAGE_TIMEOUT_MS + 1);
  assert.equal(r.pendingCount, 1);
  assert.equal(r.counters.incomplete, 3 + MAX_PARTIAL_MESSAGES);
});

test('malformed datagrams are counted and dropped; a message over the byte bound is given up', () => {
  const r = new Reassembler(10_000);
  assert.equal(r.push(Buffer.alloc(4), 0), null);
  const bad = Buffer.alloc(20);
  bad.writeUInt16BE(5, 4); // index 5 of count 0
  assert.equal(r.push(bad, 0), null);
  assert.equal(r.counters.malformed, 2);
  let out: Buffer | null = null;
  for (const f of fragmentMessage(video(1, 30_000), 1, 4096)) out = r.push(f, 0) ?? out;
  assert.equal(out, null);
  assert.equal(r.counters.malformed, 3);
});

test('decodeWholeMessage refuses a length field that does not match, an unknown type, and a header-less datagram', () => {
  const m = video(1, 100);
  assert.throws(() => decodeWholeMessage(m.subarray(0, m.length - 1)), { code: 'ERR_BAD_MESSAGE' });
  assert.throws(() => decodeWholeMessage(Buffer.from([0xee, 0, 0, 0, 0])), { code: 'ERR_UNKNOWN_MESSAGE' });
  assert.throws(() => decodeWholeMessage(Buffer.from([1, 2])), { code: 'ERR_BAD_MESSAGE' });
});
