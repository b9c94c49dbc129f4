// The WebAssembly kernel of the symbol renderers' sampler (src/render/cell-sums.wat; its sums are checked against
// FrameScaler's atoms in cell-sampler.test.ts): the bytes the build ships are those of its source, and whether it can
// run here is asked before it is compiled (where it cannot, the table draws half-blocks instead).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { packageRoot } from '../../../src/shared/paths.js';
import { CELL_SUMS_WASM } from '../../../src/render/cell-sums-wasm.js';
import { instantiate, kernelRuns } from '../../../src/render/wasm-kernel.js';
import { samplerRuns } from '../../../src/render/cell-sampler.js';

test('src/render/cell-sums-wasm.ts is compiled from cell-sums.wat (node scripts/build-wasm.mjs)', () => {
  const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: packageRoot(), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('the kernel runs on this Node; bytes that are no kernel are refused with a clear error, never compiled', () => {
  assert.equal(kernelRuns(CELL_SUMS_WASM), true);
  assert.equal(samplerRuns(), true);
  const junk = Buffer.from('not a wasm module').toString('base64');
  assert.equal(kernelRuns(junk), false);
  assert.throws(() => instantiate(junk), /cannot run the WebAssembly SIMD kernels/);
});
