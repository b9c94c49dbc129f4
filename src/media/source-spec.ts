// Turns a --source string into a typed source description (pure).
import { CaptureError } from '../shared/errors.js';
import type { SourceSpec } from '../shared/frame-source.js';

export const SOURCE_HELP =
  'camera:N (a camera by index), a video file path, an http(s):// or rtsp:// URL, or "test" (a synthetic pattern)';

/** Parses `camera:N`, `test`, a URL or a file path; throws CaptureError(ERR_SOURCE_SPEC) on anything else. */
export function parseSourceSpec(text: string): SourceSpec {
  const s = text.trim();
  if (s === '') throw new CaptureError('ERR_SOURCE_SPEC', `empty --source; use ${SOURCE_HELP}`);
  if (s === 'test' || s === 'test-pattern') return { kind: 'test' };
  const cam = /^(?:camera|cam|v4l2):(\d{1,2})$/i.exec(s);
  if (cam) return { kind: 'camera', index: Number(cam[1]) };
  if (/^(?:camera|cam):/i.test(s)) {
    throw new CaptureError('ERR_SOURCE_SPEC', `"${s}" is not a camera index; write camera:0, camera:1, …`);
  }
  if (/^(?:https?|rtsp|rtsps|rtmp):\/\//i.test(s)) return { kind: 'url', url: s };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    throw new CaptureError('ERR_SOURCE_SPEC', `unsupported URL scheme in "${s}"; use http://, https:// or rtsp://`);
  }
  return { kind: 'file', path: s };
}

/** A short human label for a source. */
export function sourceLabel(spec: SourceSpec): string {
  switch (spec.kind) {
    case 'camera': return `camera ${spec.index}`;
    case 'file': return spec.path.split('/').pop() ?? spec.path;
    case 'url': return redactUrl(spec.url);
    case 'test': return 'test pattern';
  }
}

/** Hides a password in a URL so it never reaches logs or the screen. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}
