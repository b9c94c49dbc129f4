// A half-open link (a proxy that stops forwarding without closing) is detected by ping timeout on both sides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PING_INTERVAL_MS, PING_TIMEOUT_MS } from '../../src/shared/limits.js';
import { startThrottleProxy, type ThrottleProxy } from '../helpers/throttle-proxy.js';
import { makeTestSource, sharpDecode } from '../helpers/net-test-source.js';
import { callPair, closed, sleep } from '../helpers/net-pair.js';

test('half-open link: both sides end with ERR_PING_TIMEOUT soon after the link goes silent', async (t) => {
  const src = makeTestSource({ width: 320, height: 240, fps: 15 });
  let proxy: ThrottleProxy | undefined;
  const pane = { width: 160, height: 120 };
  const { listener, a, b } = await callPair(
    { name: 'a', pane, source: src, autoAccept: true }, { name: 'b', pane, source: src, decode: sharpDecode },
    async (port) => { proxy = await startThrottleProxy(port); return proxy.port; });
  t.after(async () => { await listener.close(); await proxy?.close(); await src.close(); });
  await b.established;
  await sleep(1500);
  let framesAfterStall = 0;
  proxy?.setStalled(true);
  const stalledAt = performance.now();
  b.on('frame', () => framesAfterStall++);
  const [ia, ib] = await Promise.all([closed(a), closed(b)]);
  const took = performance.now() - stalledAt;
  assert.equal(ia.error?.code, 'ERR_PING_TIMEOUT');
  assert.equal(ib.error?.code, 'ERR_PING_TIMEOUT');
  // Loose bound: the limit plus a generous margin for a loaded machine.
  assert.ok(took < PING_TIMEOUT_MS + PING_INTERVAL_MS + 3000, `detected after ${Math.round(took)} ms`);
  assert.equal(framesAfterStall, 0);
});
