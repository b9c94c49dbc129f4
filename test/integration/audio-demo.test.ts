// The demo peer speaks: a call to it carries the bundled speech (fixtures/speech.wav), heard in a WAV file here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoPeer } from '../../src/calls/demo-peer.js';
import { dial } from '../../src/transport/connect.js';
import { AudioCall } from '../../src/calls/audio-call.js';
import { openAudioOutput } from '../../src/audio/devices.js';
import { alignAudio } from '../../src/audio/align.js';
import { parseWav, resample } from '../../src/audio/wav.js';
import { fixtureSpeech } from '../../src/shared/paths.js';
import { closed, sleep } from '../helpers/net-pair.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, close: () => undefined };

test('the demo peer speaks: its voice is the bundled speech', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'termcall-demo-audio-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const peer = await startDemoPeer(10, quiet);
  t.after(() => peer.close());
  const s = await dial('127.0.0.1', peer.port, { name: 'me', pane: { width: 160, height: 120 }, audio: true });
  await s.established;
  const out = join(dir, 'heard.wav');
  const call = new AudioCall(s, null, openAudioOutput({ kind: 'wav', path: out }), { notice: () => undefined });
  await sleep(6000);
  s.hangup();
  await closed(s);
  call.stop();
  const speech = parseWav(readFileSync(fixtureSpeech()));
  const al = alignAudio(resample(speech.samples, speech.sampleRate, 48000), parseWav(readFileSync(out)).samples, 48000, 5000);
  assert.ok(al.similarity > 0.7, `similarity ${al.similarity}`);
});
