// Network namespaces for the reach tests and bench: an "internet" (203.0.113.0/24) running coturn as STUN and TURN,
// two homes (192.0.2.0/24 and 198.51.100.0/24) each behind a NAT namespace. NATs are nftables masquerade
// (endpoint-independent mapping: a direct path is expected) or masquerade fully-random (a new port per
// destination, i.e. symmetric: TURN is expected). tbf shapes and `numgen random` drops on the NATs' WAN side. The
// kernel has no netem, so a round trip, when asked for, comes from scripts/delay-wire.py: NAT A's WAN cable is then a
// pair of TAP devices that a userspace process joins with a fixed delay each way.
// Needs root, ip (iproute2), nft (nftables), turnserver (coturn), and python3 for a delay. Every name carries a unique
// tag; remove() undoes all.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../shared/paths.js';

export const INET_TURN_IP = '203.0.113.1';
export const TURN_USER = 'termcall';
export const TURN_PASS = 'reach-test';
export const HOME_A_IP = '192.0.2.2';
export const HOME_B_IP = '198.51.100.2';
export const NAT_A_WAN = '203.0.113.10';
export const NAT_B_WAN = '203.0.113.20';

export type NatKind = 'cone' | 'symmetric';

/** A running topology. */
export interface ReachRig {
  readonly homeA: string;
  readonly homeB: string;
  readonly natA: string;
  readonly natB: string;
  /** Drop N% of the packets between the homes (at NAT A, both directions), 0 to stop dropping. */
  setLoss(percent: number): void;
  /** Forward TCP port on NAT A's WAN address to home A (for the TCP comparison on the same link). */
  forwardTcp(port: number): void;
  /** Start a program inside a namespace; its output goes to file. */
  spawnIn(ns: string, args: string[], outFile: string, env?: NodeJS.ProcessEnv): ChildProcess;
  remove(): void;
}

/** Run a command; throw with its stderr on failure. */
function run(cmd: string, args: string[], input?: string): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message || ''}`);
}

/** How the link between the homes is shaped. */
export interface LinkShape {
  /** tbf rate on both NATs' WAN and LAN egress (0 or absent: none). */
  rateKbit?: number;
  /** Delay added each way on NAT A's WAN cable (0 or absent: none): the homes' round trip grows by twice this. */
  oneWayDelayMs?: number;
}

/** Sleep synchronously (the rig is built with synchronous commands). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Start scripts/delay-wire.py joining two new TAP devices with a delay each way; returns once both exist. */
function startDelayWire(delayMs: number, tap0: string, tap1: string, children: ChildProcess[]): void {
  const c = spawn('python3', [path.join(packageRoot(), 'scripts', 'delay-wire.py'), String(delayMs), tap0, tap1], { stdio: ['pipe', 'ignore', 'inherit'] });
  children.push(c);
  const exists = (dev: string): boolean => spawnSync('ip', ['link', 'show', 'dev', dev], { stdio: 'ignore' }).status === 0;
  for (let i = 0; i < 100 && !(exists(tap0) && exists(tap1)); i++) sleepSync(50);
  if (!(exists(tap0) && exists(tap1))) throw new Error(`delay-wire.py did not create ${tap0} and ${tap1} within 5 s`);
}

/** Build the topology; natKind applies to both NATs; shape adds tbf and a delay (see LinkShape). */
export function createReachRig(tag: string, natKind: NatKind, dir: string, shape: LinkShape = {}): ReachRig {
  const rateKbit = shape.rateKbit ?? 0;
  const delayMs = shape.oneWayDelayMs ?? 0;
  const ns = { inet: `rc${tag}i`, natA: `rc${tag}na`, natB: `rc${tag}nb`, homeA: `rc${tag}ha`, homeB: `rc${tag}hb` };
  const children: ChildProcess[] = [];
  const remove = (): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const n of Object.values(ns)) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
  };
  const exec = (n: string, cmd: string, args: string[], input?: string): void => run('ip', ['netns', 'exec', n, cmd, ...args], input);
  const veth = (a: string, aDev: string, b: string, bDev: string): void => {
    run('ip', ['link', 'add', aDev, 'netns', a, 'type', 'veth', 'peer', 'name', bDev, 'netns', b]);
  };
  try {
    for (const n of Object.values(ns)) {
      run('ip', ['netns', 'add', n]);
      run('ip', ['-n', n, 'link', 'set', 'lo', 'up']);
    }
    run('ip', ['-n', ns.inet, 'link', 'add', 'br0', 'type', 'bridge']);
    run('ip', ['-n', ns.inet, 'addr', 'add', `${INET_TURN_IP}/24`, 'dev', 'br0']);
    run('ip', ['-n', ns.inet, 'link', 'set', 'br0', 'up']);
    const sides = [
      { nat: ns.natA, home: ns.homeA, wan: NAT_A_WAN, lanNet: '192.0.2', homeIp: HOME_A_IP, p: 'a' },
      { nat: ns.natB, home: ns.homeB, wan: NAT_B_WAN, lanNet: '198.51.100', homeIp: HOME_B_IP, p: 'b' },
    ];
    for (const s of sides) {
      if (s.p === 'a' && delayMs > 0) {
        // the WAN cable of NAT A: two TAP devices made in this namespace, then moved to their ends
        const [t0, t1] = [`dw${tag}0`, `dw${tag}1`];
        startDelayWire(delayMs, t0, t1, children);
        run('ip', ['link', 'set', t0, 'netns', s.nat]);
        run('ip', ['-n', s.nat, 'link', 'set', t0, 'name', 'wan']);
        run('ip', ['link', 'set', t1, 'netns', ns.inet]);
        run('ip', ['-n', ns.inet, 'link', 'set', t1, 'name', `up${s.p}`]);
      } else {
        veth(s.nat, 'wan', ns.inet, `up${s.p}`);
      }
      run('ip', ['-n', ns.inet, 'link', 'set', `up${s.p}`, 'master', 'br0', 'up']);
      run('ip', ['-n', s.nat, 'addr', 'add', `${s.wan}/24`, 'dev', 'wan']);
      run('ip', ['-n', s.nat, 'link', 'set', 'wan', 'up']);
      veth(s.nat, 'lan', s.home, 'eth0');
      run('ip', ['-n', s.nat, 'addr', 'add', `${s.lanNet}.1/24`, 'dev', 'lan']);
      run('ip', ['-n', s.nat, 'link', 'set', 'lan', 'up']);
      run('ip', ['-n', s.home, 'addr', 'add', `${s.homeIp}/24`, 'dev', 'eth0']);
      run('ip', ['-n', s.home, 'link', 'set', 'eth0', 'up']);
      run('ip', ['-n', s.home, 'route', 'add', 'default', 'via', `${s.lanNet}.1`]);
      exec(s.nat, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
      const masq = natKind === 'symmetric' ? 'masquerade fully-random' : 'masquerade';
      exec(s.nat, 'nft', ['-f', '-'], `table ip nat {
  chain pre { type nat hook prerouting priority -100; }
  chain post { type nat hook postrouting priority 100; oifname "wan" ${masq}; }
}
table inet fw {
  # Unsolicited packets to the router are dropped before their conntrack entry is confirmed: otherwise a peer's
  # early hole-punching packet takes the tuple and masquerade must pick another port (the punch then fails).
  chain in { type filter hook input priority 0; iifname "wan" ct state new drop; }
}
table inet loss {
  chain drops { type filter hook forward priority 0; }
}
`);
      if (rateKbit > 0) {
        for (const dev of ['wan', 'lan']) {
          exec(s.nat, 'tc', ['qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', `${rateKbit}kbit`, 'burst', '16kb', 'latency', '100ms']);
        }
      }
    }
  } catch (err) {
    remove();
    throw err;
  }
  const turnLog = path.join(dir, 'turnserver.log');
  const spawnIn = (n: string, args: string[], outFile: string, env?: NodeJS.ProcessEnv): ChildProcess => {
    const out = fs.openSync(outFile, 'w');
    const c = spawn('ip', ['netns', 'exec', n, ...args], { cwd: packageRoot(), env: env ?? process.env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    children.push(c);
    return c;
  };
  spawnIn(ns.inet, ['turnserver', '-n', '--listening-ip', INET_TURN_IP, '--relay-ip', INET_TURN_IP, '--listening-port', '3478',
    '--lt-cred-mech', '--user', `${TURN_USER}:${TURN_PASS}`, '--realm', 'reach.test', '--no-tls', '--no-dtls', '--no-cli',
    '--fingerprint', '--min-port', '49152', '--max-port', '49500', '--log-file', 'stdout', '--simple-log', '-v',
    '--pidfile', path.join(dir, 'turnserver.pid'), '--userdb', path.join(dir, 'turndb')], turnLog);
  return {
    homeA: ns.homeA, homeB: ns.homeB, natA: ns.natA, natB: ns.natB,
    setLoss(percent) {
      // On NAT A only, both directions: each packet between the homes crosses it once, so N% end to end.
      for (const n of [ns.natA]) {
        exec(n, 'nft', ['flush', 'chain', 'inet', 'loss', 'drops']);
        if (percent > 0) exec(n, 'nft', ['add', 'rule', 'inet', 'loss', 'drops', 'numgen', 'random', 'mod', '100', '<', String(percent), 'drop']);
      }
    },
    forwardTcp(port) {
      exec(ns.natA, 'nft', ['add', 'rule', 'ip', 'nat', 'pre', 'iifname', 'wan', 'tcp', 'dport', String(port), 'dnat', 'to', `${HOME_A_IP}:${port}`]);
    },
    spawnIn,
    remove,
  };
}

/** ICE options pointing at the rig's coturn (STUN and TURN on the same port). */
export function rigIceArgs(): string[] {
  return ['--stun', `stun:${INET_TURN_IP}:3478`, '--turn', `turn:${TURN_USER}:${TURN_PASS}@${INET_TURN_IP}:3478`];
}
