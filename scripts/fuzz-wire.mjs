#!/usr/bin/env node
// Long fuzz run of the wire decoder (build first: npx tsc -p tsconfig.json). Usage: node scripts/fuzz-wire.mjs [cases] [firstSeed]
import { performance } from 'node:perf_hooks';
import { runFuzzCase } from '../dist/test/helpers/net-fuzz.js';

const cases = Number(process.argv[2] ?? 200000);
const first = Number(process.argv[3] ?? 1);
const tally = new Map();
const t0 = performance.now();
for (let seed = first; seed < first + cases; seed++) {
  const code = runFuzzCase(seed);
  tally.set(code, (tally.get(code) ?? 0) + 1);
}
const secs = ((performance.now() - t0) / 1000).toFixed(1);
process.stdout.write(`${cases} cases in ${secs} s, no crash: ${JSON.stringify(Object.fromEntries(tally))}\n`);
