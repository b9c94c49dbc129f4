// The local preview: pulls the newest frame of the local source at the preview pane's size, paced, never queued.
import type { FrameSource } from '../shared/frame-source.js';
import { messageOf } from '../shared/errors.js';
import type { Frame } from '../shared/frame.js';
import { TUI_PREVIEW_MAX_FPS } from '../shared/limits.js';
import type { Logger } from '../shared/log.js';

/** Runs while the preview is shown; sleeps (no pulls) while it is hidden. */
export class PreviewLoop {
  private stopped = false;
  private running = false;
  private wakeFn: (() => void) | null = null;

  constructor(
    private readonly source: FrameSource | null,
    private readonly onFrame: (f: Frame) => void,
    private readonly box: () => { maxWidth: number; maxHeight: number } | null,
    private readonly log: Logger,
  ) {}

  /** The preview was shown or moved: (re)start pulling. */
  wake(): void {
    if (this.wakeFn) {
      const w = this.wakeFn;
      this.wakeFn = null;
      w();
    }
    if (!this.running && !this.stopped && this.source) void this.run();
  }

  /** Stop for good. */
  stop(): void {
    this.stopped = true;
    this.wake();
  }

  /** Pull, hand over, wait out the frame interval; sleep while there is no box. */
  private async run(): Promise<void> {
    const source = this.source;
    if (!source) return;
    this.running = true;
    let seq = -1;
    const gapMs = 1000 / TUI_PREVIEW_MAX_FPS;
    try {
      while (!this.stopped) {
        const box = this.box();
        if (!box || box.maxWidth <= 0 || box.maxHeight <= 0) {
          await new Promise<void>((r) => { this.wakeFn = r; });
          continue;
        }
        const t0 = performance.now();
        const r = await source.pull({ afterSeq: seq, raw: box });
        seq = r.seq;
        if (r.frame && !this.stopped && this.box()) this.onFrame(r.frame);
        const rest = gapMs - (performance.now() - t0);
        if (rest > 0) await new Promise((res) => setTimeout(res, rest));
      }
    } catch (err) {
      this.log.error('preview stopped', err);
      this.log.warn(`preview source failed: ${messageOf(err)}`);
    } finally {
      this.running = false;
    }
  }
}
