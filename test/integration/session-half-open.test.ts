// A half-open link (a proxy that stops forwarding without closing) is detected by ping timeout on both sides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PING_INTERVAL_MS, PING_TIMEOUT_MS } from '../../src/shared/limits.js';
import { startThrottleProxy, type ThrottleProxy } from '../helpers/throttle-proxy.js';
import { makeTestSource, sharpDecode } from '../helpers/net-test-source.js';
import { callPair, closed, sleep } from '../helpers/net-pair.js';

/** How long a frame received before the stall may take to come out of decoding and the presentation hold. */
const FRAME_PIPELINE_MS = 500;

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
  // A frame already through the proxy may still be decoding or held for presentation when the link stalls (one came
  // out after the stall in a CI run); none may arrive once that pipeline has drained.
  b.on('frame', () => { if (performance.now() - stalledAt > FRAME_PIPELINE_MS) framesAfterStall++; });
  const [ia, ib] = await Promise.all([closed(a), closed(b)]);
  const took = performance.now() - stalledAt;
  assert.equal(ia.error?.code, 'ERR_PING_TIMEOUT');
  assert.equal(ib.error?.code, 'ERR_PING_TIMEOUT');
  // Loose bound: the limit plus a generous margin for a loaded machine.
  assert.ok(took < PING_TIMEOUT_MS + PING_INTERVAL_MS + 3000, `detected after ${Math.round(took)} ms`);
  assert.equal(framesAfterStall, 0);
});
