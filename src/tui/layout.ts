// Where everything goes on the call screen (pure): remote video as large as possible, preview, status panel, help line.
import type { CellRect } from '../render/types.js';
import { DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX, TUI_SIDE_PANEL_COLS } from '../shared/limits.js';

/** Rows of the status panel when it sits below the video. */
export const STATUS_BOTTOM_ROWS = 2;
/** Rows the status text takes when the panel sits beside the video. */
export const STATUS_SIDE_TEXT_ROWS = 12;
/** Smallest preview, in cells. */
const MIN_PREVIEW_COLS = 8;
const MIN_PREVIEW_ROWS = 3;
/** Largest preview width, in cells. */
const MAX_PREVIEW_COLS = 40;

export interface LayoutInput {
  readonly cols: number;
  readonly rows: number;
  readonly preview: boolean;
  /** Width/height of the remote picture on screen (default 4:3). */
  readonly remoteAspect?: number;
  /** Width/height of the local picture. */
  readonly localAspect?: number;
  /** Cell width / cell height in pixels (default 0.5). */
  readonly cellAspect?: number;
}

export interface Layout {
  readonly cols: number;
  readonly rows: number;
  /** Where the status panel sits. */
  readonly statusMode: 'side' | 'bottom';
  readonly status: CellRect;
  /** The key help line (the terminal's last row, so no video ever touches it). */
  readonly help: CellRect;
  /** The room the remote picture may use (its pixel size is announced to the peer). */
  readonly remoteArea: CellRect;
  /** The remote picture, aspect kept, centred in remoteArea. */
  readonly remote: CellRect;
  /** The local preview, or null when hidden or there is no room. */
  readonly preview: CellRect | null;
}

// The largest rect of the given picture aspect inside area, centred.
export function fitRect(area: CellRect, aspect: number, cellAspect: number): CellRect {
  if (area.cols <= 0 || area.rows <= 0) return { col: area.col, row: area.row, cols: 0, rows: 0 };
  let rows = area.rows;
  let cols = Math.round((aspect * rows) / cellAspect);
  if (cols > area.cols) {
    cols = area.cols;
    rows = Math.min(area.rows, Math.max(1, Math.round((cols * cellAspect) / aspect)));
  }
  cols = Math.max(1, cols);
  return { col: area.col + ((area.cols - cols) >> 1), row: area.row + ((area.rows - rows) >> 1), cols, rows };
}

// Cells of a rect.
function cellsOf(r: CellRect): number {
  return r.cols * r.rows;
}

// The preview's size for a video area (a quarter of its width, aspect kept), or null when there is no room.
function previewSize(area: CellRect, aspect: number, cellAspect: number): { cols: number; rows: number } | null {
  const cols = Math.min(MAX_PREVIEW_COLS, Math.max(MIN_PREVIEW_COLS, Math.round(area.cols / 4)));
  const rows = Math.max(MIN_PREVIEW_ROWS, Math.round((cols * cellAspect) / aspect));
  if (cols + 4 > area.cols || rows + 2 > area.rows) return null;
  return { cols, rows };
}

// Place remote and preview inside a video area: the preview takes a strip on the right or at the bottom, whichever
// leaves the larger remote picture; they never overlap.
function placeVideo(area: CellRect, inp: Required<Omit<LayoutInput, 'cols' | 'rows'>>): Pick<Layout, 'remoteArea' | 'remote' | 'preview'> {
  const full = { remoteArea: area, remote: fitRect(area, inp.remoteAspect, inp.cellAspect), preview: null };
  if (!inp.preview) return full;
  const p = previewSize(area, inp.localAspect, inp.cellAspect);
  if (!p) return full;
  const preview: CellRect = { col: area.col + area.cols - p.cols, row: area.row + area.rows - p.rows, cols: p.cols, rows: p.rows };
  const rightArea: CellRect = { ...area, cols: area.cols - p.cols - 1 };
  const bottomArea: CellRect = { ...area, rows: area.rows - p.rows };
  const right = fitRect(rightArea, inp.remoteAspect, inp.cellAspect);
  const bottom = fitRect(bottomArea, inp.remoteAspect, inp.cellAspect);
  if (cellsOf(right) >= cellsOf(bottom)) return { remoteArea: rightArea, remote: right, preview };
  return { remoteArea: bottomArea, remote: bottom, preview };
}

// Lay out the call screen for a terminal of cols x rows.
export function computeLayout(input: LayoutInput): Layout {
  const cols = Math.max(1, Math.floor(input.cols));
  const rows = Math.max(1, Math.floor(input.rows));
  const inp = {
    preview: input.preview,
    remoteAspect: positive(input.remoteAspect, 4 / 3),
    localAspect: positive(input.localAspect, 4 / 3),
    cellAspect: positive(input.cellAspect, DEFAULT_CELL_WIDTH_PX / DEFAULT_CELL_HEIGHT_PX),
  };
  const help: CellRect = { col: 0, row: rows - 1, cols, rows: 1 };
  const body = rows - 1;
  // bottom status: video above a STATUS_BOTTOM_ROWS panel
  const bottomRows = Math.min(STATUS_BOTTOM_ROWS, Math.max(0, body - 1));
  const bottomArea: CellRect = { col: 0, row: 0, cols, rows: Math.max(0, body - bottomRows) };
  const bottom: Layout = {
    cols, rows, statusMode: 'bottom', help,
    status: { col: 0, row: bottomArea.rows, cols, rows: bottomRows },
    ...placeVideo(bottomArea, inp),
  };
  if (cols < TUI_SIDE_PANEL_COLS * 2 || body < 4) return bottom;
  // side status: a column on the right; the preview goes below the status text when it fits there
  const sideArea: CellRect = { col: 0, row: 0, cols: cols - TUI_SIDE_PANEL_COLS - 1, rows: body };
  const column: CellRect = { col: cols - TUI_SIDE_PANEL_COLS, row: 0, cols: TUI_SIDE_PANEL_COLS, rows: body };
  let side: Layout;
  const pRows = Math.round((TUI_SIDE_PANEL_COLS * inp.cellAspect) / inp.localAspect);
  if (inp.preview && body - STATUS_SIDE_TEXT_ROWS >= pRows) {
    side = {
      cols, rows, statusMode: 'side', help, status: column,
      remoteArea: sideArea, remote: fitRect(sideArea, inp.remoteAspect, inp.cellAspect),
      preview: { col: column.col, row: body - pRows, cols: TUI_SIDE_PANEL_COLS, rows: pRows },
    };
  } else {
    side = { cols, rows, statusMode: 'side', help, status: column, ...placeVideo(sideArea, inp) };
  }
  return cellsOf(side.remote) > cellsOf(bottom.remote) ? side : bottom;
}

// A positive finite number, else the fallback.
function positive(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback;
}

// Two rects are the same.
export function sameRect(a: CellRect | null, b: CellRect | null): boolean {
  if (a === null || b === null) return a === b;
  return a.col === b.col && a.row === b.row && a.cols === b.cols && a.rows === b.rows;
}
