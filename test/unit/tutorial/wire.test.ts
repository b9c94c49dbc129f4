// Streaming decoders of the tutorial wires: recorded streams split everywhere, random chunking, every limit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  DEFAULT_RAW_SIZE,
  encodePickleMessage,
  encodeRawFrame,
  parseRawSize,
  PickleStreamDecoder,
  RawStreamDecoder,
  type TutorialDecoder,
  type WireFrame,
} from '../../../src/tutorial/wire.js';
import { ProtocolError, UsageError } from '../../../src/shared/errors.js';
import * as L from '../../../src/shared/limits.js';
import { packageRoot } from '../../../src/shared/paths.js';
import { sha, type FrameInfo } from '../../helpers/tutorial-fixtures.js';

const ROOT = packageRoot();
const pickleManifest = JSON.parse(readFileSync(join(ROOT, 'fixtures/pickle/manifest.json'), 'utf8')) as Record<string, FrameInfo[]>;
const rawManifest = JSON.parse(readFileSync(join(ROOT, 'fixtures/raw/manifest.json'), 'utf8')) as Record<string, FrameInfo[]>;

/** Feeds chunks, ends the stream, returns the frames. */
function feed(d: TutorialDecoder, chunks: Uint8Array[]): WireFrame[] {
  const out: WireFrame[] = [];
  for (const c of chunks) out.push(...d.push(c));
  d.end();
  return out;
}

/** Asserts the decoded frames are the manifest's. */
function same(got: WireFrame[], want: FrameInfo[], what: string): void {
  assert.equal(got.length, want.length, what);
  got.forEach((f, i) => {
    const w = want[i];
    assert.ok(w);
    assert.equal(f.image.width, w.width, what);
    assert.equal(f.image.height, w.height, what);
    assert.equal(sha(f.image.data), w.sha256, `${what} frame ${i}`);
  });
}

/** Split points to try: all of them for small streams; for big ones the first and last 400 and every 997th. */
function splitPoints(len: number): number[] {
  if (len <= 4096) return Array.from({ length: len + 1 }, (_, i) => i);
  const pts = new Set<number>();
  for (let i = 0; i <= 400; i++) pts.add(i).add(len - i);
  for (let i = 0; i < len; i += 997) pts.add(i);
  return [...pts].sort((a, b) => a - b);
}

/** A seeded PRNG, so failures repeat. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 0x100000000);
}

/** Cuts bytes into random chunks of 1..max bytes. */
function randomChunks(bytes: Buffer, rand: () => number, max: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + Math.floor(rand() * max);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** The decoder and stream of every recorded fixture. */
function recorded(): { name: string; make: () => TutorialDecoder; bytes: Buffer; want: FrameInfo[] }[] {
  const out = [];
  for (const [name, want] of Object.entries(pickleManifest)) {
    out.push({ name, make: () => new PickleStreamDecoder(), bytes: readFileSync(join(ROOT, 'fixtures/pickle', name)), want });
  }
  for (const [name, want] of Object.entries(rawManifest)) {
    const first = want[0];
    assert.ok(first);
    const size = { width: first.width, height: first.height };
    out.push({ name, make: () => new RawStreamDecoder(size), bytes: readFileSync(join(ROOT, 'fixtures/raw', name)), want });
  }
  return out;
}

test('recorded streams split in two at every boundary decode to the recorded frames (160x120: header, tail and every 997th)', () => {
  for (const { name, make, bytes, want } of recorded()) {
    for (const at of splitPoints(bytes.length)) {
      same(feed(make(), [bytes.subarray(0, at), bytes.subarray(at)]), want, `${name} split at ${at}`);
    }
  }
});

test('recorded streams fed one byte at a time (4x4) and in random chunks (all) decode the same', () => {
  const rand = prng(7);
  for (const { name, make, bytes, want } of recorded()) {
    if (bytes.length < 4096) {
      same(feed(make(), Array.from(bytes, (b) => Uint8Array.of(b))), want, `${name} bytewise`);
    }
    for (const max of [3, 100, 5000, 70000]) {
      for (let round = 0; round < 5; round++) same(feed(make(), randomChunks(bytes, rand, max)), want, `${name} chunks<=${max}`);
    }
  }
});

test('many streams back to back in one chunk decode in order', () => {
  const a = readFileSync(join(ROOT, 'fixtures/pickle/4x4-p2-np1.bin'));
  const b = readFileSync(join(ROOT, 'fixtures/pickle/4x4-p5-np2.bin'));
  const got = feed(new PickleStreamDecoder(), [Buffer.concat([a, b, a])]);
  same(got, [...(pickleManifest['4x4-p2-np1.bin'] ?? []), ...(pickleManifest['4x4-p5-np2.bin'] ?? []), ...(pickleManifest['4x4-p2-np1.bin'] ?? [])], 'concat');
  assert.equal(got[0]?.wireBytes, 8 + Number(a.readBigUInt64LE(0)));
});

test('TUTORIAL_MAX_PICKLE_BYTES: a length one over is refused from the prefix alone, nothing buffered; the limit itself passes the prefix', () => {
  const over = Buffer.alloc(8);
  over.writeBigUInt64LE(BigInt(L.TUTORIAL_MAX_PICKLE_BYTES + 1));
  const d = new PickleStreamDecoder();
  assert.throws(() => d.push(over), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_MESSAGE_TOO_LARGE' && e.message.includes('TUTORIAL_MAX_PICKLE_BYTES'));
  assert.ok(d.bufferedBytes <= 8);
  const at = Buffer.alloc(8);
  at.writeBigUInt64LE(BigInt(L.TUTORIAL_MAX_PICKLE_BYTES));
  const ok = new PickleStreamDecoder();
  assert.deepEqual(ok.push(at), []);
  assert.throws(() => ok.end(), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_PEER_CLOSED');
  const huge = Buffer.alloc(8, 0xff);
  assert.throws(() => new PickleStreamDecoder().push(huge), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_MESSAGE_TOO_LARGE');
});

test('a huge (allowed) length prefix reserves memory only as bytes arrive, not the announced length', () => {
  // 32 streams each announce TUTORIAL_MAX_PICKLE_BYTES (~50 MB) and send 1000 bytes: ~1.6 GB if buffered up front.
  const streams = 32;
  const sent = 1000;
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(L.TUTORIAL_MAX_PICKLE_BYTES));
  const before = process.memoryUsage().arrayBuffers;
  const held: PickleStreamDecoder[] = [];
  for (let i = 0; i < streams; i++) {
    const d = new PickleStreamDecoder();
    assert.deepEqual(d.push(prefix), []);
    assert.deepEqual(d.push(Buffer.alloc(sent, 0x80)), []);
    assert.equal(d.bufferedBytes, 8 + sent);
    held.push(d);
  }
  const grown = process.memoryUsage().arrayBuffers - before;
  // Growing buffers hold at most ~64 KiB each here; the bound leaves room for unrelated allocations.
  assert.ok(grown < streams * 256 * 1024, `${streams} decoders reserved ${grown} bytes for ${streams * sent} bytes received`);
  assert.equal(held.length, streams);
});

test('a pickle fed in small pieces across buffer growth decodes the same as in one piece', () => {
  // 85,783 bytes of pickle: more than the first buffer, so the buffer grows while the body arrives.
  const msg = readFileSync(join(ROOT, 'fixtures/pickle/160x120-p2-np1.bin'));
  const want = pickleManifest['160x120-p2-np1.bin'] ?? [];
  for (const max of [1000, 70_000]) same(feed(new PickleStreamDecoder(), randomChunks(msg, prng(max), max)), want, `chunks of up to ${max}`);
});

test('TUTORIAL_MAX_PICKLE_BYTES: the largest frame in the worst encoding (protocol 2 latin-1 text) fits the limit', () => {
  // every pixel 0xff takes 2 UTF-8 bytes in protocol 2; the rest of the pickle is well under the overhead allowance
  assert.ok(2 * L.TUTORIAL_MAX_FRAME_BYTES + 300 <= L.TUTORIAL_MAX_PICKLE_BYTES);
});

test('a smaller maxMessageBytes is enforced, a larger one is capped at TUTORIAL_MAX_PICKLE_BYTES', () => {
  const msg = readFileSync(join(ROOT, 'fixtures/pickle/4x4-p4-np1.bin'));
  const len = Number(msg.readBigUInt64LE(0));
  assert.throws(() => new PickleStreamDecoder({ maxMessageBytes: len - 1 }).push(msg), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_MESSAGE_TOO_LARGE');
  assert.equal(new PickleStreamDecoder({ maxMessageBytes: len }).push(msg).length, 3);
  const over = Buffer.alloc(8);
  over.writeBigUInt64LE(BigInt(L.TUTORIAL_MAX_PICKLE_BYTES + 1));
  assert.throws(() => new PickleStreamDecoder({ maxMessageBytes: Number.MAX_SAFE_INTEGER }).push(over), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_MESSAGE_TOO_LARGE');
});

test('a stream that ends inside a prefix, a pickle or a raw frame is reported as truncated', () => {
  const msg = readFileSync(join(ROOT, 'fixtures/pickle/4x4-p4-np1.bin'));
  for (const cut of [3, 8, 20]) {
    const d = new PickleStreamDecoder();
    d.push(msg.subarray(0, cut));
    assert.throws(() => d.end(), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_PEER_CLOSED');
  }
  const r = new RawStreamDecoder({ width: 4, height: 4 });
  assert.equal(r.push(new Uint8Array(50)).length, 1);
  assert.equal(r.bufferedBytes, 2);
  assert.throws(() => r.end(), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_PEER_CLOSED' && e.message.includes('--raw-size'));
});

test('a bad pickle inside the stream is rejected', () => {
  const bad = readFileSync(join(ROOT, 'fixtures/bad/os-system-stack-global-p4.pkl'));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(bad.length));
  assert.throws(() => new PickleStreamDecoder().push(Buffer.concat([len, bad])), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_PICKLE_REJECTED');
});

test('raw: default size is 640x480 (921,600 bytes a frame), reassembled across odd chunks', () => {
  assert.deepEqual(DEFAULT_RAW_SIZE, { width: 640, height: 480 });
  const frame = new Uint8Array(921_600).map((_, i) => i % 251);
  const stream = Buffer.concat([frame, frame]);
  const got = feed(new RawStreamDecoder(), randomChunks(stream, prng(3), 65536));
  assert.equal(got.length, 2);
  assert.deepEqual(got[1]?.image.data, frame);
});

test('raw size: parsed from WxH; malformed, zero, over MAX_FRAME_SIDE_PX or over TUTORIAL_MAX_FRAME_BYTES refused', () => {
  assert.deepEqual(parseRawSize('320x240'), { width: 320, height: 240 });
  assert.deepEqual(parseRawSize(' 64X48 '), { width: 64, height: 48 });
  for (const bad of ['', '640', '640x', 'x480', '0x10', '-5x5', '1.5x2', 'axb', `${L.MAX_FRAME_SIDE_PX + 1}x1`, '3841x2160']) {
    assert.throws(() => parseRawSize(bad), (e: unknown) => e instanceof UsageError && e.code === 'ERR_USAGE', bad);
  }
  assert.ok(3841 * 2160 * 3 > L.TUTORIAL_MAX_FRAME_BYTES && 3841 <= L.MAX_FRAME_SIDE_PX);
  assert.throws(() => new RawStreamDecoder({ width: 4000, height: 4000 }), UsageError);
});

test('encoders: pickle messages decode back; raw frames must match the wire size', () => {
  const img = { data: new Uint8Array(2 * 3 * 3).map((_, i) => i * 13), width: 2, height: 3 };
  const got = feed(new PickleStreamDecoder(), [encodePickleMessage(img), encodePickleMessage(img)]);
  assert.equal(got.length, 2);
  assert.deepEqual([got[0]?.image.width, got[0]?.image.height], [2, 3]);
  assert.deepEqual(Buffer.from(got[1]?.image.data ?? []), Buffer.from(img.data));
  assert.equal(encodeRawFrame(img, { width: 2, height: 3 }), img.data);
  assert.throws(() => encodeRawFrame(img), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_BAD_MESSAGE');
});
