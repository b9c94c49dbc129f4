// A call's audio against a scripted peer: packets played from the jitter buffer into a WAV file, a corrupt Opus
// packet concealed and counted, an audio message over its limit ending the call with ERR_MESSAGE_TOO_LARGE,
// audio refused before acceptance, mute told to the peer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage, encodePreamble } from '../../../src/protocol/codec.js';
import { FEATURE, MSG, type Message } from '../../../src/protocol/messages.js';
import { Session } from '../../../src/call/session.js';
import { AudioCall } from '../../../src/calls/audio-call.js';
import { openAudioOutput } from '../../../src/audio/devices.js';
import { OpusEncoder } from '../../../src/audio/opus-codec.js';
import { parseWav } from '../../../src/audio/wav.js';
import { rmsDbfs } from '../../../src/audio/levels.js';
import { AUDIO_FIXED_BYTES } from '../../../src/protocol/messages.js';
import { AUDIO_FRAME_SAMPLES, MAX_OPUS_PACKET_BYTES } from '../../../src/shared/limits.js';
import { closed, sleep } from '../../helpers/net-pair.js';
import { scriptedPeer } from '../../helpers/net-scripted-peer.js';

const helloAudio: Message = { type: 'hello', name: 'p', renderer: '', paneWidth: 64, paneHeight: 48, features: FEATURE.audio };

/** A 440 Hz tone frame. */
function tone(i: number): Int16Array {
  return Int16Array.from({ length: AUDIO_FRAME_SAMPLES }, (_, k) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * (i * AUDIO_FRAME_SAMPLES + k)) / 48000)));
}

/** A dialer session with audio, accepted by the scripted listener. */
function activeDialer() {
  const peer = scriptedPeer({});
  const s = new Session(peer.stream, { role: 'dialer', name: 'me', pane: { width: 64, height: 48 }, audio: true });
  peer.reply(Buffer.concat([encodePreamble(), encodeMessage(helloAudio), encodeMessage({ type: 'accept' })]));
  return { s, peer };
}

test('packets are played into the speaker; a corrupt packet is concealed and counted; the call goes on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'termcall-audio-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { s, peer } = activeDialer();
  await s.established;
  const out = join(dir, 'out.wav');
  const call = new AudioCall(s, null, openAudioOutput({ kind: 'wav', path: out }), { notice: () => undefined });
  const enc = new OpusEncoder();
  const t0 = Date.now();
  for (let i = 0; i < 50; i++) {
    const opus = i === 20 ? Uint8Array.of(0xff, 0xff, 0xff, 0xff, 1, 2, 3) : enc.encode(tone(i));
    peer.reply(encodeMessage({ type: 'audio', seq: i, captureTs: t0 + i * 20, opus }));
    await sleep(20);
  }
  await sleep(200);
  const st = call.stats();
  s.hangup();
  call.stop();
  assert.equal(st.corrupt, 1);
  assert.ok(st.played >= 45, `played ${st.played}`);
  assert.equal(s.state, 'closed');
  const wav = parseWav(readFileSync(out));
  assert.ok(wav.samples.length >= 40 * AUDIO_FRAME_SAMPLES, `${wav.samples.length} samples written`);
  assert.ok(rmsDbfs(wav.samples) > -20, `the tone is in the file (${rmsDbfs(wav.samples)} dBFS)`);
  assert.equal(s.isClosed(), true);
});

test('an audio message over its limit ends the call with ERR_MESSAGE_TOO_LARGE, before its payload is buffered', async () => {
  const { s, peer } = activeDialer();
  await s.established;
  const h = Buffer.alloc(5);
  h.writeUInt8(MSG.audio, 0);
  h.writeUInt32BE(AUDIO_FIXED_BYTES + MAX_OPUS_PACKET_BYTES + 1, 1);
  peer.reply(h);
  const info = await closed(s, 8000);
  assert.equal(info.error?.code, 'ERR_MESSAGE_TOO_LARGE');
});

test('audio before the call is accepted is refused', async () => {
  const peer = scriptedPeer({});
  const s = new Session(peer.stream, { role: 'dialer', name: 'me', pane: { width: 64, height: 48 }, audio: true });
  peer.reply(Buffer.concat([encodePreamble(), encodeMessage(helloAudio),
    encodeMessage({ type: 'audio', seq: 0, captureTs: 1, opus: Uint8Array.of(0xf8) })]));
  assert.equal((await closed(s, 8000)).error?.code, 'ERR_UNEXPECTED_MESSAGE');
});

test('mute is told to the peer; no audio is sent to a peer that did not announce audio', async () => {
  const { s, peer } = activeDialer();
  await s.established;
  const call = new AudioCall(s, null, null, { notice: () => undefined });
  call.setMicMuted(true);
  await sleep(20);
  const states = peer.all.filter((m) => m.type === 'audioState');
  assert.ok(states.at(-1)?.type === 'audioState' && states.at(-1)?.micMuted === true);
  s.hangup();
  call.stop();

  const plain = scriptedPeer({});
  const s2 = new Session(plain.stream, { role: 'dialer', name: 'me', pane: { width: 64, height: 48 }, audio: true });
  plain.reply(Buffer.concat([encodePreamble(), encodeMessage({ ...helloAudio, features: 0 } as Message), encodeMessage({ type: 'accept' })]));
  await s2.established;
  s2.sendAudio(0, 1, Uint8Array.of(0xf8));
  s2.setAudioState({ micMuted: true, noMic: false, speakerOff: false });
  await sleep(20);
  assert.equal(plain.all.filter((m) => m.type === 'audio' || m.type === 'audioState').length, 0);
  s2.hangup();
});
