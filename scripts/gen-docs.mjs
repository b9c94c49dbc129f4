// Regenerates the tables in docs/limits.md and docs/errors.md from src/shared/limits.ts and src/shared/errors.ts.
// `node scripts/gen-docs.mjs` writes them; `--check` exits 1 when a table is out of date (a test runs that).
import { readFileSync, writeFileSync } from 'node:fs';

/** The limits table: every exported constant of src/shared/limits.ts with its value and doc comment, by section. */
export function limitsDoc() {
  const src = readFileSync('src/shared/limits.ts', 'utf8').split('\n');
  const out = ['# Limits', '', 'Every limit termcall enforces lives in `src/shared/limits.ts`, with its unit in its name. This page is',
    'generated from that file (`node scripts/gen-docs.mjs`); a test fails when they differ.', ''];
  let comment = '';
  let shared = ''; // the comment of the constant just above, for one that has none of its own
  let block = null; // the lines of a /** … */ comment spread over several lines, while inside it
  for (const line of src) {
    if (block) {
      const end = line.includes('*/');
      const text = line.replace(/\*\/.*$/, '').replace(/^\s*\*\s?/, '').trim();
      if (text) block.push(text);
      if (end) { comment = block.join(' '); block = null; }
      continue;
    }
    const section = /^\/\/ --- (.+) ---/.exec(line);
    if (section) { out.push('', `## ${section[1]}`, '', '| name | value | meaning |', '|---|---|---|'); comment = ''; continue; }
    const doc = /^\s*\/\*\*\s*(.*?)\s*\*\/\s*$/.exec(line);
    if (doc) { comment = doc[1]; continue; }
    const open = /^\s*\/\*\*\s*(.*)$/.exec(line);
    if (open) { block = open[1] ? [open[1].trim()] : []; continue; }
    const c = /^export const ([A-Z0-9_]+)\s*=\s*(.+?);\s*$/.exec(line);
    // a constant right under another one shares its comment (a width and its height)
    if (c && !comment) comment = shared;
    if (c) { out.push(`| \`${c[1]}\` | \`${c[2].replace(/\|/g, '\\|')}\` | ${comment.replace(/\|/g, '\\|')} |`); shared = comment; comment = ''; continue; }
    shared = '';
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

/** The error-code table from ERROR_CODES in src/shared/errors.ts. */
export function errorsDoc() {
  const src = readFileSync('src/shared/errors.ts', 'utf8');
  const rows = [...src.matchAll(/^\s+(ERR_[A-Z0-9_]+): '((?:[^'\\]|\\.)*)',/gm)].map((m) => `| ${m[1]} | ${m[2].replace(/\\'/g, "'")} |`);
  return ['# Error codes', '', 'Every error termcall raises on purpose carries a stable code (`err.code`), printed at the end of the CLI\'s',
    'message. This page is generated from `src/shared/errors.ts` (`node scripts/gen-docs.mjs`); a test fails when they differ.', '',
    '| code | meaning |', '|---|---|', ...rows, ''].join('\n');
}

const check = process.argv.includes('--check');
let stale = false;
for (const [file, text] of [['docs/limits.md', limitsDoc()], ['docs/errors.md', errorsDoc()]]) {
  let old = '';
  try { old = readFileSync(file, 'utf8'); } catch { /* new */ }
  if (old === text) continue;
  if (check) { console.error(`${file} is out of date: run node scripts/gen-docs.mjs`); stale = true; } else writeFileSync(file, text);
}
process.exit(stale ? 1 : 0);
