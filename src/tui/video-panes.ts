// Paints the video panes straight to the terminal, beside blessed: paced, latest frame wins, cursor and SGR preserved.
// The preview may sit over a corner of the remote pane (picture-in-picture): it is painted after the remote pane in
// the same write, in full whenever the remote pane wrote anything, so the remote picture never shows through it.
import type { Writable } from 'node:stream';
import { createRenderer, type RendererContext } from '../render/table.js';
import type { CellRect, FrameRenderer, RendererKind } from '../render/types.js';
import type { Frame } from '../shared/frame.js';
import { SLOW_DRAIN_MS, TUI_MAX_OUTPUT_BACKLOG_BYTES } from '../shared/limits.js';
import { overlaps, sameRect } from './layout.js';
import { PaintPacer, type PacerOptions } from '../terminal/pacer.js';

export type PaneName = 'remote' | 'preview';

/** DECSC / DECRC: save and restore cursor position and attributes around our writes. */
const SAVE = Buffer.from('\x1b7', 'latin1');
const RESTORE = Buffer.from('\x1b8', 'latin1');

interface Pane {
  renderer: FrameRenderer;
  rect: CellRect | null;
  frame: Frame | null;
  dirty: boolean;
  full: boolean;
}

/** Where output goes: the tty stream, and a hook to flush blessed's pending output first so ordering holds. */
export interface PaneOutput {
  readonly stream: Writable;
  flushPending(): void;
}

/** Counters for the status panel and the log. */
export interface PaintStats {
  paints: number;
  bytes: number;
  /** Frames replaced by a newer one before they were painted (terminal or caps too slow). */
  skipped: number;
}

/** A write of at least this many bytes that blocked longer than SLOW_DRAIN_MS measures how fast the terminal drains. */
const DRAIN_SAMPLE_MIN_BYTES = 16 * 1024;

// Bytes that blank a rect (default colours), one CUP + ECH per row; no scrolling, nothing outside the rect.
export function eraseBytes(rect: CellRect): Buffer {
  let s = '\x1b[0m';
  for (let r = 0; r < rect.rows; r++) s += `\x1b[${rect.row + r + 1};${rect.col + 1}H\x1b[${rect.cols}X`;
  return Buffer.from(s, 'latin1');
}

/** The two video panes and their painting. */
export class VideoPanes {
  readonly stats: PaintStats = { paints: 0, bytes: 0, skipped: 0 };
  /** Called after the first write that held a remote frame (for the startup figure). */
  onFirstRemotePaint: (() => void) | null = null;
  private readonly panes: Record<PaneName, Pane>;
  private pendingErase: Buffer[] = [];
  private suspended = true;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private waitingDrain = false;
  private closed = false;
  private readonly pacer: PaintPacer;
  /** The output budget from a slowly draining terminal (kbit/s, 0: none found), and why. */
  private drainKbps = 0;
  private firstPaintAt = 0;
  private budgetWhy = '';

  constructor(private readonly out: PaneOutput, kind: RendererKind, private cell: { width: number; height: number }, private readonly pacing: PacerOptions,
    private readonly ctx: RendererContext = {}) {
    this.pacer = new PaintPacer(pacing);
    if (pacing.maxKbps) this.budgetWhy = `--max-output-kbps ${pacing.maxKbps}`;
    this.panes = {
      remote: { renderer: this.make(kind), rect: null, frame: null, dirty: false, full: true },
      preview: { renderer: this.make(kind), rect: null, frame: null, dirty: false, full: true },
    };
  }

  /** A renderer of this kind with the current budget. */
  private make(kind: RendererKind): FrameRenderer {
    return createRenderer(kind, this.cell, { ...this.ctx, maxKbps: this.budgetKbps() });
  }

  /** The budget in force: the lower of --max-output-kbps and what a slow terminal showed (0: none). */
  private budgetKbps(): number {
    const caps = [this.pacing.maxKbps ?? 0, this.drainKbps].filter((v) => v > 0);
    return caps.length ? Math.min(...caps) : 0;
  }

  /** Paints, bytes and kbit/s written since the first paint, with what the remote pane drew last (for the log). */
  summary(): string {
    const secs = this.firstPaintAt > 0 ? (performance.now() - this.firstPaintAt) / 1000 : 0;
    const kbps = secs > 0 ? (this.stats.bytes * 8) / 1000 / secs : 0;
    return `${this.stats.paints} paints, ${this.stats.bytes} bytes in ${secs.toFixed(1)} s = ${kbps.toFixed(0)} kbit/s, ` +
      `${secs > 0 ? (this.stats.paints / secs).toFixed(1) : '0'} paints/s; ${this.describe()}`;
  }

  /** What the remote pane's renderer draws and why (for the status panel). */
  describe(): string {
    const r = this.panes.remote.renderer;
    const d = r.describe ? r.describe() : r.kind;
    return this.budgetWhy && d.includes('budget') ? `${d} — ${this.budgetWhy}` : d;
  }

  /** Remove pixel images now (they are not erased with the cells, and would cover dialogs and the form). */
  private clearImages(): void {
    const parts: Buffer[] = [];
    for (const p of Object.values(this.panes)) {
      const b = p.renderer.clear?.();
      if (b && b.length > 0) parts.push(b);
    }
    if (parts.length === 0 || this.closed) return;
    this.out.flushPending();
    this.out.stream.write(Buffer.concat([SAVE, ...parts, RESTORE]));
  }

  /** The renderer kind in use. */
  get kind(): RendererKind {
    return this.panes.remote.renderer.kind;
  }

  /** Switch renderer: old pictures are erased, the next paint is full. */
  setRenderer(kind: RendererKind): void {
    this.clearImages();
    for (const p of Object.values(this.panes)) {
      if (p.rect) this.pendingErase.push(eraseBytes(p.rect));
      p.renderer = this.make(kind);
      p.full = true;
      p.dirty = p.frame !== null;
    }
    this.schedule();
  }

  /**
   * Move or resize a pane (null hides it); the old area is erased unless eraseOld is false (blessed cleared the
   * screen: then erases still queued are dropped too — written after a shrink, their rows would clamp to the
   * terminal's last row and blank the status panel).
   */
  setRect(name: PaneName, rect: CellRect | null, eraseOld = true): void {
    const p = this.panes[name];
    if (!eraseOld) this.pendingErase = [];
    if (sameRect(p.rect, rect)) return;
    const clear = p.renderer.clear?.();
    if (clear && clear.length > 0) this.pendingErase.push(clear);
    if (p.rect && eraseOld) this.pendingErase.push(eraseBytes(p.rect));
    const old = p.rect;
    p.rect = rect && rect.cols > 0 && rect.rows > 0 ? rect : null;
    p.full = true;
    p.dirty = p.frame !== null;
    // the preview left (or moved over) part of the remote picture: repaint the remote pane in full
    if (name === 'preview' && (overlaps(old, this.panes.remote.rect) || overlaps(p.rect, this.panes.remote.rect))) {
      const r = this.panes.remote;
      r.full = true;
      r.renderer.invalidate();
      r.dirty = r.frame !== null;
    }
    this.schedule();
  }

  /** A new frame for a pane; a frame not yet painted is dropped (counted). */
  setFrame(name: PaneName, frame: Frame): void {
    const p = this.panes[name];
    if (p.dirty && p.frame && p.rect && !this.suspended) this.stats.skipped++;
    p.frame = frame;
    p.dirty = true;
    this.schedule();
  }

  /** Forget the frame of a pane and blank it (call ended). */
  clearPane(name: PaneName): void {
    const p = this.panes[name];
    p.frame = null;
    p.dirty = false;
    const clear = p.renderer.clear?.();
    if (clear && clear.length > 0 && !this.closed) {
      this.out.flushPending();
      this.out.stream.write(Buffer.concat([SAVE, clear, RESTORE]));
    }
    if (p.rect && !this.suspended) this.pendingErase.push(eraseBytes(p.rect));
    p.rect = null;
    p.renderer.invalidate();
    this.schedule();
  }

  /** blessed redrew the whole screen (or a dialog closed): repaint every pane in full. */
  invalidate(): void {
    for (const p of Object.values(this.panes)) {
      p.full = true;
      p.renderer.invalidate();
      p.dirty = p.frame !== null;
    }
    this.schedule();
  }

  /** Stop painting (a dialog or the form covers the screen) or start again (with a full repaint). */
  setSuspended(suspended: boolean): void {
    if (this.suspended === suspended) return;
    this.suspended = suspended;
    if (suspended) {
      this.pendingErase = [];
      this.clearImages();
    } else this.invalidate();
  }

  /** Stop for good: pixel images are removed (nothing is left on the screen after q). */
  close(): void {
    this.clearImages();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * A tty write blocks while the terminal (or the SSH link behind it) is behind: a big write that blocked long
   * measures the drain rate; the pixel renderers then get a budget below it (it only ever goes down).
   */
  noteDrain(bytes: number, writeMs: number): void {
    if (bytes < DRAIN_SAMPLE_MIN_BYTES || writeMs < SLOW_DRAIN_MS) return;
    const kbps = Math.floor((0.8 * bytes * 8) / writeMs);
    if (this.drainKbps > 0 && kbps >= this.drainKbps * 0.9) return;
    this.drainKbps = kbps;
    const budget = this.budgetKbps();
    if (budget !== this.drainKbps) return;
    this.budgetWhy = `the terminal drains slowly (${Math.round(bytes / 1024)} KB took ${Math.round(writeMs)} ms)`;
    for (const p of Object.values(this.panes)) p.renderer.setBudget?.(budget);
  }

  /** Paint soon (coalesced): at most one paint is ever waiting. */
  private schedule(): void {
    if (this.scheduled || this.timer || this.waitingDrain || this.closed || this.suspended) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.paint();
    });
  }

  /** Paint whatever changed, unless the terminal is behind or a cap says wait. */
  private paint(): void {
    if (this.closed || this.suspended) return;
    const stream = this.out.stream;
    if (stream.writableLength > TUI_MAX_OUTPUT_BACKLOG_BYTES || stream.writableNeedDrain) {
      this.waitingDrain = true;
      stream.once('drain', () => {
        this.waitingDrain = false;
        this.schedule();
      });
      return;
    }
    const now = performance.now();
    const wait = this.pacer.delayMs(now);
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.paint();
      }, wait);
      return;
    }
    const parts: Buffer[] = this.pendingErase;
    this.pendingErase = [];
    let remote = false;
    const { remote: rp, preview: pp } = this.panes;
    for (const p of [rp, pp]) {
      // the remote pane wrote cells, maybe under the preview: the preview goes over them again, in full
      const under = p === pp && remote && overlaps(pp.rect, rp.rect) && pp.frame !== null;
      if (!(p.dirty || under) || !p.frame || !p.rect) continue;
      const b = p.renderer.render(p.frame, p.rect, { full: p.full || under });
      p.dirty = false;
      p.full = false;
      if (b.length > 0) parts.push(b);
      if (p === rp) remote = b.length > 0;
    }
    if (parts.length === 0) return;
    const buf = Buffer.concat([SAVE, ...parts, RESTORE]);
    this.out.flushPending();
    const t0 = performance.now();
    stream.write(buf);
    const writeMs = performance.now() - t0;
    this.pacer.record(now, buf.length, writeMs);
    this.noteDrain(buf.length, writeMs);
    if (this.firstPaintAt === 0) this.firstPaintAt = now;
    this.stats.paints++;
    this.stats.bytes += buf.length;
    if (rp.frame && remote && this.onFirstRemotePaint) {
      const fn = this.onFirstRemotePaint;
      this.onFirstRemotePaint = null;
      fn();
    }
  }
}
