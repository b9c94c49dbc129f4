// Lint: the recommended JS and TypeScript rules, and the architecture's import boundaries (README, "How the code is laid out").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node modules that do I/O with the network or the terminal: the pure core never imports them. */
const IO_MODULES = ['node:net', 'node:tls', 'node:tty', 'node:dgram', 'node:child_process', 'node:worker_threads', 'net', 'tls', 'tty'];
/** Modules that belong to one folder only. */
const BLESSED = ['blessed'];
const OPENCV = ['@u4/opencv4nodejs', '@u4/opencv-build'];

// One no-restricted-imports rule: these package names, and these path patterns, with why.
function restrict(why, names, patterns = []) {
  return {
    'no-restricted-imports': ['error', {
      paths: names.map((name) => ({ name, message: why })),
      patterns: patterns.map((group) => ({ group: [group], message: why })),
    }],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  // Everything in src: blessed only in src/tui, OpenCV only in src/media/worker (reached through the worker's messages).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/tui/**', 'src/media/worker/**'],
    rules: restrict('blessed lives in src/tui and OpenCV in src/media/worker only', [...BLESSED, ...OPENCV], ['**/media/worker/*']),
  },
  { files: ['src/tui/**/*.ts'], rules: restrict('OpenCV lives in src/media/worker only', OPENCV, ['**/media/worker/*']) },
  { files: ['src/media/worker/**/*.ts'], rules: restrict('blessed lives in src/tui only', BLESSED) },
  // The pure core: pixels, bytes and messages in and out, no sockets, terminals, threads, blessed or OpenCV.
  {
    files: ['src/shared/**/*.ts', 'src/protocol/**/*.ts', 'src/render/**/*.ts',
      'src/tutorial/pickle*.ts', 'src/tutorial/wire.ts'],
    rules: restrict('the pure core (shared, protocol, render, tutorial decoders) does no network, terminal or thread I/O',
      [...IO_MODULES, ...BLESSED, ...OPENCV],
      ['**/transport/*', '**/transport/**', '**/call/*', '**/calls/*', '**/media/*', '**/media/**', '**/terminal/*', '**/tui/*', '**/cli/*', '**/cli/**']),
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
