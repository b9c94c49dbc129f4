// require-tool: a missing tool fails under CI naming it and skips elsewhere with how to install it; every tool a test
// asks for is installed by scripts/setup.sh --test; and no test checks for a tool in its own way.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../../src/shared/paths.js';
import { TOOL_PACKAGES, findTool, missingTools, needRoot, needTools } from './require-tool.js';

const ROOT = packageRoot();
const NOWHERE = 'termcall-no-such-tool-7f3a9c';

// Restores CI when the test ends; returns a setter (undefined unsets it).
function ciSetter(t: TestContext): (value: string | undefined) => void {
  const before = process.env['CI'];
  t.after(() => {
    if (before === undefined) delete process.env['CI'];
    else process.env['CI'] = before;
  });
  return (value) => {
    if (value === undefined) delete process.env['CI'];
    else process.env['CI'] = value;
  };
}

// The test sources below dir (.ts), recursively.
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('CI=true: a missing tool throws, naming it and where to install it', (t) => {
  const setCi = ciSetter(t);
  for (const ci of ['true', '1']) {
    setCi(ci);
    assert.throws(() => needTools('sh', NOWHERE), (e: unknown) => e instanceof Error && e.message.includes(NOWHERE) && /setup\.sh --test/.test(e.message));
    assert.throws(() => needTools(`python3 ${NOWHERE.replace(/-/g, '_')}`), (e: unknown) => e instanceof Error && e.message.includes(NOWHERE.replace(/-/g, '_')));
    assert.throws(() => missingTools(['tmux']), /tmux \(apt-get install tmux/);
  }
});

test('without CI: a missing tool is a skip message that says how to install it', (t) => {
  const setCi = ciSetter(t);
  for (const ci of [undefined, 'false', '']) {
    setCi(ci);
    const skip = needTools('sh', NOWHERE);
    assert.equal(typeof skip, 'string');
    assert.match(String(skip), new RegExp(`^missing ${NOWHERE} \\(install it`));
    assert.equal(missingTools(['sshd']), 'missing sshd (apt-get install openssh-server, or run scripts/setup.sh --test)');
    assert.match(String(missingTools(['python3 numpy', 'Xvfb'])), /python3 numpy \(apt-get install python3-numpy.*; Xvfb \(apt-get install xvfb/);
  }
});

test('tools that are there: no skip, under CI or not', (t) => {
  ciSetter(t)('true');
  assert.equal(needTools('sh', 'node'), false);
  assert.equal(needTools(), false);
  assert.equal(findTool(NOWHERE), undefined);
  assert.match(findTool('sh') ?? '', /\/sh$/);
  if (process.getuid?.() === 0) assert.equal(needRoot('a reason'), false);
  else assert.throws(() => needRoot('a reason'), /needs root \(a reason\)/);
});

test('scripts/setup.sh --test installs the package of every tool in the table', () => {
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'setup.sh'), '--list-test-packages'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const installed = new Set(r.stdout.split('\n').filter(Boolean));
  const notInstalled = Object.entries(TOOL_PACKAGES).filter(([, pkg]) => !installed.has(pkg)).map(([tool, pkg]) => `${tool} (${pkg})`);
  assert.deepEqual(notInstalled, [], 'tools whose package setup.sh --test does not install');
});

test('every tool a test asks for is in the table; no test checks for a tool by itself', () => {
  const asked = new Set<string>();
  const adHoc: string[] = [];
  const self = ['test/helpers/require-tool.ts', 'test/helpers/require-tool.test.ts'];
  for (const file of sources(join(ROOT, 'test'))) {
    const rel = relative(ROOT, file);
    if (self.includes(rel)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/needTools\(([^)]*)\)/g)) {
      for (const lit of (m[1] ?? '').matchAll(/'([^']+)'/g)) asked.add(lit[1] as string);
    }
    text.split('\n').forEach((line, i) => {
      // A tool looked up by hand, a skip decided inside the test, or a skip option that is not needTools/needRoot.
      if (/command -v|\bt\.skip\(|\bhave[A-Z]\w*\s*=|\bskip\s*[:=](?!\s*(?:needTools|needRoot)\()/.test(line)) adHoc.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.ok(asked.has('tmux') && asked.has('python3 numpy'), `the scan found the tests' needTools calls: ${[...asked].join(', ')}`);
  assert.deepEqual([...asked].filter((tool) => !(tool in TOOL_PACKAGES)), [], 'tools asked for that require-tool.ts does not know');
  assert.deepEqual(adHoc, [], 'use needTools()/needRoot() from test/helpers/require-tool.ts');
});
