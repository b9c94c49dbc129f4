// Audio with files as devices (the codec and the transport alone, no sound server): speech in, the peer's WAV out;
// a file that is not WAV; audio through a 1 Mbit/s throttling proxy while video fills the link; headless frames held
// for the audio play-out clock (lip sync).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alignAudio } from '../../src/audio/align.js';
import { parseWav, resample } from '../../src/audio/wav.js';
import { packageRoot, fixtureClip } from '../../src/shared/paths.js';
import { isolatedEnv, startTermcall } from '../helpers/termcall-process.js';
import { startThrottleProxy } from '../helpers/throttle-proxy.js';

const SPEECH = join(packageRoot(), 'fixtures', 'speech.wav');

/** A temp dir removed in t.after. */
function tempDir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'termcall-audio-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Parse the stats lines' audio parts: rx kbit/s, longest gap, loss, latency. */
function audioLines(out: string): { rxKbps: number; gapMs: number; netGapMs: number; lossPct: number; latP95: number; videoKbps: number }[] {
  return [...out.matchAll(/^tx [^|]*\| rx [\d.]+fps (\d+)kbit\/s.*\| audio .* rx (\d+)kbit\/s lat [\d-]+\/([\d-]+)ms .* gap ([\d-]+)ms \(net ([\d-]+)ms\) plc \d+ loss ([\d.]+)%/gm)]
    .map((m) => ({ videoKbps: Number(m[1]), rxKbps: Number(m[2]), latP95: Number(m[3]), gapMs: Number(m[4]), netGapMs: Number(m[5]), lossPct: Number(m[6]) }));
}

test('a WAV file as the microphone comes out in the peer\'s WAV file, recognisably', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const out = join(dir, 'heard.wav');
  const env = isolatedEnv(t);
  const b = startTermcall(t, env, ['listen', '--headless', '--auto-accept', '--port', '0', '--bind', '127.0.0.1', '--source', 'test',
    '--fps', '10', '--audio-in', 'none', '--audio-out', out]);
  const port = (await b.waitOut(/listening on 127\.0\.0\.1:(\d+)/))[1] ?? '';
  const a = startTermcall(t, env, ['call', `127.0.0.1:${port}`, '--headless', '--source', 'test', '--fps', '10', '--audio-in', SPEECH, '--audio-out', 'none']);
  await a.waitOut(/(?:\| audio mic[^\n]*\n[^\n]*){6}/, 30_000);
  a.child.kill('SIGINT');
  await a.waitEnd(10_000);
  await b.waitOut(/call ended/);
  b.child.kill('SIGINT');
  await b.waitEnd(10_000);
  const speech = parseWav(readFileSync(SPEECH));
  const ref = resample(speech.samples, speech.sampleRate, 48000);
  const heard = parseWav(readFileSync(out));
  assert.equal(heard.sampleRate, 48000);
  const al = alignAudio(ref, heard.samples, 48000, 6000);
  process.stderr.write(`audio-files: similarity ${al.similarity.toFixed(3)} at ${al.lagMs.toFixed(0)} ms into the file\n`);
  assert.ok(al.similarity > 0.7, `similarity ${al.similarity}`);
});

test('a microphone file that is not WAV: a clear line, and the call goes on with video', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const bad = join(dir, 'not-audio.wav');
  writeFileSync(bad, 'this is text, not a RIFF/WAVE file\n');
  const env = isolatedEnv(t);
  const b = startTermcall(t, env, ['listen', '--headless', '--auto-accept', '--port', '0', '--bind', '127.0.0.1', '--source', 'test',
    '--fps', '10', '--audio-in', 'none', '--audio-out', join(dir, 'o.wav')]);
  const port = (await b.waitOut(/listening on 127\.0\.0\.1:(\d+)/))[1] ?? '';
  const a = startTermcall(t, env, ['call', `127.0.0.1:${port}`, '--headless', '--source', 'test', '--fps', '10', '--audio-in', bad, '--audio-out', 'none']);
  await a.waitOut(/(?:rx [1-9][\d.]*fps[^\n]*\n[^\n]*){3}/, 30_000);
  assert.match(a.stderr(), /microphone off: not a WAV file termcall can read: no RIFF\/WAVE header/);
  assert.match(b.stdout(), /peer has no mic/);
  assert.equal(a.child.exitCode, null, 'the call is still on');
});

test('through 1 Mbit/s with video filling the link, audio keeps flowing and video gives way', { timeout: 90_000 }, async (t) => {
  const dir = tempDir(t);
  const env = isolatedEnv(t);
  // B sends the clip at full pane size (the heavy direction), A speaks; both ways go through the proxy.
  const b = startTermcall(t, env, ['listen', '--headless', '--auto-accept', '--port', '0', '--bind', '127.0.0.1', '--source', fixtureClip(),
    '--audio-in', SPEECH, '--audio-out', join(dir, 'b.wav')]);
  const port = Number((await b.waitOut(/listening on 127\.0\.0\.1:(\d+)/))[1]);
  const proxy = await startThrottleProxy(port, 1000);
  t.after(() => proxy.close());
  const a = startTermcall(t, env, ['call', `127.0.0.1:${proxy.port}`, '--headless', '--source', fixtureClip(), '--audio-in', SPEECH,
    '--audio-out', join(dir, 'a.wav')]);
  // 20 stats lines; the first 8 s are the congestion control settling.
  await a.waitOut(/(?:\| audio mic[^\n]*\n[^\n]*){20}/, 60_000);
  const lines = audioLines(a.stdout()).slice(8);
  assert.ok(lines.length >= 10, `${lines.length} stats lines`);
  const gaps = lines.map((l) => l.gapMs);
  const videoKbps = lines.map((l) => l.videoKbps).sort((x, y) => x - y);
  process.stderr.write(`audio-files: throttled audible gaps ${gaps.join(' ')} ms, between packets ${lines.map((l) => l.netGapMs).join(' ')} ms; audio p95 ${lines.map((l) => l.latP95).join(' ')} ms; ` +
    `video rx ${videoKbps.join(' ')} kbit/s; audio rx ${lines.map((l) => l.rxKbps).join(' ')} kbit/s; loss ${lines.map((l) => l.lossPct).join(' ')}%\n`);
  assert.ok(lines.every((l) => l.rxKbps > 0), 'audio flowed every second');
  assert.ok(Math.max(...gaps) <= 100, `longest audible gap ${Math.max(...gaps)} ms`);
  // Speech is variable-rate Opus (~25 kbit/s on average against AUDIO_BITRATE_BPS 32k), so video's share is the link
  // less what the audio really used; the stats' per-second windows are a few kbit/s apart, hence the slack.
  const audioMean = lines.reduce((s, l) => s + l.rxKbps, 0) / lines.length;
  assert.ok(audioMean >= 15, `audio arrived at ${audioMean.toFixed(1)} kbit/s on average`);
  const videoMedian = videoKbps[Math.floor(videoKbps.length / 2)] ?? 0;
  assert.ok(videoMedian + audioMean <= 1000 + 10, `video (median ${videoMedian} kbit/s) leaves the audio (${audioMean.toFixed(1)} kbit/s) its share of the link`);
});

test('headless: received frames are held for the audio play-out clock (stats say sync within +45/−125 ms)', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const env = isolatedEnv(t);
  const b = startTermcall(t, env, ['listen', '--headless', '--auto-accept', '--port', '0', '--bind', '127.0.0.1', '--source', 'test',
    '--fps', '10', '--audio-in', 'none', '--audio-out', join(dir, 'b.wav')]);
  const port = (await b.waitOut(/listening on 127\.0\.0\.1:(\d+)/))[1] ?? '';
  startTermcall(t, env, ['call', `127.0.0.1:${port}`, '--headless', '--source', 'test', '--fps', '10', '--audio-in', SPEECH, '--audio-out', 'none']);
  await b.waitOut(/(?:\| audio [^\n]* sync -?[\d.]+ms[^\n]*\n[^\n]*){6}/, 40_000);
  const syncs = [...b.stdout().matchAll(/\| audio [^\n]* sync (-?[\d.]+)ms/g)].map((m) => Number(m[1])).slice(2);
  process.stderr.write(`audio-files: lip sync per second ${syncs.join(' ')} ms\n`);
  const sorted = [...syncs].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  assert.ok(median <= 45 && median >= -125, `median sync ${median} ms`);
});
