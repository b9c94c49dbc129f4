// The layout is a check, not a comment: README describes exactly the folders of src/, and eslint refuses imports
// that cross the architecture's boundaries.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { packageRoot } from '../../../src/shared/paths.js';

const root = packageRoot();

test("README's layout section names every folder of src/, and nothing else", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split('## How the code is laid out')[1]?.split('\n## ')[0] ?? '';
  const named = new Set([...section.matchAll(/^- \*\*`src\/([a-z-]+)`\*\*/gm)].map((m) => m[1]));
  const folders = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  assert.deepEqual([...named].sort(), folders.sort());
});

test('tests mirror src/: every unit-test folder is a src folder', () => {
  const src = new Set(readdirSync(join(root, 'src')));
  for (const d of readdirSync(join(root, 'test', 'unit'))) assert.ok(src.has(d), `test/unit/${d} has no src/${d}`);
});

// Lints a snippet as if it were the file at path (relative to the package root); returns the rule ids hit.
async function lintAs(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [r] = await eslint.lintText(code, { filePath: join(root, path) });
  return (r?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

test('eslint enforces the boundaries', { timeout: 60_000 }, async () => {
  const restricted = 'no-restricted-imports';
  assert.ok((await lintAs('src/render/x.ts', "import net from 'node:net';\nexport const n = net;\n")).includes(restricted), 'render: no sockets');
  assert.ok((await lintAs('src/protocol/x.ts', "import tty from 'node:tty';\nexport const n = tty;\n")).includes(restricted), 'protocol: no tty');
  assert.ok((await lintAs('src/shared/x.ts', "import { Session } from '../call/session.js';\nexport const n = Session;\n")).includes(restricted), 'shared imports no layer above it');
  assert.ok((await lintAs('src/calls/x.ts', "import blessed from 'blessed';\nexport const b = blessed;\n")).includes(restricted), 'blessed only in tui');
  assert.ok((await lintAs('src/tui/x.ts', "import { loadOpenCv } from '../media/worker/opencv.js';\nexport const l = loadOpenCv;\n")).includes(restricted), 'OpenCV only in the worker');
  assert.deepEqual(await lintAs('src/tui/x.ts', "import blessed from 'blessed';\nexport const b = blessed;\n"), [], 'the tui may import blessed');
  assert.deepEqual(await lintAs('src/tutorial/link.ts', "import net from 'node:net';\nexport const n = net;\n"), [], 'tutorial links use sockets');
});
