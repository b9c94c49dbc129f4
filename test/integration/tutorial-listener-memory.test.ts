// The real `termcall listen --wire pickle --headless` under connections that each announce a huge, allowed pickle and
// send a little: its memory grows with the bytes that arrive, not with the lengths announced, and every connection
// beyond the first is refused while that one is on.
//
// Memory is read from /proc/PID/status. VmRSS shows what the process has touched: it catches a listener that reads
// every connection. VmData shows what it has allocated, touched or not: it catches a decoder that reserves the
// announced length up front (an untouched 47 MiB buffer adds almost nothing to VmRSS).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { test } from 'node:test';
import { TUTORIAL_MAX_PICKLE_BYTES } from '../../src/shared/limits.js';
import { settleWithin } from '../helpers/settle.js';
import { isolatedEnv, startTermcall } from '../helpers/termcall-process.js';

const CONNECTIONS = 40;
/** Each connection sends this much of its announced ~50 MB pickle. */
const SENT_PER_CONNECTION = 1024 * 1024;

interface Memory { rss: number; hwm: number; data: number }

/** VmRSS, VmHWM (peak RSS) and VmData of a process, in bytes. */
function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(status);
    assert.ok(m, `no ${key} in /proc/${pid}/status`);
    return Number(m[1]) * 1024;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM'), data: kb('VmData') };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The memory of an idle process once it has settled (its media worker may still be starting): bounded. */
async function settledMemory(pid: number): Promise<Memory> {
  let last = memoryOf(pid);
  for (let i = 0; i < 40; i++) {
    await sleep(100);
    const m = memoryOf(pid);
    const still = Math.abs(m.rss - last.rss) < 256 * 1024 && Math.abs(m.data - last.data) < 256 * 1024;
    last = m;
    if (still) break;
  }
  return last;
}

/** Opens a connection that announces TUTORIAL_MAX_PICKLE_BYTES and sends SENT_PER_CONNECTION bytes of it. */
async function attack(port: number): Promise<{ sock: net.Socket; closed: Promise<void> }> {
  const sock = net.connect({ host: '127.0.0.1', port });
  sock.on('error', () => undefined);
  const closed = new Promise<void>((r) => sock.once('close', () => r()));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(TUTORIAL_MAX_PICKLE_BYTES));
  sock.write(Buffer.concat([prefix, Buffer.alloc(SENT_PER_CONNECTION, 0x41)]));
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  return { sock, closed };
}

test(`termcall listen --wire pickle: ${CONNECTIONS} connections announcing ${TUTORIAL_MAX_PICKLE_BYTES}-byte pickles and sending 1 MiB each: memory stays bounded, all but the first are refused`, async (t) => {
  const tc = startTermcall(t, isolatedEnv(t), ['listen', '--wire', 'pickle', '--headless', '--bind', '127.0.0.1', '--port', '0']);
  const port = Number((await tc.waitOut(/waiting for a tutorial program on 127\.0\.0\.1:(\d+)/))[1]);
  const pid = tc.child.pid;
  assert.ok(pid !== undefined);
  const before = await settledMemory(pid);

  const conns: Awaited<ReturnType<typeof attack>>[] = [];
  t.after(() => { for (const c of conns) c.sock.destroy(); });
  let closes = 0;
  let onClose = (): void => undefined;
  const allRefused = new Promise<void>((r) => { onClose = () => { if (++closes === CONNECTIONS - 1) r(); }; });
  for (let i = 0; i < CONNECTIONS; i++) {
    const c = await attack(port);
    conns.push(c);
    void c.closed.then(onClose);
  }
  const first = conns[0]!;
  const refused = await settleWithin(allRefused, 20_000);
  assert.equal(refused.state, 'fulfilled', `${closes} of ${CONNECTIONS - 1} connections beyond the first were refused`);
  assert.equal(first.sock.destroyed, false, 'the first connection is the link, still on');
  // The link has read bytes (a stats line with a non-zero rate), so its decoder has its body buffer: sample now.
  await tc.waitOut(/^tutorial \(pickle\): rx \S+ \S+ [1-9]\d*kbit\/s/m);
  const samples: Memory[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(memoryOf(pid));
    await sleep(100);
  }
  assert.equal(closes, CONNECTIONS - 1, 'the link is still on');
  // The first connection ends: the link reports it read exactly what was sent, then is gone.
  first.sock.end();
  await tc.waitOut(new RegExp(`^link closed: pickle wire: stream ended ${SENT_PER_CONNECTION} bytes into a ${TUTORIAL_MAX_PICKLE_BYTES}-byte pickle`, 'm'));
  samples.push(memoryOf(pid));
  assert.equal(tc.stdout().match(/^connected: /gm)?.length, 1, `only the first connection became a link:\n${tc.stdout()}`);

  const last = samples[samples.length - 1]!;
  const peakRss = Math.max(...samples.map((m) => m.rss), last.hwm > before.hwm ? last.hwm : 0);
  const peakData = Math.max(...samples.map((m) => m.data));
  const sent = CONNECTIONS * (8 + SENT_PER_CONNECTION);
  const announced = CONNECTIONS * TUTORIAL_MAX_PICKLE_BYTES;
  const rssGrowth = peakRss - before.rss;
  const dataGrowth = peakData - before.data;
  const report = `sent ${sent} B, announced ${announced} B; listener RSS grew ${rssGrowth} B, VmData ${dataGrowth} B`;
  t.diagnostic(report);
  // Bounded: a third of what was sent, let alone announced. A listener reading every connection grows RSS by about
  // what was sent; a decoder reserving the announced length grows VmData by ~47 MiB for the one link.
  assert.ok(rssGrowth < sent / 3, report);
  assert.ok(dataGrowth < sent / 3, report);
});
