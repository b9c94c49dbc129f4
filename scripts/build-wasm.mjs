// Compiles the WebAssembly kernels (src/render/*.wat) into TypeScript modules that hold their bytes (base64), so
// the build needs no asset step. `node scripts/build-wasm.mjs` writes them; `--check` exits 1 when one is out of
// date (a test runs that).
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';

/** Kernel sources and the modules generated from them. */
export const KERNELS = [{ wat: 'src/render/cell-sums.wat', ts: 'src/render/cell-sums-wasm.ts', name: 'CELL_SUMS_WASM' }];

// The generated module of one kernel.
export async function kernelModule(k) {
  const wabt = await wabtInit();
  const m = wabt.parseWat(k.wat, readFileSync(k.wat, 'utf8'), { simd: true });
  const { buffer } = m.toBinary({});
  m.destroy();
  const b64 = Buffer.from(buffer).toString('base64');
  const lines = b64.match(/.{1,112}/g) ?? [];
  return [
    `// Generated from ${k.wat.replace('src/render/', '')} by scripts/build-wasm.mjs: do not edit.`,
    '',
    `/** The compiled kernel (${buffer.length} bytes), base64. */`,
    `export const ${k.name} =`,
    ...lines.map((l, i) => `  '${l}'${i < lines.length - 1 ? ' +' : ';'}`),
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('build-wasm.mjs')) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const k of KERNELS) {
    const want = await kernelModule(k);
    let have = '';
    try { have = readFileSync(k.ts, 'utf8'); } catch { /* missing */ }
    if (have === want) continue;
    if (check) {
      process.stderr.write(`build-wasm: ${k.ts} is out of date with ${k.wat}: run node scripts/build-wasm.mjs\n`);
      stale++;
    } else {
      writeFileSync(k.ts, want);
      process.stdout.write(`build-wasm: wrote ${k.ts}\n`);
    }
  }
  process.exit(stale ? 1 : 0);
}
