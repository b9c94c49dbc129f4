// The main-thread side of the media worker: open sources, pull frames, encode and decode JPEG — all off the main thread.
import { Worker } from 'node:worker_threads';
import { CaptureError, TermcallError, type ErrorCode } from '../shared/errors.js';
import type { Frame } from '../shared/frame.js';
import { fixtureClip } from '../shared/paths.js';
import { DEFAULT_SEND_FPS, MAX_FPS, MEDIA_SHUTDOWN_TIMEOUT_MS, URL_OPEN_TIMEOUT_MS } from '../shared/limits.js';
import { quietOpenCvEnv } from './opencv-env.js';
import { parseSourceSpec, redactUrl } from './source-spec.js';
import type { EncodedFrame, FrameSource, PulledFrame, PullOptions, SourceInfo, SourceSpec } from '../shared/frame-source.js';
import type { CaptureBench, DeviceInfo, MediaReply, MediaRequest, OpenResult, PullReply, WirePixels } from './messages.js';

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };
type RequestBody = MediaRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

let shared: MediaWorker | undefined;

/** The process's one media worker (OpenCV must live in exactly one long-lived worker: see the field notes). */
export function media(): MediaWorker {
  return (shared ??= new MediaWorker());
}

/**
 * Closes every source in the media worker and waits (at most MEDIA_SHUTDOWN_TIMEOUT_MS) until no native read is in
 * flight: call before the process exits, or the worker's teardown aborts (uv_loop_close) or crashes. No-op when the
 * worker never started; afterwards media requests reject.
 */
export function shutdownMedia(): Promise<void> {
  return shared ? shared.shutdown() : Promise.resolve();
}

export class MediaWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: TermcallError | undefined;
  private stopping: Promise<void> | undefined;

  constructor() {
    quietOpenCvEnv(process.env);
    this.worker = new Worker(new URL('./worker/media-worker.js', import.meta.url));
    this.worker.unref();
    this.worker.on('message', (m: MediaReply) => this.onMessage(m));
    this.worker.on('error', (err) => this.die(new TermcallError('ERR_WORKER_FAILED', `media worker failed: ${err.message}`, { cause: err })));
    this.worker.on('exit', (code) => this.die(new TermcallError('ERR_WORKER_FAILED', `media worker exited (code ${code})`)));
  }

  /** Opens a source from a --source string or spec. Rejects with CaptureError saying what went wrong and what to try. */
  async openSource(source: string | SourceSpec, opts: { fps?: number; loop?: boolean } = {}): Promise<FrameSource> {
    const spec = typeof source === 'string' ? parseSourceSpec(source) : source;
    const fps = Math.max(1, Math.min(MAX_FPS, opts.fps ?? DEFAULT_SEND_FPS));
    const sourceId = this.nextId++;
    const opened = this.request<OpenResult>({ t: 'open', sourceId, spec, fps, loop: opts.loop ?? true });
    let req = opened;
    if (spec.kind === 'url') {
      req = withTimeout(opened, URL_OPEN_TIMEOUT_MS + 500, () => {
        // Should the worker still open it after we gave up, close it there: nobody will ever pull from it.
        opened.then(() => this.request<boolean>({ t: 'close', sourceId }), () => undefined).catch(() => undefined);
        return new CaptureError('ERR_SOURCE_UNREACHABLE',
          `${redactUrl(spec.url)} did not answer within ${(URL_OPEN_TIMEOUT_MS / 1000).toFixed(1)} s. Check the address and that the stream is running.`);
      });
    }
    const { info } = await req;
    return new WorkerSource(this, sourceId, info);
  }

  /** The default source: camera 0 when one opens, else the bundled clip. */
  async openDefaultSource(opts: { fps?: number } = {}): Promise<FrameSource> {
    try {
      return await this.openSource({ kind: 'camera', index: 0 }, opts);
    } catch {
      return this.openSource({ kind: 'file', path: fixtureClip() }, opts);
    }
  }

  /** The --source given (when not empty), else the default source. */
  openSourceOrDefault(source: string | undefined, opts: { fps?: number } = {}): Promise<FrameSource> {
    return source ? this.openSource(source, opts) : this.openDefaultSource(opts);
  }

  /** Decodes a JPEG to BGR, scaled to fit the box when one is given. Rejects with CaptureError(ERR_IMAGE_DECODE). */
  async decodeJpeg(jpeg: Uint8Array, box?: { maxWidth: number; maxHeight: number }, meta: { seq?: number; captureTs?: number } = {}): Promise<Frame> {
    const px = await this.request<WirePixels>({ t: 'decode', bytes: jpeg, ...(box ?? {}) });
    return { ...px, seq: meta.seq ?? 0, captureTs: meta.captureTs ?? 0 };
  }

  /** Scales a frame into the box and JPEG-encodes it. */
  async encodeFrame(frame: Frame, box: { maxWidth: number; maxHeight: number }, quality: number): Promise<EncodedFrame> {
    const r = await this.request<{ jpeg: Uint8Array; width: number; height: number; quality: number }>({
      t: 'encode', data: frame.data, width: frame.width, height: frame.height, ...box, quality,
    });
    return { ...r, seq: frame.seq, captureTs: frame.captureTs };
  }

  /** Times read + scale + JPEG encode of a file's frames in the worker (termcall bench). */
  benchCapture(path: string, frames: number, box: { maxWidth: number; maxHeight: number }, quality: number): Promise<CaptureBench> {
    return this.request<CaptureBench>({ t: 'bench-capture', path, frames, ...box, quality });
  }

  /** Every frame of a file as BGR Frames (for benchmarks and tests); seq counts from 0. */
  async readAllFrames(path: string, maxFrames = 10_000): Promise<Frame[]> {
    const px = await this.request<WirePixels[]>({ t: 'read-all', path, maxFrames });
    return px.map((p, i) => ({ ...p, seq: i, captureTs: 0 }));
  }

  /** Cameras that open and deliver a picture. */
  listDevices(maxIndex = 9): Promise<DeviceInfo[]> {
    return this.request<DeviceInfo[]>({ t: 'devices', maxIndex });
  }

  /** Closes one source; resolves once its device is released (at once when shutdown already closed everything). */
  async closeSource(sourceId: number): Promise<void> {
    if (this.stopping) return this.stopping;
    await this.request<boolean>({ t: 'close', sourceId });
  }

  /** Closes all sources in the worker and waits until none reads any more (bounded); later requests reject. */
  shutdown(): Promise<void> {
    if (this.stopping) return this.stopping;
    const closed = this.request<number>({ t: 'shutdown' }).then(() => undefined, () => undefined);
    const bounded = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, MEDIA_SHUTDOWN_TIMEOUT_MS);
      void closed.then(() => { clearTimeout(timer); resolve(); });
    });
    this.stopping = bounded.then(() => {
      this.die(new TermcallError('ERR_WORKER_FAILED', 'the media worker was shut down'));
      this.worker.unref();
    });
    return this.stopping;
  }

  /** Sends one request; the worker keeps the process alive only while something is pending or open. */
  request<T>(body: RequestBody): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.stopping) return Promise.reject(new TermcallError('ERR_WORKER_FAILED', 'the media worker is shutting down'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.updateRef();
      this.worker.postMessage({ ...body, id } as MediaRequest);
    });
  }

  private onMessage(m: MediaReply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    this.updateRef();
    if (m.t === 'ok') p.resolve(m.result);
    else p.reject(errorFrom(m.code, m.message));
  }

  private updateRef(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private die(err: TermcallError): void {
    if (this.dead) return;
    this.dead = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** A source living in the worker, seen from the main thread. */
class WorkerSource implements FrameSource {
  private closed = false;
  private current: SourceInfo;
  constructor(private readonly owner: MediaWorker, private readonly id: number, info: SourceInfo) {
    this.current = info;
  }

  /** What is known of the source; fps follows the rate measured for streams that state none. */
  get info(): SourceInfo {
    return this.current;
  }

  async pull(opts: PullOptions = {}): Promise<PulledFrame> {
    const r = await this.owner.request<PullReply>({ t: 'pull', sourceId: this.id, opts });
    if (r.fps !== this.current.fps) this.current = { ...this.current, fps: r.fps };
    const meta = { seq: r.seq, captureTs: r.captureTs };
    return {
      ...meta,
      skipped: r.skipped,
      ...(r.raw ? { frame: { ...r.raw, ...meta } } : {}),
      ...(r.jpeg ? { encoded: { ...r.jpeg, ...meta } } : {}),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.owner.closeSource(this.id);
  }
}

// Rebuilds a typed error from the worker's code and message.
function errorFrom(code: ErrorCode | undefined, message: string): Error {
  if (!code) return new TermcallError('ERR_WORKER_FAILED', message);
  return new CaptureError(code, message);
}

// Rejects with make() when p has not settled within ms.
function withTimeout<T>(p: Promise<T>, ms: number, make: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(make()), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e); });
  });
}
