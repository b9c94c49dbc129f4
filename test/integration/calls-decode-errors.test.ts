// A frame that cannot be decoded is dropped, and reported: in the stats (rx.decodeErrors, the JSON line) and the log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from '../../src/shared/frame.js';
import type { SessionStats } from '../../src/call/stats.js';
import type { Logger } from '../../src/shared/log.js';
import { Calls } from '../../src/calls/calls.js';
import { listen } from '../../src/transport/connect.js';
import { makeTestSource, sharpDecode } from '../helpers/net-test-source.js';
import { once } from '../helpers/net-pair.js';

test('undecodable frames are counted in rx.decodeErrors and logged, and the call goes on', async (t) => {
  const source = makeTestSource({ width: 160, height: 120, fps: 30 });
  const peer = await listen({ port: 0, host: '127.0.0.1', call: { name: 'peer', renderer: 'none', pane: { width: 160, height: 120 }, source, decode: null, autoAccept: true } });
  t.after(() => peer.close());
  const warnings: string[] = [];
  const log: Logger = { info: () => undefined, warn: (m) => void warnings.push(m), error: () => undefined, close: () => undefined };
  let decodes = 0;
  // Every other frame fails to decode, as a corrupt JPEG would.
  const decode = (jpeg: Uint8Array): Promise<Frame> => (decodes++ % 2 === 1 ? Promise.reject(new Error('bad JPEG')) : sharpDecode(jpeg));
  const calls = new Calls({
    name: () => 'me', renderer: () => 'truecolor', pane: () => ({ width: 160, height: 120 }), source: () => null, decode, fps: 30,
  }, log);
  t.after(() => calls.stop());
  const frames: Frame[] = [];
  calls.on('frame', (f) => frames.push(f));
  await calls.dial('127.0.0.1', peer.address().port);
  let stats: SessionStats | undefined;
  for (let i = 0; i < 10 && !(stats && stats.rx.decodeErrors > 0 && frames.length > 0); i++) [stats] = await once<[SessionStats]>(calls, 'stats');
  assert.ok(stats && stats.rx.decodeErrors > 0, `decode errors in the stats: ${JSON.stringify(stats?.rx)}`);
  assert.ok(frames.length > 0, 'the frames that decode are still shown');
  assert.ok(warnings.some((w) => /could not be decoded \(1 so far\): bad JPEG/.test(w)), warnings.join('\n'));
});
