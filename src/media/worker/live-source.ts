// A paced, latest-frame-wins frame source inside the media worker: one grab loop, any number of pullers.
import { CaptureError, messageOf } from '../../shared/errors.js';
import { nowMs } from '../../shared/frame.js';
import { fitInside } from '../../shared/fit.js';
import { drawTestPattern } from '../test-pattern.js';
import { ArrivalRate } from '../arrival-rate.js';
import { encodeJpeg, fitMat, matFromBgr, toPixels, type Pixels } from './cv-image.js';
import type { Grab, Grabber } from './grabbers.js';
import type { Cv, CvMat } from './opencv.js';
import type { PullOptions, SourceInfo } from '../../shared/frame-source.js';

/** What a pull returns before it crosses to the main thread. */
export interface PullResult {
  seq: number;
  captureTs: number;
  skipped: number;
  /** The rate the source delivers at now (SourceInfo.fps): measured for streams that state none. */
  fps: number;
  raw?: Pixels;
  jpeg?: { jpeg: Buffer; width: number; height: number; quality: number };
}

interface Latest { grab: Grab; seq: number; captureTs: number }
interface Waiter { opts: PullOptions; resolve: (r: PullResult) => void; reject: (e: unknown) => void }

/** A live frame this much of an interval early still counts as on time (thinning a source to our rate). */
const LIVE_SLACK = 0.25;

export class LiveSource {
  readonly info: SourceInfo;
  private latest: Latest | undefined;
  private seq = -1;
  private readonly waiters = new Set<Waiter>();
  private failure: CaptureError | undefined;
  private closed = false;
  private readonly intervalMs: number;
  private readonly rate: number;
  private timer: NodeJS.Timeout | undefined;
  /** How fast a live source with no stated rate really delivers (null for the others). */
  private readonly arrivals: ArrivalRate | null;

  /**
   * Starts grabbing at min(fps, the source's stated rate); loop=false ends a file source at its end. A live source
   * that states no rate (HTTP MJPEG) is thinned at fps only: it cannot come faster than it arrives, and its measured
   * arrival rate is what it reports.
   */
  constructor(
    private readonly grabber: Grabber,
    private readonly getCv: () => Cv,
    fps: number,
    private readonly loop: boolean,
  ) {
    this.rate = Math.max(1, Math.min(fps, grabber.statedFps ?? fps));
    this.intervalMs = 1000 / this.rate;
    this.arrivals = grabber.live && grabber.statedFps === null ? new ArrivalRate() : null;
    this.info = { kind: grabber.kind, label: grabber.label, width: grabber.width, height: grabber.height, fps: this.rate };
    void this.run();
  }

  /** The rate frames are delivered at: the paced rate, capped by the measured arrival rate when none is stated. */
  fps(): number {
    const measured = this.arrivals?.fps() ?? null;
    return measured === null ? this.rate : Math.min(this.rate, Math.round(measured * 10) / 10);
  }

  /** Resolves with the newest frame after opts.afterSeq, at once when there is one. */
  pull(opts: PullOptions): Promise<PullResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new CaptureError('ERR_SOURCE_ENDED', `${this.info.label} was closed`));
    const after = opts.afterSeq ?? -1;
    if (this.latest && this.latest.seq > after) return Promise.resolve(this.produce(this.latest, opts));
    return new Promise((resolve, reject) => this.waiters.add({ opts, resolve, reject }));
  }

  /** Stops the loop and fails pending pulls; resolves once the device is released and no native read is in flight. */
  close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (!this.closed) {
      this.closed = true;
      this.rejectAll(new CaptureError('ERR_SOURCE_ENDED', `${this.info.label} was closed`));
    }
    return this.grabber.close();
  }

  // The grab loop: file and pattern sources sleep until the next slot; live sources block in grab() and are thinned.
  private async run(): Promise<void> {
    let due = performance.now();
    let rewoundEmpty = false;
    while (!this.closed) {
      if (!this.grabber.live) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise<void>((r) => { this.timer = setTimeout(r, wait); });
        if (this.closed) return;
      }
      let grab: Grab | null;
      try {
        grab = await this.grabber.grab();
      } catch (err) {
        return this.fail(new CaptureError('ERR_SOURCE_ENDED', `${this.info.label} stopped: ${messageOf(err)}`, { cause: err }));
      }
      if (this.closed) return;
      if (!grab) {
        // Loop a file; a rewind that yields no frame before the next end would spin forever, so it ends the source.
        if (this.loop && !rewoundEmpty && this.grabber.rewind()) {
          rewoundEmpty = true;
          continue;
        }
        const code = this.grabber.kind === 'file' ? 'reached its end' : 'stopped sending frames';
        return this.fail(new CaptureError('ERR_SOURCE_ENDED', `${this.info.label} ${code}`));
      }
      rewoundEmpty = false;
      const now = performance.now();
      this.arrivals?.add(now);
      // A faster camera or stream: keep draining, publish at our rate. The slack (a quarter interval) keeps arrival
      // jitter from dropping frames of a source that comes at about our rate.
      if (this.grabber.live && now < due - this.intervalMs * LIVE_SLACK) continue;
      due = Math.max(due + this.intervalMs, now - this.intervalMs);
      this.publish(grab);
    }
  }

  // Makes a grab the latest frame and answers every waiting puller with it.
  private publish(grab: Grab): void {
    const prev = this.latest;
    this.latest = { grab, seq: ++this.seq, captureTs: nowMs() };
    if (prev?.grab.kind === 'mat' && !(grab.kind === 'mat' && grab.mat === prev.grab.mat)) prev.grab.mat.release();
    const ready = [...this.waiters];
    this.waiters.clear();
    for (const w of ready) {
      try { w.resolve(this.produce(this.latest, w.opts)); } catch (err) { w.reject(err); }
    }
  }

  // Builds what one puller asked for from the latest frame.
  private produce(l: Latest, opts: PullOptions): PullResult {
    const after = opts.afterSeq ?? -1;
    const out: PullResult = { seq: l.seq, captureTs: l.captureTs, skipped: after < 0 ? 0 : Math.max(0, l.seq - after - 1), fps: this.fps() };
    if (opts.raw !== false) {
      const box = opts.raw ?? { maxWidth: this.info.width, maxHeight: this.info.height };
      out.raw = l.grab.kind === 'pattern'
        ? this.pattern(l.captureTs, box.maxWidth, box.maxHeight)
        : toPixels(this.getCv(), fitMat(this.getCv(), l.grab.mat, box.maxWidth, box.maxHeight));
    }
    if (opts.jpeg) {
      const cv = this.getCv();
      const { maxWidth, maxHeight, quality } = opts.jpeg;
      let mat: CvMat;
      if (l.grab.kind === 'pattern') {
        mat = matFromBgr(cv, this.pattern(l.captureTs, maxWidth, maxHeight));
      } else {
        mat = l.grab.mat;
      }
      out.jpeg = { ...encodeJpeg(cv, mat, maxWidth, maxHeight, quality), quality };
    }
    return out;
  }

  // Draws the test pattern directly at the size that fits the box.
  private pattern(ts: number, maxW: number, maxH: number): Pixels {
    const { width, height } = fitInside(this.info.width, this.info.height, maxW, maxH);
    const px = drawTestPattern(width, height, ts);
    return { data: Buffer.from(px.buffer, px.byteOffset, px.byteLength), width, height };
  }

  // Marks the source failed and tells everyone waiting.
  private fail(err: CaptureError): void {
    if (this.closed) return;
    this.failure = err;
    this.closed = true;
    void this.grabber.close(); // called between reads: nothing is in flight, the release is immediate
    this.rejectAll(err);
  }

  private rejectAll(err: unknown): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w.reject(err);
  }
}
