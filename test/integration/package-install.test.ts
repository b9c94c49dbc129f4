// termcall as a package: `npm pack` of a fresh copy of this checkout (no dist/: prepack must build it) makes a lean
// tarball; `npm install -g --prefix` of it into a clean prefix gives a `termcall` whose --help works, that says what
// to install while the OpenCV binding is missing, and whose demo draws video in tmux and exits 0 on q.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/shared/paths.js';
import { needTools } from '../helpers/require-tool.js';
import { Tmux, layoutsFromLog, truecolorCells, waitFor } from '../helpers/tui-tmux.js';

const ROOT = packageRoot();
const skip = needTools('tmux');
/** Hang guards for the npm steps (pack builds with tsc; install reads npm's cache, else the registry). */
const PACK_TIMEOUT_MS = 120_000;
const INSTALL_TIMEOUT_MS = 240_000;

// The environment of someone outside this checkout: no npm_* variables or NODE_OPTIONS from an outer `npm test`
// (the project's .npmrc sets OPENCV4NODEJS_DISABLE_AUTOBUILD through them), and no CI-only settings leaking in.
function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'NODE_OPTIONS' || k === 'INIT_CWD' || k === 'OPENCV4NODEJS_DISABLE_AUTOBUILD') continue;
    env[k] = v;
  }
  return env;
}

// Runs a command to its end (bounded), returning its output; the failure message shows both streams.
function run(cmd: string, args: string[], cwd: string, timeout: number, env = consumerEnv()): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 16 << 20 });
}

// What a failed run said.
function said(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status} ${r.signal ?? ''}\n${r.stdout}\n${r.stderr}`;
}

// A copy of this checkout as a developer would pack it, but with no dist/ (so only prepack can have built it).
function freshCopy(dir: string): string {
  const copy = path.join(dir, 'checkout');
  const skipTop = new Set(['node_modules', 'dist', '.git']);
  fs.cpSync(ROOT, copy, {
    recursive: true,
    filter: (src) => !skipTop.has(path.relative(ROOT, src).split(path.sep)[0] ?? ''),
  });
  // The build tools (tsc, @types) come from this checkout's dependencies.
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(copy, 'node_modules'));
  return copy;
}

// Packs the copy into dir; returns the tarball path and the files in it.
function pack(copy: string, dir: string): { tarball: string; files: string[] } {
  const r = run('npm', ['pack', '--json', '--pack-destination', dir], copy, PACK_TIMEOUT_MS);
  assert.equal(r.status, 0, said(r));
  const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  const first = info[0];
  assert.ok(first, r.stdout);
  return { tarball: path.join(dir, first.filename), files: first.files.map((f) => f.path) };
}

test('npm pack → npm install -g --prefix: termcall --help, a clear OpenCV message, and the demo draws video', { skip, timeout: 420_000 }, async (t: TestContext) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-pkg-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // 1. The tarball: built on pack, and lean.
  let at = Date.now();
  const { tarball, files } = pack(freshCopy(dir), dir);
  t.diagnostic(`copy and pack: ${Date.now() - at} ms, ${files.length} files`);
  for (const want of ['bin/termcall', 'dist/src/cli/main.js', 'dist/src/media/worker/media-worker.js', 'fixtures/clip.mp4', 'README.md', 'package.json']) {
    assert.ok(files.includes(want), `${want} in the tarball`);
  }
  const unwanted = files.filter((f) => /^(dist\/test|test|src|scripts|node_modules)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts'));
  assert.deepEqual(unwanted, [], 'no tests, sources, maps or scripts in the tarball');

  // 2. Install into a clean prefix, from outside the checkout (its .npmrc must not apply). The real install compiles
  // the OpenCV binding against the system OpenCV (~4 min here: far too slow for the suite; the README's way was
  // checked by hand). So: --ignore-scripts (no native build), --prefer-offline (npm's cache, which the setup's
  // `npm ci` filled; the registry only for what is missing), then the binding this checkout already compiled is
  // copied in below: the same @u4/opencv4nodejs version (pinned), the same system OpenCV, the same Node.
  const prefix = path.join(dir, 'prefix');
  const elsewhere = fs.mkdtempSync(path.join(dir, 'cwd-'));
  at = Date.now();
  const inst = run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball],
    elsewhere, INSTALL_TIMEOUT_MS);
  assert.equal(inst.status, 0, said(inst));
  t.diagnostic(`install --prefer-offline --ignore-scripts: ${Date.now() - at} ms`);
  const bin = path.join(prefix, 'bin', 'termcall');
  const installed = path.join(prefix, 'lib', 'node_modules', 'termcall');

  const help = run(bin, ['--help'], elsewhere, 30_000);
  assert.equal(help.status, 0, said(help));
  assert.match(help.stdout, /termcall demo/);

  // 3. No binding yet: the error names what to install and how, for an installed package (no `npm run setup`).
  const clip = path.join(installed, 'fixtures', 'clip.mp4');
  const noCv = run(bin, ['call', '127.0.0.1:9', '--headless', '--source', clip], elsewhere, 60_000);
  assert.equal(noCv.status, 1, said(noCv));
  assert.match(noCv.stderr, /ERR_OPENCV_MISSING|could not load OpenCV/, said(noCv));
  assert.match(noCv.stderr, /apt-get install libopencv-dev/);
  assert.match(noCv.stderr, /OPENCV4NODEJS_DISABLE_AUTOBUILD=1/);
  assert.doesNotMatch(noCv.stderr, /npm run setup/);
  t.diagnostic(`without the binding: ${noCv.stderr.trim()}`);

  // The binding compiled by this checkout's install, copied into the installed package.
  const binding = path.join('node_modules', '@u4', 'opencv4nodejs', 'build', 'Release', 'opencv4nodejs.node');
  fs.mkdirSync(path.dirname(path.join(installed, binding)), { recursive: true });
  fs.copyFileSync(path.join(ROOT, binding), path.join(installed, binding));

  // 4. The demo from the installed package, in tmux, from a folder that is not the checkout: video, q, exit 0.
  at = Date.now();
  const tm = new Tmux();
  t.after(() => tm.kill());
  const log = path.join(tm.dir, 'demo.log');
  tm.start('d', 100, 30);
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  tm.keys('d', `cd ${q(elsewhere)} && env XDG_CONFIG_HOME=${q(path.join(tm.dir, 'config'))} XDG_STATE_HOME=${q(path.join(tm.dir, 'state'))} ` +
    `${q(bin)} demo --log-file ${q(log)}; echo "EXIT=$?"`, 'Enter');
  await waitFor(() => /● connected \| demo peer/.test(tm.plain('d')), 30_000, 'the demo connected')
    .catch((err: Error) => { throw new Error(`${err.message}; the screen:\n${tm.plain('d')}`); });
  const lay = await waitFor(() => layoutsFromLog(log).filter((l) => l.cols === 100 && l.rows === 30).at(-1), 10_000, 'layout');
  await waitFor(() => truecolorCells(tm.cells('d'), lay.remote) > lay.remote.cols * lay.remote.rows * 0.8, 15_000, 'remote video');
  assert.ok(fs.readFileSync(log, 'utf8').includes(`streaming ${clip}`), 'the demo peer streams the installed clip');
  tm.keys('d', 'q');
  await waitFor(() => /EXIT=\d+/.exec(tm.plain('d')), 15_000, 'the demo to exit');
  assert.match(tm.plain('d'), /EXIT=0/);
  t.diagnostic(`demo: ${Date.now() - at} ms`);
});
