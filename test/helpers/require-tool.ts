// Tests that need an outside tool: under CI a missing tool is a failure that names it; elsewhere a skip that says
// how to get it. Use as the test's `skip` option: test('…', { skip: needTools('tmux') }, …). No test checks for a
// tool by itself (test/unit/helpers/require-tool.test.ts scans the tests for that).
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/**
 * The Debian package that provides each tool the tests drive. `scripts/setup.sh --test` installs every one of them
 * (a unit test compares this table with `scripts/setup.sh --list-test-packages`). "python3 MOD" is a Python module.
 */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  tmux: 'tmux',
  xterm: 'xterm',
  Xvfb: 'xvfb',
  xdotool: 'xdotool',
  import: 'imagemagick',
  xwininfo: 'x11-utils',
  sshd: 'openssh-server',
  ssh: 'openssh-client',
  'ssh-keygen': 'openssh-client',
  ffmpeg: 'ffmpeg',
  python3: 'python3',
  'python3 numpy': 'python3-numpy',
  'python3 cv2': 'python3-opencv',
  ip: 'iproute2',
  tc: 'iproute2',
  nft: 'nftables',
  kitty: 'kitty',
  chafa: 'chafa',
  img2sixel: 'libsixel-bin',
  pulseaudio: 'pulseaudio',
  pactl: 'pulseaudio-utils',
  parec: 'pulseaudio-utils',
  pacat: 'pulseaudio-utils',
  'espeak-ng': 'espeak-ng',
  sox: 'sox',
  chromium: 'chromium',
  turnserver: 'coturn',
};

/** Where daemons live that are not on a normal user's PATH (sshd). */
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The path of a command: from PATH, else from the sbin folders; undefined when it is not installed. */
export function findTool(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { encoding: 'utf8' });
  const found = r.status === 0 ? r.stdout.trim() : '';
  if (found) return found;
  for (const dir of SBIN_DIRS) {
    try {
      accessSync(`${dir}/${cmd}`, constants.X_OK);
      return `${dir}/${cmd}`;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** The first python3 that can import these modules: $TERMCALL_PYTHON, Debian's, then the one on PATH. */
export function python3With(...mods: string[]): string | undefined {
  const code = mods.map((m) => `import ${m}`).join(';') || 'pass';
  for (const exe of [process.env['TERMCALL_PYTHON'], '/usr/bin/python3', 'python3']) {
    if (exe && spawnSync(exe, ['-c', code], { stdio: 'ignore' }).status === 0) return exe;
  }
  return undefined;
}

/** Is this tool (a command, or "python3 MOD") there? */
function haveTool(tool: string): boolean {
  if (tool.startsWith('python3 ')) return python3With(...tool.slice('python3 '.length).split(/\s+/)) !== undefined;
  return findTool(tool) !== undefined;
}

/** Are we under CI (CI=true or CI=1), where a missing tool is the setup's fault and must fail? */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['CI'] === 'true' || env['CI'] === '1';
}

/** How to install a tool, for messages. */
export function installHint(tool: string): string {
  const pkg = TOOL_PACKAGES[tool];
  return pkg ? `apt-get install ${pkg}, or run scripts/setup.sh --test` : 'install it, and add it to scripts/setup.sh --test';
}

/** The `skip` option for a test needing these tools: false when all are there; under CI=true, throws naming them. */
export function needTools(...tools: string[]): false | string {
  return missingTools(tools.filter((t) => !haveTool(t)));
}

/** The skip option (or CI failure) for tools already found missing. */
export function missingTools(missing: readonly string[]): false | string {
  if (missing.length === 0) return false;
  const how = missing.map((t) => `${t} (${installHint(t)})`).join('; ');
  if (underCi()) {
    throw new Error(`this test needs ${how}; missing on this CI machine: scripts/setup.sh --test must install it`);
  }
  return `missing ${how}`;
}

/** The `skip` option for a test that must run as root (sshd logins, network namespaces); under CI, throws. */
export function needRoot(why: string): false | string {
  if (process.getuid?.() === 0) return false;
  if (underCi()) throw new Error(`this test needs root (${why}); CI runs as root, so this is a CI setup fault`);
  return `needs root (${why}): run the tests as root`;
}
