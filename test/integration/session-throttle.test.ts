// Through a 1 Mbit/s throttling proxy latency stays bounded (frames are skipped, not queued) and recovers after.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionStats } from '../../src/call/stats.js';
import { startThrottleProxy, type ThrottleProxy } from '../helpers/throttle-proxy.js';
import { makeTestSource, sharpDecode } from '../helpers/net-test-source.js';
import { callPair, sleep } from '../helpers/net-pair.js';

/** Median of numbers. */
function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

test('1 Mbit/s throttle: latency bounded and not growing, frames skipped at the source; recovers when lifted', async (t) => {
  const srcA = makeTestSource({ width: 640, height: 480, fps: 30 });
  const srcB = makeTestSource({ width: 640, height: 480, fps: 30 });
  let proxy: ThrottleProxy | undefined;
  const { listener, a, b } = await callPair(
    { name: 'a', pane: { width: 320, height: 240 }, source: srcA, decode: sharpDecode, autoAccept: true },
    { name: 'b', pane: { width: 320, height: 240 }, source: srcB, decode: sharpDecode },
    async (port) => { proxy = await startThrottleProxy(port, 1000); return proxy.port; },
  );
  t.after(async () => { a.hangup(); b.hangup(); await listener.close(); await proxy?.close(); await srcA.close(); await srcB.close(); });
  await b.established;

  const lat: { t: number; ms: number }[] = [];
  const t0 = performance.now();
  b.on('frame', (_f, info) => lat.push({ t: performance.now() - t0, ms: info.latencyMs }));
  const stats: SessionStats[] = [];
  b.on('stats', (s) => stats.push(s));

  await sleep(12_000);
  const throttled = lat.filter((x) => x.t > 1000);
  const n = throttled.length;
  assert.ok(n > 30, `only ${n} frames arrived through the throttle`);
  const first = median(throttled.slice(0, Math.floor(n / 3)).map((x) => x.ms));
  const lastThird = median(throttled.slice(Math.floor((2 * n) / 3)).map((x) => x.ms));
  const worst = Math.max(...throttled.map((x) => x.ms));
  assert.ok(worst < 2000, `latency reached ${worst} ms`);
  assert.ok(lastThird < first * 1.5 + 100, `latency grew: first third ${first} ms, last third ${lastThird} ms`);
  const s = stats.at(-1);
  assert.ok(s && s.rx.skippedBySender > 30, `sender skipped ${s?.rx.skippedBySender} frames`);
  assert.ok(s.rx.kbps < 1100, `received ${s.rx.kbps} kbit/s through a 1000 kbit/s link`);
  const throttledFps = median(stats.slice(-5).map((x) => x.rx.fps));
  const throttledQuality = s.rx.quality;

  proxy?.setRateKbps(null);
  await sleep(8_000);
  const after = stats.slice(-3);
  const fpsAfter = median(after.map((x) => x.rx.fps));
  const qAfter = after.at(-1)?.rx.quality ?? 0;
  assert.ok(fpsAfter > throttledFps * 1.3 || qAfter > throttledQuality,
    `no recovery: fps ${throttledFps} -> ${fpsAfter}, quality ${throttledQuality} -> ${qAfter}`);
  assert.ok(fpsAfter > 20, `fps after the throttle lifted: ${fpsAfter}`);
  const recent = lat.filter((x) => x.t > performance.now() - t0 - 2000).map((x) => x.ms);
  assert.ok(median(recent) < 100, `latency after lifting: ${median(recent)} ms`);
  process.stderr.write(`throttle: first ${first} ms, last ${lastThird} ms, worst ${worst}, fps ${throttledFps}->${fpsAfter}, q ${throttledQuality}->${qAfter}\n`);
});
