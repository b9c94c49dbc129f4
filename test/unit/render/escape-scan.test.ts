import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanEscapes, type StringEscape } from '../../../src/render/escape-scan.js';

// Every string escape seen, with its cursor cell.
function scan(s: string): Array<[StringEscape, string, number, number]> {
  const out: Array<[StringEscape, string, number, number]> = [];
  scanEscapes(s, (kind, body, at) => out.push([kind, body, at.row, at.col]));
  return out;
}

test('string escapes carry the cursor cell they start at: CUP, DECSC/DECRC, OSC ended by BEL or ST', () => {
  const s = '\x1b[3;5H\x1b_Ga=T;AAAA\x1b\\\x1b7\x1b[10;1H\x1b]1337;File=:QQ==\x07\x1b8\x1bPq#0~\x1b\\\x1b[H\x1b]0;t\x1b\\';
  assert.deepEqual(scan(s), [
    ['apc', 'Ga=T;AAAA', 2, 4],
    ['osc', '1337;File=:QQ==', 9, 0],
    ['dcs', 'q#0~', 2, 4],
    ['osc', '0;t', 0, 0],
  ]);
});

test('an unterminated string ends the scan; other escapes and text are skipped', () => {
  assert.deepEqual(scan('abc\x1b[1mx\x1b(B\x1b_Gpartial'), []);
  assert.deepEqual(scan('\x1b'), []);
});
