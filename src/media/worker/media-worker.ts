// The media worker: the one place per process where OpenCV runs. A thin adapter over the grabbers and image code beside it.
import { parentPort } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { loadOpenCv, type Cv } from './opencv.js';
import { openGrabber } from './grabbers.js';
import { LiveSource, type PullResult } from './live-source.js';
import { benchCapture, readAllFrames } from './capture-bench.js';
import { decodeImage, encodeJpeg, matFromBgr } from './cv-image.js';
import { TermcallError, messageOf } from '../../shared/errors.js';
import type { DeviceInfo, MediaReply, MediaRequest, PullReply } from '../messages.js';

const port = parentPort;
if (!port) throw new Error('media-worker must run as a worker thread');
const sources = new Map<number, LiveSource>();
let cvCache: Cv | undefined;
const cv = (): Cv => (cvCache ??= loadOpenCv());

// OpenCV (~0.4 s to load, more on a busy machine) loads as soon as the worker is up, while the main thread gets on
// with the call's set-up, not on the first encode or decode. A load failure is reported by the request that needs it.
setImmediate(() => { try { cv(); } catch { /* reported where used */ } });

port.on('message', (req: MediaRequest) => {
  const served = handle(req);
  void served.then(
    ({ result, transfer }) => port.postMessage({ t: 'ok', id: req.id, result } satisfies MediaReply, transfer),
    (err: unknown) => port.postMessage({
      t: 'err', id: req.id, code: err instanceof TermcallError ? err.code : undefined, message: messageOf(err),
    } satisfies MediaReply),
  );
});

// Serves one request; returns the result and the buffers to transfer with it.
async function handle(req: MediaRequest): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
  switch (req.t) {
    case 'open': {
      const grabber = openGrabber(req.spec.kind === 'test' ? undefined : cv(), req.spec);
      // A source that fails stays in the map, so the next pull rejects with its real reason.
      const src = new LiveSource(grabber, cv, req.fps, req.loop);
      sources.set(req.sourceId, src);
      return { result: { info: src.info }, transfer: [] };
    }
    case 'pull': {
      const src = sources.get(req.sourceId);
      if (!src) throw new TermcallError('ERR_SOURCE_ENDED', 'that source is closed');
      return wirePull(await src.pull(req.opts));
    }
    case 'close': {
      // Answered only once the device is released and no read runs on the thread pool (see Grabber.close).
      const src = sources.get(req.sourceId);
      sources.delete(req.sourceId);
      await src?.close();
      return { result: true, transfer: [] };
    }
    case 'shutdown': {
      // Before the process exits: every source closed and idle, so the worker can be torn down without aborting.
      const all = [...sources.values()];
      sources.clear();
      await Promise.all(all.map((s) => s.close()));
      return { result: all.length, transfer: [] };
    }
    case 'encode': {
      const c = cv();
      const out = encodeJpeg(c, matFromBgr(c, req), req.maxWidth, req.maxHeight, req.quality);
      const jpeg = own(out.jpeg);
      return { result: { ...out, jpeg, quality: req.quality }, transfer: [jpeg.buffer as ArrayBuffer] };
    }
    case 'decode': {
      const px = decodeImage(cv(), Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength), req.maxWidth, req.maxHeight);
      const data = own(px.data);
      return { result: { data, width: px.width, height: px.height }, transfer: [data.buffer as ArrayBuffer] };
    }
    case 'devices':
      return { result: listDevices(req.maxIndex), transfer: [] };
    case 'bench-capture':
      return { result: benchCapture(cv(), req.path, req.frames, req, req.quality), transfer: [] };
    case 'read-all': {
      const frames = readAllFrames(cv(), req.path, req.maxFrames).map((p) => ({ ...p, data: own(p.data) }));
      return { result: frames, transfer: frames.map((f) => f.data.buffer as ArrayBuffer) };
    }
  }
}

// Converts a pull to a message, transferring (not copying) its buffers.
function wirePull(r: PullResult): { result: PullReply; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const out: PullReply = { seq: r.seq, captureTs: r.captureTs, skipped: r.skipped, fps: r.fps };
  if (r.raw) {
    const data = own(r.raw.data);
    transfer.push(data.buffer as ArrayBuffer);
    out.raw = { data, width: r.raw.width, height: r.raw.height };
  }
  if (r.jpeg) {
    const jpeg = own(r.jpeg.jpeg);
    transfer.push(jpeg.buffer as ArrayBuffer);
    out.jpeg = { ...r.jpeg, jpeg };
  }
  return { result: out, transfer };
}

// A Uint8Array that owns its whole ArrayBuffer (safe to transfer). imencode's output, toPixels' copies and the test
// pattern already are such buffers and pass through as they are; a view into a larger buffer (Node's pool) is copied.
function own(b: Uint8Array): Uint8Array {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b;
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return copy;
}

// Tries /dev/video0..maxIndex (Linux) or indexes 0..maxIndex elsewhere; lists those that deliver a picture.
function listDevices(maxIndex: number): DeviceInfo[] {
  const found: DeviceInfo[] = [];
  for (let i = 0; i <= maxIndex; i++) {
    const path = process.platform === 'linux' ? `/dev/video${i}` : `camera ${i}`;
    if (process.platform === 'linux' && !existsSync(path)) continue;
    try {
      const g = openGrabber(cv(), { kind: 'camera', index: i });
      found.push({ index: i, path, width: g.width, height: g.height, fps: g.statedFps ?? 0 });
      void g.close();
    } catch {
      // not a capture device (metadata node) or busy: not listed
    }
  }
  return found;
}
