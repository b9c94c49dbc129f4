// CPace against the draft's own test vectors (draft-irtf-cfrg-cpace, "Test vector for CPace using group ristretto255
// and hash SHA-512"), and the parser's refusal of badly length-prefixed messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import {
  calculateGenerator, computeIsk, generatorString, isIdentity, lvCat, lvSplit, prependLen, scalarFromBytes, scalarMult,
  scalarMultVfy, transcriptIr,
} from '../../../src/transport/secure/cpace.js';

const h = (s: string): Uint8Array => hexToBytes(s.replace(/\s+/g, ''));
const PRS = utf8ToBytes('Password');
const CI = h('0b415f696e69746961746f720b425f726573706f6e646572');
const SID = h('7e4b4791d6a8ef019b936c79fb7f2c57');
const YA_SCALAR = h('da3d23700a9e5699258aef94dc060dfda5ebb61f02a5ea77fad53f4ff0976d08');
const YB_SCALAR = h('d2316b454718c35362d83d69df6320f38578ed5984651435e2949762d900b80d');
const YA = 'd6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f8d0eec482b9157';
const YB = '3ea7e0b19560d7c0b0f5734f63b955286dfa8232b5ebe63324e2d9e7433f7258';
const K = '80b69a8a76457ab6a4d7f887a4bf6b55a2f80ac19c333f917a05fc9887c8b40f';
const ISK_IR = 'b69effbf61b51d56401c0f65601abe428de8206feaaf0e32198896dcae7b35cd2b38950a39dfd5d4a79164614c2984f7daa460b588c1e80c3fa2068af7900447';

test('prepend_len matches the draft (LEB128 lengths)', () => {
  assert.equal(bytesToHex(prependLen(new Uint8Array())), '00');
  assert.equal(bytesToHex(prependLen(utf8ToBytes('1234'))), '0431323334');
  assert.equal(bytesToHex(prependLen(new Uint8Array(127)).subarray(0, 1)), '7f');
  assert.equal(bytesToHex(prependLen(new Uint8Array(128)).subarray(0, 2)), '8001');
});

test('generator string and generator g match the ristretto255 vectors', () => {
  const gs = generatorString(PRS, CI, SID);
  assert.equal(gs.length, 170);
  assert.equal(bytesToHex(gs.subarray(0, 28)), '11435061636552697374726574746f3235350850617373776f726464');
  assert.equal(bytesToHex(calculateGenerator(PRS, CI, SID).toBytes()), '222b6b195fe84b1652badb6f6a3ae3d24341e7306967f0b8115b40d5698c7e56');
});

test('Ya, Yb, K and the initiator-responder ISK match the vectors', () => {
  const g = calculateGenerator(PRS, CI, SID);
  const ya = scalarFromBytes(YA_SCALAR);
  const yb = scalarFromBytes(YB_SCALAR);
  const Ya = scalarMult(ya, g);
  const Yb = scalarMult(yb, g);
  assert.equal(bytesToHex(Ya), YA);
  assert.equal(bytesToHex(Yb), YB);
  assert.equal(bytesToHex(scalarMultVfy(ya, Yb)), K);
  assert.equal(bytesToHex(scalarMultVfy(yb, Ya)), K);
  const tr = transcriptIr(Ya, utf8ToBytes('ADa'), Yb, utf8ToBytes('ADb'));
  assert.equal(tr.length, 74);
  assert.equal(bytesToHex(computeIsk(SID, h(K), tr)), ISK_IR);
});

test('scalar_mult_vfy gives the identity for the identity encoding and for a non-decodable element', () => {
  const y = scalarFromBytes(YA_SCALAR);
  assert.ok(isIdentity(scalarMultVfy(y, new Uint8Array(32))));
  assert.ok(isIdentity(scalarMultVfy(y, new Uint8Array(32).fill(0xff))), 'not a canonical encoding');
  assert.ok(isIdentity(scalarMultVfy(y, new Uint8Array(31))), 'wrong length');
});

test('lvSplit takes exactly the prefix-free encoding and refuses wrong length prefixes and trailing bytes', () => {
  const m = lvCat(utf8ToBytes('abc'), new Uint8Array(200), new Uint8Array());
  const parts = lvSplit(m, 3);
  assert.ok(parts);
  assert.deepEqual(parts.map((p) => p.length), [3, 200, 0]);
  assert.equal(lvSplit(m.subarray(0, m.length - 1), 3), null, 'truncated');
  assert.equal(lvSplit(Uint8Array.of(...m, 0), 3), null, 'trailing byte');
  assert.equal(lvSplit(Uint8Array.of(0x05, 1, 2), 1), null, 'length longer than the message');
  assert.equal(lvSplit(Uint8Array.of(0x80, 0x80, 0x80, 0x01), 1), null, 'over-long LEB128');
});
