// Lip sync end to end in one call: a scripted peer sends a clip with a flash and a beep at the same capture instants
// (video at once, audio in bursts as over a loaded link, so the jitter buffer holds ~200 ms); the receiving call shows
// frames through the audio play-out clock. The offset between the flash shown and the beep heard (from the WAV
// speaker, paced to hold AUDIO_DEVICE_LEAD_MS: a frame starts to be heard LEAD − one frame after it is written) must
// be inside ITU-R BT.1359's +45/−125 ms. Without the hold it is about −180 ms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { encodeMessage, encodePreamble } from '../../../src/protocol/codec.js';
import { FEATURE, type Message } from '../../../src/protocol/messages.js';
import { Session } from '../../../src/call/session.js';
import { AudioCall } from '../../../src/calls/audio-call.js';
import { openAudioOutput } from '../../../src/audio/devices.js';
import { OpusEncoder } from '../../../src/audio/opus-codec.js';
import { rmsDbfs } from '../../../src/audio/levels.js';
import { nowMs, type Frame } from '../../../src/shared/frame.js';
import { AUDIO_DEVICE_LEAD_MS, AUDIO_FRAME_MS, AUDIO_FRAME_SAMPLES } from '../../../src/shared/limits.js';
import { sleep } from '../../helpers/net-pair.js';
import { scriptedPeer } from '../../helpers/net-scripted-peer.js';

const helloAudio: Message = { type: 'hello', name: 'p', renderer: '', paneWidth: 64, paneHeight: 48, features: FEATURE.audio };
/** Audio frames (20 ms) per flash period; the beep lasts two frames, the flash one video frame (every other audio frame). */
const PERIOD_FRAMES = 24;
const FRAMES = 24 * 9;
/** Audio is delivered in bursts of this many frames (160 ms of jitter). */
const BURST = 8;

/** A 1 kHz beep frame or silence. */
function audioFrame(beep: boolean, i: number): Int16Array {
  return Int16Array.from({ length: AUDIO_FRAME_SAMPLES }, (_, k) =>
    (beep ? Math.round(12000 * Math.sin((2 * Math.PI * 1000 * (i * AUDIO_FRAME_SAMPLES + k)) / 48000)) : 0));
}

/** A solid grey JPEG. */
function jpeg(level: number): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: level, g: level, b: level } } }).jpeg().toBuffer();
}

/** Decode with sharp into BGR (grey, so channel order does not matter). */
async function decode(j: Uint8Array): Promise<Frame> {
  const { data, info } = await sharp(j).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, captureTs: 0, seq: 0 };
}

/** Median of values. */
function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

test('lip sync: the flash is shown within +45/−125 ms of the beep heard, though audio is held ~200 ms longer than video', { timeout: 30_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'termcall-lipsync-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const peer = scriptedPeer({});
  const s = new Session(peer.stream, { role: 'dialer', name: 'me', pane: { width: 64, height: 48 }, audio: true, decode });
  peer.reply(Buffer.concat([encodePreamble(), encodeMessage(helloAudio), encodeMessage({ type: 'accept' })]));
  await s.established;
  // The real WAV speaker, watched: when each frame was written and whether it was loud.
  const wav = openAudioOutput({ kind: 'wav', path: join(dir, 'out.wav') });
  assert.ok(wav);
  const heard: { at: number; loud: boolean }[] = [];
  const write = wav.write.bind(wav);
  wav.write = (pcm) => { heard.push({ at: nowMs() + AUDIO_DEVICE_LEAD_MS - AUDIO_FRAME_MS, loud: rmsDbfs(pcm) > -30 }); write(pcm); };
  const shown: { at: number; bright: boolean }[] = [];
  const call = new AudioCall(s, null, wav, { notice: () => undefined, show: (f) => shown.push({ at: nowMs(), bright: (f.data[0] ?? 0) > 128 }) });
  s.on('frame', (f) => call.videoFrame(f));
  t.after(() => { s.hangup(); call.stop(); });
  const [dark, light] = await Promise.all([jpeg(16), jpeg(240)]);
  const enc = new OpusEncoder();
  let burst: Buffer[] = [];
  const start = nowMs();
  for (let i = 0; i < FRAMES; i++) {
    // Pace by the clock: frame i is captured at start + 20 i.
    const wait = start + i * 20 - nowMs();
    if (wait > 0) await sleep(wait);
    const ts = nowMs();
    const phase = i % PERIOD_FRAMES;
    burst.push(encodeMessage({ type: 'audio', seq: i, captureTs: ts, opus: enc.encode(audioFrame(phase < 2, i)) }));
    if (i % 2 === 0) peer.reply(encodeMessage({ type: 'video', seq: i / 2, captureTs: ts, width: 64, height: 48, quality: 50, jpeg: phase === 0 ? light : dark }));
    if (burst.length === BURST) {
      peer.reply(Buffer.concat(burst));
      burst = [];
    }
  }
  await sleep(600);
  // Onsets after the first two periods (the jitter buffer settles): flash shown vs the beep heard nearest to it.
  const settled = start + 2 * PERIOD_FRAMES * 20;
  const flashes = shown.filter((e, k) => e.bright && !(shown[k - 1]?.bright ?? false) && e.at > settled).map((e) => e.at);
  const beeps = heard.filter((e, k) => e.loud && !(heard[k - 1]?.loud ?? false) && e.at > settled).map((e) => e.at);
  const offsets = flashes.map((f) => f - beeps.reduce((b, x) => (Math.abs(x - f) < Math.abs(b - f) ? x : b), Number.POSITIVE_INFINITY));
  const st = call.stats();
  process.stderr.write(`lip sync: flash − beep ${offsets.map((o) => o.toFixed(0)).join(', ')} ms (positive: audio ahead); ` +
    `audio capture → heard p50 ${st.latencyMs} ms, jitter target ${st.jitterTargetMs} ms, stats sync ${st.lipSyncMs} ms\n`);
  assert.ok(flashes.length >= 4, `${flashes.length} flashes shown`);
  assert.ok(beeps.length >= 4, `${beeps.length} beeps heard`);
  const m = median(offsets);
  assert.ok(m <= 45 && m >= -125, `median flash − beep ${m.toFixed(1)} ms is outside +45/−125 ms`);
});
