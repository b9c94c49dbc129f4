// Tests that need an outside tool: under CI a missing tool is a failure that names it; elsewhere a skip that says
// how to get it. Use as the test's `skip` option: test('…', { skip: needTools('tmux') }, …).
import { spawnSync } from 'node:child_process';

/** How to install each tool the tests drive (Debian package names; `npm test` installs them all). */
const INSTALL: Record<string, string> = {
  tmux: 'apt-get install tmux',
  xterm: 'apt-get install xterm',
  Xvfb: 'apt-get install xvfb',
  xdotool: 'apt-get install xdotool',
  import: 'apt-get install imagemagick',
  xwininfo: 'apt-get install x11-utils',
  sshd: 'apt-get install openssh-server',
  ssh: 'apt-get install openssh-client',
  ffmpeg: 'apt-get install ffmpeg',
  python3: 'apt-get install python3',
  'python3 numpy': 'apt-get install python3-numpy',
  'python3 cv2': 'apt-get install python3-opencv',
  ip: 'apt-get install iproute2',
  tc: 'apt-get install iproute2',
  nft: 'apt-get install nftables',
};

/** Is the command on PATH (or an absolute path that runs)? */
export function haveCommand(cmd: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${JSON.stringify(cmd)}`], { stdio: 'ignore' });
  return r.status === 0;
}

/** Can python3 import these modules? */
export function havePythonModules(...mods: string[]): boolean {
  const r = spawnSync('python3', ['-c', mods.map((m) => `import ${m}`).join(';')], { stdio: 'ignore' });
  return r.status === 0;
}

/** The `skip` option for a test needing these tools: false when all are there; under CI=true, throws naming them. */
export function needTools(...tools: string[]): false | string {
  const missing = tools.filter((t) => {
    if (t.startsWith('python3 ')) return !havePythonModules(t.slice('python3 '.length));
    return !haveCommand(t);
  });
  return missingTools(missing);
}

/** The skip option (or CI failure) for tools already found missing. */
export function missingTools(missing: readonly string[]): false | string {
  if (missing.length === 0) return false;
  const how = missing.map((t) => `${t} (${INSTALL[t] ?? 'install it'})`).join(', ');
  if (process.env['CI'] === 'true' || process.env['CI'] === '1') {
    throw new Error(`this test needs ${how}, which is missing on this CI machine: add it to scripts/setup.sh --test`);
  }
  return `missing ${how}`;
}
