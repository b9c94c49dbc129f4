import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LipSyncQueue, SyncClock } from '../../../src/audio/lip-sync.js';
import { LIPSYNC_AUDIO_FRESH_MS, LIPSYNC_MAX_HOLD_MS, LIPSYNC_MAX_QUEUED_FRAMES } from '../../../src/shared/limits.js';

const f = (captureTs: number) => ({ captureTs });

test('a frame is held until the audio captured with it is heard', () => {
  const clock = new SyncClock();
  const q = new LipSyncQueue(clock);
  // Audio captured at 1000 is heard at 1150 (written at 1100): 150 ms capture → heard.
  clock.heard(1000, 1150, 1100);
  // A frame captured at 1000 decoded at 1060 (60 ms): shown at 1150, not at once.
  assert.equal(q.push(f(1000), 1060), null);
  assert.equal(q.nextDueAt(), 1150);
  assert.equal(q.due(1149), null);
  assert.deepEqual(q.due(1150), f(1000));
  assert.equal(q.size, 0);
});

test('video later than audio is shown at once', () => {
  const clock = new SyncClock();
  const q = new LipSyncQueue(clock);
  clock.heard(1000, 1050, 1010);
  assert.deepEqual(q.push(f(1000), 1100), f(1000));
});

test('no hold without fresh audio (peer muted, no speaker) or after clear (speaker muted)', () => {
  const clock = new SyncClock();
  const q = new LipSyncQueue(clock);
  assert.deepEqual(q.push(f(1000), 1010), f(1000), 'never heard');
  clock.heard(1000, 1200, 1000);
  assert.deepEqual(q.push(f(1100), 1000 + LIPSYNC_AUDIO_FRESH_MS + 1), f(1100), 'stale audio clock');
  clock.heard(2000, 2200, 2000);
  assert.equal(q.push(f(2000), 2010), null);
  clock.clear();
  // Audio stopped: what was held goes out with the next frame (the newest; the older one is dropped).
  assert.deepEqual(q.push(f(2040), 2050), f(2040));
  assert.equal(q.dropped, 1);
  assert.equal(q.size, 0);
});

test('never held longer than LIPSYNC_MAX_HOLD_MS', () => {
  const clock = new SyncClock();
  const q = new LipSyncQueue(clock);
  clock.heard(0, 2000, 0);
  assert.equal(q.push(f(0), 10), null);
  assert.equal(q.nextDueAt(), 10 + LIPSYNC_MAX_HOLD_MS);
});

test('stale frames are dropped: only the newest due frame is shown; the queue is bounded', () => {
  const clock = new SyncClock();
  const q = new LipSyncQueue(clock);
  clock.heard(0, 100, 0);
  for (let i = 0; i < 3; i++) assert.equal(q.push(f(i * 10), i * 10), null);
  assert.deepEqual(q.due(125), f(20));
  assert.equal(q.dropped, 2);
  clock.heard(0, 250, 0);
  for (let i = 0; i < LIPSYNC_MAX_QUEUED_FRAMES + 4; i++) q.push(f(i), i);
  assert.equal(q.size, LIPSYNC_MAX_QUEUED_FRAMES);
  assert.equal(q.dropped, 2 + 4);
});
