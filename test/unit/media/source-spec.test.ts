import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSourceSpec, redactUrl, sourceLabel } from '../../../src/media/source-spec.js';
import { CaptureError } from '../../../src/shared/errors.js';

test('source strings map to kinds', () => {
  assert.deepEqual(parseSourceSpec('camera:0'), { kind: 'camera', index: 0 });
  assert.deepEqual(parseSourceSpec('camera:12'), { kind: 'camera', index: 12 });
  assert.deepEqual(parseSourceSpec('test'), { kind: 'test' });
  assert.deepEqual(parseSourceSpec('http://10.0.0.2:8080/video'), { kind: 'url', url: 'http://10.0.0.2:8080/video' });
  assert.deepEqual(parseSourceSpec('rtsp://cam/stream'), { kind: 'url', url: 'rtsp://cam/stream' });
  assert.deepEqual(parseSourceSpec('fixtures/clip.mp4'), { kind: 'file', path: 'fixtures/clip.mp4' });
  assert.deepEqual(parseSourceSpec('./camera.mp4'), { kind: 'file', path: './camera.mp4' });
});

test('bad source strings are usage errors with a hint', () => {
  for (const bad of ['', '  ', 'camera:x', 'camera:', 'ftp://host/file']) {
    assert.throws(() => parseSourceSpec(bad), (e: unknown) => e instanceof CaptureError && e.code === 'ERR_SOURCE_SPEC');
  }
});

test('labels hide URL passwords', () => {
  assert.equal(redactUrl('rtsp://admin:hunter2@cam:554/s'), 'rtsp://admin:***@cam:554/s');
  assert.equal(sourceLabel({ kind: 'url', url: 'http://u:p@h/video' }), 'http://u:***@h/video');
  assert.equal(sourceLabel({ kind: 'file', path: '/a/b/clip.mp4' }), 'clip.mp4');
  assert.equal(sourceLabel({ kind: 'camera', index: 2 }), 'camera 2');
});
