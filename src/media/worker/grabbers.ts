// Opens one source (camera, file, URL, test pattern) and grabs its frames, inside the media worker.
import { existsSync, statSync } from 'node:fs';
import { CaptureError, messageOf } from '../../shared/errors.js';
import { MAX_FRAME_SIDE_PX } from '../../shared/limits.js';
import { redactUrl, sourceLabel } from '../source-spec.js';
import type { SourceSpec } from '../../shared/frame-source.js';
import type { Cv, CvCapture, CvMat } from './opencv.js';

/** One grabbed picture: an OpenCV Mat, or (test pattern) a timestamp to draw at any size. */
export type Grab = { kind: 'mat'; mat: CvMat } | { kind: 'pattern' };

export interface Grabber {
  readonly kind: SourceSpec['kind'];
  readonly label: string;
  readonly width: number;
  readonly height: number;
  /**
   * The frame rate the container or device states (frames per second); null when it states none: an HTTP MJPEG
   * stream carries no timing, and FFmpeg then reports its 25 fps default, so such a rate is measured instead.
   */
  readonly statedFps: number | null;
  /** True when grab() returns at the source's own pace (cameras, streams); false when it returns at once. */
  readonly live: boolean;
  /** The next frame, or null at the end of a file / a broken stream. */
  grab(): Promise<Grab | null>;
  /** The next frame read synchronously (files only: blocks the thread). */
  readSync(): CvMat | null;
  /** Back to the start of a file; false when that is impossible. */
  rewind(): boolean;
  /**
   * Releases the device. Resolves once no native read is in flight any more: a read still running on libuv's thread
   * pool when the worker's loop closes aborts the process (uv_loop_close), and releasing under it is a use-after-free.
   */
  close(): Promise<void>;
}

const TEST_PATTERN_SIZE = { width: 640, height: 480 } as const;

/** Opens a grabber for the spec; cv is needed for everything but the test pattern. Throws CaptureError. */
export function openGrabber(cv: Cv | undefined, spec: SourceSpec): Grabber {
  if (spec.kind === 'test') return patternGrabber();
  if (!cv) throw new CaptureError('ERR_OPENCV_MISSING', 'OpenCV is needed for this source');
  switch (spec.kind) {
    case 'camera': return cameraGrabber(cv, spec.index);
    case 'file': return fileGrabber(cv, spec.path);
    case 'url': return urlGrabber(cv, spec.url);
  }
}

// The synthetic pattern: always available, drawn at whatever size a puller asks for.
function patternGrabber(): Grabber {
  return {
    kind: 'test', label: 'test pattern', ...TEST_PATTERN_SIZE, statedFps: 60, live: false,
    grab: async () => ({ kind: 'pattern' }),
    readSync: () => null,
    rewind: () => true,
    close: async () => {},
  };
}

// Wraps an opened VideoCapture whose first frame has been read.
function capGrabber(cv: Cv, spec: SourceSpec, cap: CvCapture, first: CvMat, live: boolean): Grabber {
  if (first.cols > MAX_FRAME_SIDE_PX || first.rows > MAX_FRAME_SIDE_PX) {
    cap.release();
    throw new CaptureError('ERR_SOURCE_TOO_LARGE', `${sourceLabel(spec)} delivers ${first.cols}x${first.rows} frames; termcall takes at most ` +
      `${MAX_FRAME_SIDE_PX} pixels a side. Scale it down first, e.g. ffmpeg -i IN -vf scale=1280:-2 OUT.mp4`);
  }
  let pending: CvMat | null = first;
  const fps = statedFps(cv, cap, spec.kind);
  // The readAsync() running on libuv's thread pool, if any; close() waits for it before releasing the capture.
  let reading: Promise<CvMat> | null = null;
  let closing = false;
  let released: Promise<void> | null = null;
  const release = (): void => { try { cap.release(); } catch { /* already released */ } };
  return {
    kind: spec.kind, label: sourceLabel(spec), width: first.cols, height: first.rows, statedFps: fps, live,
    async grab() {
      if (closing) return null;
      if (pending) { const m = pending; pending = null; return { kind: 'mat', mat: m }; }
      let m: CvMat;
      if (live) {
        reading = cap.readAsync();
        try { m = await reading; } finally { reading = null; }
      } else {
        m = cap.read();
      }
      if (closing) { m.release(); return null; }
      return m.empty ? null : { kind: 'mat', mat: m };
    },
    readSync() {
      if (closing) return null;
      if (pending) { const m = pending; pending = null; return m; }
      const m = cap.read();
      return m.empty ? null : m;
    },
    rewind() {
      if (live || closing) return false;
      try { return cap.set(cv.CAP_PROP_POS_FRAMES, 0); } catch { return false; }
    },
    close() {
      closing = true;
      pending = null;
      if (!released) {
        if (reading) released = reading.then((m) => { m.release(); release(); }, release);
        else { release(); released = Promise.resolve(); }
      }
      return released;
    },
  };
}

/** The rate assumed for a file or camera that states a rate OpenCV cannot read (frames per second). */
const FALLBACK_FPS = 30;

// The rate a capture states. A stream (URL) states one only when it has a length (a file served over HTTP): live
// MJPEG and RTSP streams report FFmpeg's guess, or its 25 fps default, so null makes the caller measure it.
function statedFps(cv: Cv, cap: CvCapture, kind: SourceSpec['kind']): number | null {
  const fps = cap.get(cv.CAP_PROP_FPS);
  const valid = Number.isFinite(fps) && fps >= 1 && fps <= 240;
  if (kind === 'url') {
    const frames = cap.get(cv.CAP_PROP_FRAME_COUNT);
    return valid && Number.isFinite(frames) && frames > 0 ? fps : null;
  }
  return valid ? fps : FALLBACK_FPS;
}

// Reads the first frame so a source that opens but yields nothing fails at open time, not later.
function readFirst(cap: CvCapture): CvMat | null {
  try {
    const m = cap.read();
    return m.empty ? null : m;
  } catch {
    return null;
  }
}

// A V4L2 camera by index.
function cameraGrabber(cv: Cv, index: number): Grabber {
  const dev = `/dev/video${index}`;
  const hint = `Check that a camera is connected (${process.platform === 'linux' ? `${dev} exists` : 'and enabled'}), ` +
    `that you may use it (on Linux: sudo usermod -aG video $USER, then log in again), and that no other program is using it; ` +
    `"termcall devices" lists the cameras that open; or choose another source with --source (a video file, an http:// or rtsp:// URL, or test).`;
  if (process.platform === 'linux' && !existsSync(dev)) {
    throw new CaptureError('ERR_CAMERA_UNAVAILABLE', `no camera ${index}: ${dev} does not exist. ${hint}`);
  }
  let cap: CvCapture;
  try {
    cap = new cv.VideoCapture(index, process.platform === 'linux' ? cv.CAP_V4L2 : cv.CAP_ANY);
  } catch (err) {
    throw new CaptureError('ERR_CAMERA_UNAVAILABLE', `could not open camera ${index} (${messageOf(err)}). ${hint}`, { cause: err });
  }
  try { cap.set(cv.CAP_PROP_BUFFERSIZE, 1); } catch { /* not every backend has it */ }
  const first = readFirst(cap);
  if (!first) { cap.release(); throw new CaptureError('ERR_CAMERA_UNAVAILABLE', `camera ${index} opened but gave no picture. ${hint}`); }
  return capGrabber(cv, { kind: 'camera', index }, cap, first, true);
}

// A video file, read as fast as asked (the caller paces and loops it).
function fileGrabber(cv: Cv, path: string): Grabber {
  if (!existsSync(path)) throw new CaptureError('ERR_SOURCE_NOT_FOUND', `no such file: ${path}`);
  if (statSync(path).isDirectory()) throw new CaptureError('ERR_SOURCE_NOT_VIDEO', `${path} is a directory, not a video file`);
  const notVideo = `${path} is not a video OpenCV can read (try a .mp4, .mkv, .avi or .webm file; "ffmpeg -i ${path}" shows what it is)`;
  let cap: CvCapture;
  try {
    cap = new cv.VideoCapture(path, cv.CAP_FFMPEG);
  } catch (err) {
    throw new CaptureError('ERR_SOURCE_NOT_VIDEO', notVideo, { cause: err });
  }
  const first = readFirst(cap);
  if (!first) { cap.release(); throw new CaptureError('ERR_SOURCE_NOT_VIDEO', notVideo); }
  return capGrabber(cv, { kind: 'file', path }, cap, first, false);
}

// An HTTP (MJPEG, e.g. the Android IP Webcam app's /video) or RTSP stream; ffmpeg gives up after its socket timeout.
function urlGrabber(cv: Cv, url: string): Grabber {
  const shown = redactUrl(url);
  const hint = 'Check the address and that the stream is running (the Android "IP Webcam" app serves http://PHONE:8080/video).';
  let cap: CvCapture;
  try {
    cap = new cv.VideoCapture(url, cv.CAP_FFMPEG);
  } catch (err) {
    throw new CaptureError('ERR_SOURCE_UNREACHABLE', `could not open ${shown}: ${messageOf(err)}. ${hint}`, { cause: err });
  }
  const first = readFirst(cap);
  if (!first) { cap.release(); throw new CaptureError('ERR_SOURCE_UNREACHABLE', `could not read video from ${shown}. ${hint}`); }
  return capGrabber(cv, { kind: 'url', url }, cap, first, true);
}
