// Keys m / M and the audio slot of the status panel: levels, mute flags, the peer's mute, the audio figures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callKeyAction } from '../../../src/tui/keys.js';
import { applyAudioState, applyStats, bottomLines, emptyStatus, sideLines } from '../../../src/tui/status.js';
import type { SessionStats } from '../../../src/call/stats.js';

test('m mutes the microphone, M the speaker', () => {
  assert.equal(callKeyAction('m', { name: 'm', full: 'm' }), 'mic');
  assert.equal(callKeyAction('M', { name: 'm', full: 'S-m', shift: true }), 'speaker');
});

test('the status shows levels, the audio figures, and who is muted', () => {
  const m = emptyStatus('truecolor', 'connected');
  assert.match(sideLines(m).join('\n'), /audio {5}-/);
  const dir = { fps: 10, kbps: 500, latencyMs: 40, latencyP95Ms: 50, skippedBySender: 0, skippedByReceiver: 0, frames: 10, quality: 60,
    width: 320, height: 240, bytesPerFrame: 6000, decodeErrors: 0 };
  const s = {
    ts: 0, peer: 'p', rttMs: 1, clockOffsetMs: 0, tx: { ...dir, targetFps: 10, inFlight: 0 }, rx: dir,
    audio: { input: 'pulse:mic', output: 'pulse:spk', micMuted: false, speakerMuted: false, peerMicMuted: true, peerNoMic: false,
      inLevelDb: -30, outLevelDb: -Infinity, txKbps: 30, rxKbps: 29, jitterTargetMs: 40, jitterDepthMs: 60, deviceAheadMs: 38,
      latencyMs: 90, latencyP95Ms: 100, longestGapMs: 0, arrivalGapMs: 30, played: 100, concealed: 2, late: 0, lost: 1, dropped: 0, corrupt: 0, lossPercent: 1 },
  } as unknown as SessionStats;
  applyStats(m, s);
  const side = sideLines(m).join('\n');
  assert.match(side, /audio {5}in \S out \S \(peer muted\) 29k jb 60\/40ms loss 1\.0% plc 2/);
  applyAudioState(m, { on: true, micMuted: true, speakerMuted: true, peerMicMuted: true });
  assert.match(sideLines(m).join('\n'), /\(mic muted, speaker muted, peer muted\)/);
  assert.match(bottomLines(m)[0] ?? '', /audio in .*mic muted/);
});
