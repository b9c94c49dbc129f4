// Voice through a real PulseAudio started by the test: espeak-ng-made speech played into A's microphone sink, heard
// from B's speaker sink (its .monitor), aligned by cross-correlation; mute; a microphone that vanishes mid-call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignAudio, relativeLevelDb } from '../../src/audio/align.js';
import { isolatedEnv, startTermcall, type TermcallProcess } from '../helpers/termcall-process.js';
import { needTools } from '../helpers/require-tool.js';
import { playInto, recordSource, startPulse } from '../helpers/pulse-server.js';
import { join } from 'node:path';
import { packageRoot } from '../../src/shared/paths.js';

const skip = needTools('pulseaudio', 'pactl', 'parec', 'pacat');
const SPEECH = join(packageRoot(), 'fixtures', 'speech.wav');

/** A headless listener B (speaker: spkB) and caller A (microphone: micA.monitor) on the given pulse server. */
async function callPair(t: { after(fn: () => void): void }, env: NodeJS.ProcessEnv, extraA: string[] = []): Promise<{ a: TermcallProcess; b: TermcallProcess }> {
  const b = startTermcall(t, env, ['listen', '--headless', '--auto-accept', '--port', '0', '--bind', '127.0.0.1', '--source', 'test',
    '--audio-in', 'none', '--audio-out', 'pulse:spkB', '--fps', '10']);
  const port = (await b.waitOut(/listening on 127\.0\.0\.1:(\d+)/))[1] ?? '';
  const a = startTermcall(t, env, ['call', `127.0.0.1:${port}`, '--headless', '--source', 'test', '--audio-in', 'pulse:micA.monitor',
    '--audio-out', 'none', '--fps', '10', ...extraA]);
  await a.waitOut(/\| audio mic/);
  await b.waitOut(/\| audio no mic spk/);
  return { a, b };
}

test('speech played into A\'s microphone comes out of B\'s speaker: delay and similarity by cross-correlation', { skip, timeout: 90_000 }, async (t) => {
  const pulse = startPulse(t, ['micA', 'spkB']);
  const env = { ...isolatedEnv(t), ...pulse.env };
  const { a, b } = await callPair(t, env);
  const mouth = recordSource(t, env, 'micA.monitor');
  const ear = recordSource(t, env, 'spkB.monitor');
  await new Promise((r) => setTimeout(r, 500));
  await playInto(env, 'micA', SPEECH);
  await new Promise((r) => setTimeout(r, 1500));
  const m = await mouth.stop();
  const e = await ear.stop();
  const al = alignAudio(m.samples, e.samples, 48000, 3000);
  const delayMs = e.startTs - m.startTs + al.lagMs;
  const heard = e.samples.subarray(Math.max(0, al.lagSamples), al.lagSamples + m.samples.length);
  const levelDb = relativeLevelDb(m.samples.subarray(0, heard.length), heard);
  process.stderr.write(`audio-pulse: mouth-to-ear ${delayMs.toFixed(1)} ms, similarity ${al.similarity.toFixed(3)}, level ${levelDb.toFixed(1)} dB\n`);
  assert.ok(al.similarity > 0.5, `the speech is recognisable at B (similarity ${al.similarity})`);
  assert.ok(Math.abs(levelDb) < 6, `heard at about the level spoken (${levelDb} dB)`);
  assert.ok(delayMs > 0 && delayMs < 2000, `delay ${delayMs} ms`);
  // Both calls are still up and counted audio.
  assert.match(b.stdout(), /rx [1-9]\d*kbit\/s lat/);
  assert.doesNotMatch(a.stderr() + b.stderr(), /audio off|without a/);
});

test('a muted microphone sends nothing audible, and the peer\'s status says muted', { skip, timeout: 90_000 }, async (t) => {
  const pulse = startPulse(t, ['micA', 'spkB']);
  const env = { ...isolatedEnv(t), ...pulse.env };
  const { b } = await callPair(t, env, ['--mute']);
  await b.waitOut(/peer muted/);
  const ear = recordSource(t, env, 'spkB.monitor');
  const mouth = recordSource(t, env, 'micA.monitor');
  await playInto(env, 'micA', SPEECH);
  await new Promise((r) => setTimeout(r, 800));
  const e = await ear.stop();
  const m = await mouth.stop();
  const level = relativeLevelDb(m.samples, e.samples);
  process.stderr.write(`audio-pulse: muted, B hears ${level} dB relative to the speech\n`);
  assert.ok(relativeLevelDb(m.samples, new Int16Array(m.samples.length).fill(1)) < -40, 'the speech itself was loud');
  assert.ok(level < -60, `nothing audible while muted (${level} dB)`);
  assert.match(b.stdout(), /peer muted/);
});

test('the microphone vanishing mid-call ends only the audio: a clear line, the call goes on', { skip, timeout: 90_000 }, async (t) => {
  const pulse = startPulse(t, ['micA', 'spkB']);
  const env = { ...isolatedEnv(t), ...pulse.env };
  const { a } = await callPair(t, env);
  const mod = pulse.pactl('list', 'short', 'modules').split('\n').find((l) => l.includes('sink_name=micA'))?.split('\t')[0];
  assert.ok(mod, 'the micA module is loaded');
  pulse.pactl('unload-module', mod);
  await a.waitOut(/./);
  const deadline = Date.now() + 15_000;
  while (!/microphone pulse:micA\.monitor: .* audio continues without a microphone/.test(a.stderr()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(a.stderr(), /microphone pulse:micA\.monitor: .*audio continues without a microphone/);
  const lines = a.stdout().split('\n').length;
  await a.waitOut(new RegExp(`(?:[^\\n]*\\n){${lines + 1}}`), 10_000);
  assert.match(a.stdout().split('\n').slice(-2).join('\n'), /audio no mic/);
  assert.equal(a.child.exitCode, null, 'the call is still on');
});

test('termcall devices lists the sound server\'s microphones and speakers', { skip, timeout: 60_000 }, async (t) => {
  const pulse = startPulse(t, ['micA', 'spkB']);
  const env = { ...isolatedEnv(t), ...pulse.env };
  const p = startTermcall(t, env, ['devices', '--json']);
  await p.waitEnd(30_000);
  const audio = (JSON.parse(p.stdout()) as { audio: { kind: string; spec: string }[] }).audio;
  assert.ok(audio.some((a) => a.kind === 'input' && a.spec === 'pulse:micA.monitor'), p.stdout());
  assert.ok(audio.some((a) => a.kind === 'output' && a.spec === 'pulse:spkB'), p.stdout());
});

/** B's voice coming back to B through A's speaker → A's microphone (a loopback), in dB relative to B's voice. */
async function echoLevel(t: { after(fn: () => void): void }, echoCancel: boolean): Promise<number> {
  const pulse = startPulse(t, ['micA', 'spkA', 'micB', 'spkB']);
  pulse.pactl('load-module', 'module-loopback', 'source=spkA.monitor', 'sink=micA', 'latency_msec=30');
  const env = { ...isolatedEnv(t), ...pulse.env };
  const b = startTermcall(t, env, ['listen', '--headless', '--auto-accept', '--port', '0', '--bind', '127.0.0.1', '--source', 'test',
    '--fps', '10', '--audio-in', 'pulse:micB.monitor', '--audio-out', 'pulse:spkB']);
  const port = (await b.waitOut(/listening on 127\.0\.0\.1:(\d+)/))[1] ?? '';
  const a = startTermcall(t, env, ['call', `127.0.0.1:${port}`, '--headless', '--source', 'test', '--fps', '10',
    '--audio-in', 'pulse:micA.monitor', '--audio-out', 'pulse:spkA', ...(echoCancel ? ['--echo-cancel'] : [])]);
  await a.waitOut(/\| audio mic/);
  await b.waitOut(/\| audio mic/);
  // The first utterance lets the canceller converge; the second is measured.
  await playInto(env, 'micB', SPEECH);
  const voice = recordSource(t, env, 'micB.monitor');
  const back = recordSource(t, env, 'spkB.monitor');
  await playInto(env, 'micB', SPEECH);
  await new Promise((r) => setTimeout(r, 700));
  const v = await voice.stop();
  const e = await back.stop();
  assert.doesNotMatch(a.stderr(), /echo cancellation off/);
  return relativeLevelDb(v.samples, e.samples);
}

test('echo: with --echo-cancel B hears its own voice back at least 20 dB quieter than without', { skip, timeout: 120_000 }, async (t) => {
  const off = await echoLevel(t, false);
  const on = await echoLevel(t, true);
  process.stderr.write(`audio-pulse: echo of B's voice at B: ${off.toFixed(1)} dB without cancellation, ${on.toFixed(1)} dB with (${(off - on).toFixed(1)} dB less)\n`);
  assert.ok(off > -15, `without cancellation the echo is plainly there (${off} dB)`);
  assert.ok(off - on >= 20, `cancellation takes ${off - on} dB off`);
});
