// Two homes behind nftables masquerade NATs (endpoint-independent mapping) in network namespaces, coturn as STUN
// and TURN in an "internet" namespace: `termcall webrtc offer|answer` exchange blobs through files, the call
// connects on a direct server-reflexive path (cone NATs) or relayed by TURN (symmetric NATs), video both ways; on a
// link with a real round trip (scripts/delay-wire.py) at 2% loss, WebRTC video against TCP. Needs root, ip, nft, tc,
// turnserver (python3 for the delay).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import type { SessionStats } from '../../src/call/stats.js';
import { createReachRig, rigIceArgs, type LinkShape, type NatKind } from '../../src/bench/reach-rig.js';
import { runOnce } from '../../src/bench/reach-bench.js';
import { needRoot, needTools } from '../helpers/require-tool.js';

/** Poll until check() is true or ms pass. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

/** The stats lines written so far. */
function lines(file: string): SessionStats[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as SessionStats);
}

/** SIGINT, then SIGKILL after 5 s; resolves when the child exited. */
function stop(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => c.kill('SIGKILL'), 5_000);
    c.once('exit', () => { clearTimeout(t); resolve(); });
    c.kill('SIGINT');
  });
}

/** Run a call between the two homes of a fresh rig; expect video both ways on a path of kind, candidates matching cands. */
async function callThrough(t: TestContext, nat: NatKind, extra: string[], kind: 'direct' | 'relayed', cands: RegExp,
  link: LinkShape & { lossPercent?: number; check?: (stats: SessionStats[]) => void } = {}): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-nat-'));
    const rig = createReachRig(`${nat[0]}${process.pid % 10000}`, nat, dir, link);
    if (link.lossPercent) rig.setLoss(link.lossPercent);
    const kids: ChildProcess[] = [];
    t.after(async () => {
      for (const k of kids) await stop(k);
      rig.remove();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const env = { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state') };
    const common = ['--source', 'test', ...rigIceArgs(), ...extra, '--log-file', path.join(dir, 'termcall.log')];
    const aStats = path.join(dir, 'a.jsonl');
    const bStats = path.join(dir, 'b.jsonl');
    kids.push(rig.spawnIn(rig.homeA, [process.execPath, 'bin/termcall', 'webrtc', 'offer', '--out', path.join(dir, 'offer'),
      '--in', path.join(dir, 'answer'), '--stats-file', aStats, ...common], path.join(dir, 'a.out'), env));
    kids.push(rig.spawnIn(rig.homeB, [process.execPath, 'bin/termcall', 'webrtc', 'answer', '--auto-accept', '--in', path.join(dir, 'offer'),
      '--out', path.join(dir, 'answer'), '--stats-file', bStats, ...common], path.join(dir, 'b.out'), env));
    const flowing = (f: string): boolean => lines(f).filter((s) => s.rx.fps > 0 && s.tx.fps > 0).length >= 3;
    const ok = await until(() => flowing(aStats) && flowing(bStats), 45_000);
    const why = (): string => `a: ${fs.readFileSync(path.join(dir, 'a.out'), 'utf8').slice(0, 600)}\nb: ${fs.readFileSync(path.join(dir, 'b.out'), 'utf8').slice(0, 600)}`;
    assert.ok(ok, `video did not flow both ways\n${why()}`);
    for (const f of [aStats, bStats]) {
      const last = lines(f).at(-1);
      assert.equal(last?.path?.kind, kind, why());
      assert.match(last?.path?.candidates ?? '', cands);
      link.check?.(lines(f));
    }
  }

const skip = needTools('ip', 'nft', 'tc', 'turnserver') || needRoot('network namespaces, nftables NAT and coturn');

test('behind two masquerade NATs a WebRTC call connects directly (srflx), video flows both ways, stats name the path',
  { skip, timeout: 90_000 }, (t) => callThrough(t, 'cone', [], 'direct', /srflx|prflx/));

test('behind two symmetric NATs (masquerade fully-random) a relay-only call goes through coturn, video both ways',
  { skip, timeout: 90_000 }, (t) => callThrough(t, 'symmetric', ['--relay-only'], 'relayed', /^relay→relay$/));

test('behind two symmetric NATs with STUN and TURN (no --relay-only) the relay is picked on its own, video both ways',
  { skip, timeout: 90_000 }, (t) => callThrough(t, 'symmetric', [], 'relayed', /relay/));

test('on a link with a 100 ms round trip (scripts/delay-wire.py) and 2% loss the call connects directly, the path shows ' +
  'the round trip, and more than 2 frames are in flight (the window holds the round trip, or 30 fps could not pass)',
{ skip: needTools('python3') || skip, timeout: 90_000 }, (t) => callThrough(t, 'cone', [], 'direct', /srflx|prflx/, {
  oneWayDelayMs: 50, lossPercent: 2,
  check: (stats) => {
    const rtts = stats.map((s) => s.path?.rttMs ?? Number.NaN).filter(Number.isFinite);
    assert.ok(rtts.length > 0 && Math.max(...rtts) >= 95, `path RTTs ${rtts.join(', ')} ms: the delay wire adds 100 ms`);
    const inFlight = stats.map((s) => s.tx.inFlight);
    assert.ok(Math.max(...inFlight) > 2, `frames in flight per stats line: ${inFlight.join(', ')}`);
  },
}));

test('with 2% loss on a 100 ms round trip, WebRTC video p95 latency is well under TCP\'s on the same link (TCP stalls a ' +
  'round trip behind each lost packet; the RTP lane drops or repairs a fragment)', { skip: needTools('python3') || skip, timeout: 150_000 }, async () => {
  const tag = `l${process.pid % 10000}`;
  const webrtc = await runOnce('cone', 'webrtc', 2, 4000, `${tag}w`, 50);
  const tcp = await runOnce('cone', 'tcp', 2, 4000, `${tag}t`, 50);
  const ratio = webrtc.latencyP95Ms / tcp.latencyP95Ms;
  // measured 0.36 here (63.5 against 175 ms); the bound leaves room for a loaded machine
  assert.ok(ratio < 0.8, `p95 WebRTC ${webrtc.latencyP95Ms} ms, TCP ${tcp.latencyP95Ms} ms: ratio ${ratio.toFixed(2)}`);
  assert.equal(webrtc.path, 'direct srflx→srflx');
});
