// The call screen's layout state: what the user toggled (preview, its corner, full-window video, chat pane), the
// remote picture's aspect, and the layout computed from them and the terminal size.
import type { FrameSource } from '../shared/frame-source.js';
import type { RendererKind } from '../render/types.js';
import { panePixelSize } from '../render/table.js';
import { computeLayout, CORNERS, type Corner, type Layout } from './layout.js';

/** Where the layout reads the terminal size and the local picture from. */
export interface LayoutSources {
  size(): { cols: number; rows: number };
  readonly source: FrameSource | null;
  readonly cell: { readonly width: number; readonly height: number };
}

/** The toggles and the current layout. */
export class CallLayout {
  showPreview: boolean;
  corner: Corner = 'br';
  full = false;
  chatPane = true;
  remoteAspect = 4 / 3;
  layout: Layout;

  constructor(private readonly src: LayoutSources, preview: boolean) {
    this.showPreview = preview;
    this.layout = this.compute();
  }

  /** Lay out for the current terminal size, toggles and picture aspects (and keep it). */
  update(): Layout {
    this.layout = this.compute();
    return this.layout;
  }

  /** A received frame's aspect; true when it changed enough to lay out again. */
  setRemoteAspect(aspect: number): boolean {
    if (Math.abs(aspect - this.remoteAspect) <= 0.01) return false;
    this.remoteAspect = aspect;
    return true;
  }

  /** P: the preview moves to the next corner (and shows, if it was hidden). */
  nextCorner(): void {
    this.corner = CORNERS[(CORNERS.indexOf(this.corner) + 1) % CORNERS.length] ?? 'br';
    this.showPreview = true;
  }

  /** Pixel size of the remote area for this renderer (announced to the peer). */
  paneSize(kind: RendererKind): { width: number; height: number } {
    return panePixelSize(this.layout.remoteArea, kind, this.src.cell);
  }

  /** The box the preview is pulled at (its pane's pixel size), or null when it is not shown. */
  previewBox(kind: RendererKind): { maxWidth: number; maxHeight: number } | null {
    const r = this.layout.preview;
    if (!r) return null;
    const px = panePixelSize(r, kind, this.src.cell);
    return { maxWidth: px.width, maxHeight: px.height };
  }

  /** The layout as a log line (tests read it back). */
  logLine(): string {
    const l = this.layout;
    return `layout ${JSON.stringify({ cols: l.cols, rows: l.rows, mode: l.mode, remote: l.remote, preview: l.preview, status: l.status, chat: l.chat, strip: l.strip })}`;
  }

  // The layout of this moment.
  private compute(): Layout {
    const { cols, rows } = this.src.size();
    const info = this.src.source?.info;
    return computeLayout({
      cols, rows, preview: this.showPreview && this.src.source !== null, remoteAspect: this.remoteAspect,
      corner: this.corner, full: this.full, chat: this.chatPane,
      localAspect: info && info.height > 0 ? info.width / info.height : 4 / 3, cellAspect: this.src.cell.width / this.src.cell.height,
    });
  }
}
