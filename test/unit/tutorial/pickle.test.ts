// The safe pickle reader and writer against pickles recorded from real Python (fixtures/pickle, fixtures/bad).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { latin1FromUtf8, readPickledImage } from '../../../src/tutorial/pickle.js';
import { writePickledImage } from '../../../src/tutorial/pickle-writer.js';
import { PickleStreamDecoder } from '../../../src/tutorial/wire.js';
import { ProtocolError } from '../../../src/shared/errors.js';
import * as L from '../../../src/shared/limits.js';
import { packageRoot } from '../../../src/shared/paths.js';
import { sha, pattern, type FrameInfo } from '../../helpers/tutorial-fixtures.js';

const ROOT = packageRoot();
const PICKLES = join(ROOT, 'fixtures', 'pickle');
const BAD = join(ROOT, 'fixtures', 'bad');
const MARKER = 'termcall-pwned-marker';
const manifest = JSON.parse(readFileSync(join(PICKLES, 'manifest.json'), 'utf8')) as Record<string, FrameInfo[]>;
const badManifest = JSON.parse(readFileSync(join(BAD, 'manifest.json'), 'utf8')) as Record<string, { code: string; match: string }>;

/** Splits a recorded wire stream into its pickles. */
function messages(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < stream.length; ) {
    const len = Number(stream.readBigUInt64LE(at));
    out.push(stream.subarray(at + 8, at + 8 + len));
    at += 8 + len;
  }
  return out;
}

/** Asserts fn throws a ProtocolError with this code whose message contains match. */
function rejects(fn: () => unknown, code: string, match: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProtocolError, `not a ProtocolError: ${String(e)}`);
    assert.equal(e.code, code);
    assert.ok(e.message.includes(match), `"${e.message}" lacks "${match}"`);
    return true;
  });
}

test('every recorded pickle (protocols 2-5, numpy 1 and 2 names, 4x4 and 160x120) decodes to the recorded frame', () => {
  const files = Object.keys(manifest);
  assert.ok(files.length >= 18);
  for (const name of files) {
    const msgs = messages(readFileSync(join(PICKLES, name)));
    const want = manifest[name] ?? [];
    assert.equal(msgs.length, want.length, name);
    msgs.forEach((m, i) => {
      const img = readPickledImage(m);
      const w = want[i];
      assert.ok(w);
      assert.equal(img.width, w.width, name);
      assert.equal(img.height, w.height, name);
      assert.equal(img.data.length, w.width * w.height * 3, name);
      assert.equal(sha(img.data), w.sha256, `${name} frame ${i}`);
    });
  }
});

test('the recorded frames are the shared test pattern (so live tests can predict them)', () => {
  const img = readPickledImage(messages(readFileSync(join(PICKLES, '160x120-p4-np2.bin')))[0] ?? Buffer.alloc(0));
  assert.deepEqual(Buffer.from(img.data), Buffer.from(pattern(0, 160, 120).data));
});

test('grayscale (H, W) arrays are expanded to BGR', () => {
  const img = readPickledImage(messages(readFileSync(join(PICKLES, 'gray-4x4-p4-np1.bin')))[0] ?? Buffer.alloc(0));
  assert.equal(img.width, 4);
  for (let i = 0; i < 16; i++) {
    assert.equal(img.data[i * 3], img.data[i * 3 + 1]);
    assert.equal(img.data[i * 3], img.data[i * 3 + 2]);
  }
});

test('every bad input in fixtures/bad is rejected with its code and a clear message, and nothing runs', () => {
  assert.equal(existsSync(MARKER), false, 'marker exists before the test');
  const files = readdirSync(BAD).filter((f) => f !== 'manifest.json');
  assert.deepEqual(files.sort(), Object.keys(badManifest).sort(), 'manifest lists every bad file');
  for (const name of files) {
    const want = badManifest[name];
    assert.ok(want);
    const bytes = readFileSync(join(BAD, name));
    if (name.endsWith('.pkl')) {
      rejects(() => readPickledImage(bytes), want.code, want.match);
    } else {
      const d = new PickleStreamDecoder();
      rejects(() => {
        d.push(bytes);
        d.end();
      }, want.code, want.match);
    }
  }
  assert.equal(existsSync(MARKER), false, 'a payload ran');
});

test('every truncation of a recorded pickle is rejected as truncated, never crashes', () => {
  for (const name of ['4x4-p2-np1.bin', '4x4-p3-np2.bin', '4x4-p4-np1.bin', '4x4-p5-np2.bin']) {
    const m = messages(readFileSync(join(PICKLES, name)))[0] ?? Buffer.alloc(0);
    for (let n = 0; n < m.length; n++) {
      assert.throws(() => readPickledImage(m.subarray(0, n)), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_PICKLE_REJECTED', `${name} cut at ${n}`);
    }
  }
});

test('random byte corruption either decodes or is rejected with ProtocolError, nothing else', () => {
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % 0x10000) / 0x10000;
  for (const name of ['4x4-p2-np1.bin', '4x4-p4-np2.bin', '4x4-p5-np1.bin']) {
    const m = messages(readFileSync(join(PICKLES, name)))[0] ?? Buffer.alloc(0);
    for (let round = 0; round < 3000; round++) {
      const c = Buffer.from(m);
      const flips = 1 + Math.floor(rand() * 3);
      for (let f = 0; f < flips; f++) c[Math.floor(rand() * c.length)] = Math.floor(rand() * 256);
      try {
        const img = readPickledImage(c);
        assert.equal(img.data.length, img.width * img.height * 3);
      } catch (e) {
        assert.ok(e instanceof ProtocolError, `${name}: ${String(e)}`);
      }
    }
  }
});

test('the writer emits the bytes numpy 1 pickles with protocol 4 (without the optional FRAME opcode)', () => {
  const m = messages(readFileSync(join(PICKLES, '4x4-p4-np1.bin')))[1] ?? Buffer.alloc(0);
  assert.equal(m[2], 0x95, 'python framed it');
  const unframed = Buffer.concat([m.subarray(0, 2), m.subarray(11)]);
  assert.deepEqual(writePickledImage(pattern(1, 4, 4)), unframed);
});

test('writer output reads back, for sides that need BININT1 and BININT2, data with SHORT_BINBYTES and BINBYTES', () => {
  for (const [w, h] of [[1, 1], [4, 4], [300, 2], [L.MAX_FRAME_SIDE_PX, 1]] as const) {
    const img = pattern(3, w, h);
    const back = readPickledImage(writePickledImage(img));
    assert.deepEqual([back.width, back.height], [w, h]);
    assert.deepEqual(Buffer.from(back.data), Buffer.from(img.data));
  }
  const withPrefix = writePickledImage(pattern(0, 2, 2), true);
  assert.equal(Number(withPrefix.readBigUInt64LE(0)), withPrefix.length - 8);
});

test('writer refuses frames over the limits or of the wrong length', () => {
  const big = { data: new Uint8Array(0), width: L.MAX_FRAME_SIDE_PX + 1, height: 1 };
  assert.throws(() => writePickledImage(big), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_MESSAGE_TOO_LARGE');
  const short = { data: new Uint8Array(11), width: 2, height: 2 };
  assert.throws(() => writePickledImage(short), (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_BAD_MESSAGE');
});

test('TUTORIAL_PICKLE_MAX_OPCODES also caps memo indexes', () => {
  const p = Buffer.from([0x80, 0x04, 0x4e, 0x72, 0, 0, 0, 0, 0x2e]);
  p.writeUInt32LE(L.TUTORIAL_PICKLE_MAX_OPCODES, 4);
  rejects(() => readPickledImage(p), 'ERR_PICKLE_REJECTED', 'memo index');
  const ok = Buffer.alloc(2 + L.TUTORIAL_PICKLE_MAX_OPCODES + 1);
  ok.fill(0x4e);
  ok[0] = 0x80;
  ok[1] = 0x04;
  rejects(() => readPickledImage(ok), 'ERR_PICKLE_REJECTED', 'TUTORIAL_PICKLE_MAX_OPCODES');
});

test('out-of-band buffers (protocol 5 NEXT_BUFFER) and other globals by GLOBAL text are rejected', () => {
  rejects(() => readPickledImage(Buffer.from([0x80, 0x05, 0x97, 0x2e])), 'ERR_PICKLE_REJECTED', 'opcode 0x97');
  const g = Buffer.concat([Buffer.from([0x80, 0x02, 0x63]), Buffer.from('subprocess\nPopen\n'), Buffer.from([0x2e])]);
  rejects(() => readPickledImage(g), 'ERR_PICKLE_REJECTED', 'global subprocess.Popen is not allowed');
});

test('latin-1 text from protocol 2 must stay within U+00FF', () => {
  assert.deepEqual(Buffer.from(latin1FromUtf8(Buffer.from('\u00ff\u0000a', 'utf8'))), Buffer.from([0xff, 0, 0x61]));
  rejects(() => latin1FromUtf8(Buffer.from('\u0100', 'utf8')), 'ERR_PICKLE_REJECTED', 'above U+00FF');
});
