// The WebAssembly kernel of the symbol renderers' sampler (src/render/cell-sums.wat; its sums are checked against
// FrameScaler's atoms in cell-sampler.test.ts): the bytes the build ships are those of its source.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { packageRoot } from '../../../src/shared/paths.js';

test('src/render/cell-sums-wasm.ts is compiled from cell-sums.wat (node scripts/build-wasm.mjs)', () => {
  const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: packageRoot(), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
