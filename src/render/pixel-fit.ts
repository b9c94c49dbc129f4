// Where a pixel image goes in a pane and how big it is sent (kitty, iTerm2), and the output budget's size control.
import type { Frame } from '../shared/frame.js';
import { BUDGET_MIN_SCALE } from '../shared/limits.js';
import { fitContent, type ContentBox } from './scale.js';
import type { CellRect } from './types.js';

/** Where an image is placed and the pixel size it is sent at. */
export interface PixelPlacement {
  /** 0-based cell of the image's top-left corner. */
  readonly col: number;
  readonly row: number;
  /** Pixel offset inside that cell (kitty X=, Y=). */
  readonly offsetX: number;
  readonly offsetY: number;
  /** Cells the terminal stretches the image over (kitty c=, r=); 0: drawn 1:1 at its own pixel size. */
  readonly cols: number;
  readonly rows: number;
  /** Pixel size of the image sent. */
  readonly image: { readonly width: number; readonly height: number };
  /** The part of the image shown 1:1 (kitty x, y, w, h) when it overshoots the pane by a few pixels; else null. */
  readonly crop: ContentBox | null;
  /** The picture's box inside the pane, in screen pixels (aspect kept). */
  readonly box: ContentBox;
}

/**
 * Placement of a frame in a pane: the letterboxed box in screen pixels; the image is the frame itself when it fits
 * (never enlarged here: the terminal stretches it), shrunk by `scale` (the budget) and to maxSide.
 */
export function pixelPlacement(frame: Pick<Frame, 'width' | 'height'>, rect: CellRect, cell: { width: number; height: number },
  scale: number, maxSide: number): PixelPlacement {
  const paneW = rect.cols * cell.width;
  const paneH = rect.rows * cell.height;
  const fitted = fitContent(frame.width, frame.height, paneW, paneH, 1);
  // a frame within NEAR_FIT of the box (the sender rounds, the pane is whole cells) is shown 1:1, cropped to the pane
  const near = scale >= 1 && frame.width <= maxSide && frame.height <= maxSide &&
    Math.abs(frame.width - fitted.width) <= nearPx(fitted.width) && Math.abs(frame.height - fitted.height) <= nearPx(fitted.height);
  if (near && (frame.width !== fitted.width || frame.height !== fitted.height)) {
    const w = Math.min(frame.width, paneW);
    const h = Math.min(frame.height, paneH);
    const x = (paneW - w) >> 1;
    const y = (paneH - h) >> 1;
    const c = Math.floor(x / cell.width);
    const r = Math.floor(y / cell.height);
    const crop = w < frame.width || h < frame.height ? { x: (frame.width - w) >> 1, y: (frame.height - h) >> 1, width: w, height: h } : null;
    return {
      col: rect.col + c, row: rect.row + r, offsetX: x - c * cell.width, offsetY: y - r * cell.height, cols: 0, rows: 0,
      image: { width: frame.width, height: frame.height }, crop, box: { x, y, width: w, height: h },
    };
  }
  const box = fitted;
  const k = Math.min(1, (box.width * scale) / frame.width, (box.height * scale) / frame.height,
    maxSide / frame.width, maxSide / frame.height);
  const image = { width: Math.max(1, Math.round(frame.width * k)), height: Math.max(1, Math.round(frame.height * k)) };
  if (image.width === box.width && image.height === box.height) {
    const c = Math.floor(box.x / cell.width);
    const r = Math.floor(box.y / cell.height);
    return {
      col: rect.col + c, row: rect.row + r, offsetX: box.x - c * cell.width, offsetY: box.y - r * cell.height,
      cols: 0, rows: 0, image, crop: null, box,
    };
  }
  // stretched by the terminal: a letterbox in whole cells
  const cols = Math.max(1, Math.min(rect.cols, Math.round(box.width / cell.width)));
  const rows = Math.max(1, Math.min(rect.rows, Math.round(box.height / cell.height)));
  return {
    col: rect.col + ((rect.cols - cols) >> 1), row: rect.row + ((rect.rows - rows) >> 1), offsetX: 0, offsetY: 0,
    cols, rows, image, crop: null, box,
  };
}

/** How far (px) a frame may miss its box and still be shown 1:1: 2 % of the side, at least 4 px. */
function nearPx(side: number): number {
  return Math.max(4, Math.round(side * 0.02));
}

/**
 * The output budget's size control: from the bytes frames cost, the linear scale at which targetFps frames fit
 * into maxKbps (bytes per frame taken as proportional to the pixel count), in steps of 5 %, never below
 * BUDGET_MIN_SCALE. Without a budget the scale is 1.
 */
export class BudgetScaler {
  scale = 1;
  private perFullFrame = 0; // smoothed bytes a frame would cost at scale 1

  constructor(public kbps: number, private readonly targetFps: number) {}

  // Change the budget (0: none).
  setKbps(kbps: number): void {
    this.kbps = Math.max(0, kbps);
    if (this.kbps === 0) this.scale = 1;
    else if (this.perFullFrame > 0) this.scale = this.fit();
  }

  // A frame of `bytes` was sent at the current scale.
  record(bytes: number): void {
    if (this.kbps <= 0 || bytes <= 0) return;
    const full = bytes / (this.scale * this.scale);
    this.perFullFrame = this.perFullFrame === 0 ? full : this.perFullFrame * 0.7 + full * 0.3;
    this.scale = this.fit();
  }

  /** Bytes one frame may take. */
  get frameBytes(): number {
    return (this.kbps * 1000) / 8 / this.targetFps;
  }

  // The scale whose frames fit the budget, with a 10 % margin, in 5 % steps.
  private fit(): number {
    const s = Math.sqrt((0.9 * this.frameBytes) / this.perFullFrame);
    return Math.max(BUDGET_MIN_SCALE, Math.min(1, Math.floor(s * 20) / 20));
  }

  /** For the status panel: the budget and the size it led to. */
  note(): string {
    if (this.kbps <= 0) return '';
    return ` (budget ${Math.round(this.kbps)} kbit/s${this.scale < 1 ? `: ${Math.round(this.scale * 100)}% size` : ''})`;
  }
}
