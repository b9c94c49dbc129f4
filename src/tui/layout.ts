// Where everything goes on the call screen (pure): the remote video as large as its aspect allows, the status panel
// beside it (wide windows) or below it (narrow), the chat pane where it fits, the local preview as a picture-in-picture
// in a corner of the video area, one strip row under the video (chat input, or the newest message flashed), the key
// help on the last row. `full` leaves only the video (and the strip).
import type { CellRect } from '../render/types.js';
import { DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX, TUI_SIDE_PANEL_COLS } from '../shared/limits.js';

/** Rows of the status panel when it sits below the video. */
export const STATUS_BOTTOM_ROWS = 2;
/** Rows the status panel takes at the top of the side column (the chat pane gets the rest). */
export const STATUS_SIDE_ROWS = 19;
/** The side column is considered from this many terminal columns on (it is used when the picture gains by it). */
export const SIDE_MIN_COLS = 2 * TUI_SIDE_PANEL_COLS;
/** The bottom panel adds a row of graphs per figure (4 more rows) when the body is at least this tall. */
export const STATUS_GRAPHS_MIN_BODY = 35;
export const STATUS_BOTTOM_GRAPH_ROWS = 6;
/** Widest side column, in cells. */
const SIDE_MAX_COLS = 44;
/** A chat pane needs at least this much room. */
export const CHAT_MIN_COLS = 20;
export const CHAT_MIN_ROWS = 4;
/** Widest chat pane beside the video (bottom layout). */
const CHAT_MAX_COLS = 48;
/** Smallest and largest preview, in cells. */
const MIN_PREVIEW_COLS = 8;
const MIN_PREVIEW_ROWS = 3;
const MAX_PREVIEW_COLS = 40;

/** The corners the preview can sit in; P cycles them in this order. */
export const CORNERS = ['br', 'bl', 'tl', 'tr'] as const;
export type Corner = (typeof CORNERS)[number];

export interface LayoutInput {
  readonly cols: number;
  readonly rows: number;
  readonly preview: boolean;
  /** Corner of the video area the preview sits in (default bottom right). */
  readonly corner?: Corner;
  /** Video only: no status, chat, help or preview. */
  readonly full?: boolean;
  /** The user wants the chat pane shown (it still needs room). */
  readonly chat?: boolean;
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
  /** side: status (and chat) in a column on the right; bottom: status below the video; full: video only. */
  readonly mode: 'side' | 'bottom' | 'full';
  /** The status panel, null in full mode. */
  readonly status: CellRect | null;
  /** The key help line (the terminal's last row, so no video ever touches it); null in full mode (the row stays blank). */
  readonly help: CellRect | null;
  /** The row under the video: the chat input when open, else the newest message while it flashes. */
  readonly strip: CellRect;
  /** The chat pane, or null when hidden or there is no room. */
  readonly chat: CellRect | null;
  /** The room the remote picture may use (its pixel size is announced to the peer). */
  readonly remoteArea: CellRect;
  /** The remote picture, aspect kept, centred in remoteArea. */
  readonly remote: CellRect;
  /** The local preview (over a corner of remoteArea), or null when hidden or there is no room. */
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

type Input = Required<Omit<LayoutInput, 'cols' | 'rows'>>;

// The preview over a corner of the video area (a quarter of its width, aspect kept), or null when there is no room.
function placePreview(area: CellRect, inp: Input): CellRect | null {
  if (!inp.preview) return null;
  const cols = Math.min(MAX_PREVIEW_COLS, Math.max(MIN_PREVIEW_COLS, Math.round(area.cols / 4)));
  const rows = Math.max(MIN_PREVIEW_ROWS, Math.round((cols * inp.cellAspect) / inp.localAspect));
  if (cols * 2 > area.cols || rows * 2 > area.rows) return null;
  const right = inp.corner === 'br' || inp.corner === 'tr';
  const bottom = inp.corner === 'br' || inp.corner === 'bl';
  return { col: right ? area.col + area.cols - cols : area.col, row: bottom ? area.row + area.rows - rows : area.row, cols, rows };
}

// The video part: area, fitted picture, preview, and the strip row below the area.
function video(area: CellRect, inp: Input): Pick<Layout, 'remoteArea' | 'remote' | 'preview' | 'strip'> {
  const remoteArea: CellRect = { ...area, rows: Math.max(0, area.rows - 1) };
  return {
    remoteArea, remote: fitRect(remoteArea, inp.remoteAspect, inp.cellAspect), preview: placePreview(remoteArea, inp),
    strip: { col: area.col, row: area.row + remoteArea.rows, cols: area.cols, rows: 1 },
  };
}

// Lay out the call screen for a terminal of cols x rows.
export function computeLayout(input: LayoutInput): Layout {
  const cols = Math.max(1, Math.floor(input.cols));
  const rows = Math.max(2, Math.floor(input.rows));
  const inp: Input = {
    preview: input.preview, corner: input.corner ?? 'br', full: input.full ?? false, chat: input.chat ?? true,
    remoteAspect: positive(input.remoteAspect, 4 / 3),
    localAspect: positive(input.localAspect, 4 / 3),
    cellAspect: positive(input.cellAspect, DEFAULT_CELL_WIDTH_PX / DEFAULT_CELL_HEIGHT_PX),
  };
  if (inp.full) {
    // the last row stays out of the video (a sixel image there would scroll the screen): the strip uses it
    return { cols, rows, mode: 'full', status: null, help: null, chat: null, ...video({ col: 0, row: 0, cols, rows }, { ...inp, preview: false }) };
  }
  const help: CellRect = { col: 0, row: rows - 1, cols, rows: 1 };
  const body = rows - 1;
  const bottom = bottomLayout(cols, rows, help, inp);
  if (cols < SIDE_MIN_COLS || body < 6) return bottom;
  // side: a column on the right, the status on top and the chat pane below it; used when the picture gains by it
  const w = Math.min(SIDE_MAX_COLS, Math.max(TUI_SIDE_PANEL_COLS, Math.floor(cols / 4)));
  const col = cols - w;
  const statusRows = inp.chat && body - STATUS_SIDE_ROWS >= CHAT_MIN_ROWS ? STATUS_SIDE_ROWS : body;
  const chat = statusRows < body ? { col, row: statusRows, cols: w, rows: body - statusRows } : null;
  const side: Layout = {
    cols, rows, mode: 'side', help, status: { col, row: 0, cols: w, rows: statusRows }, chat,
    ...video({ col: 0, row: 0, cols: col - 1, rows: body }, inp),
  };
  return cellsOf(side.remote) > cellsOf(bottom.remote) ? side : bottom;
}

// The bottom layout: the status under the video (with graphs when the window is tall), the chat pane beside the
// video when the picture leaves room for it.
function bottomLayout(cols: number, rows: number, help: CellRect, inp: Input): Layout {
  const body = rows - 1;
  const want = body >= STATUS_GRAPHS_MIN_BODY ? STATUS_BOTTOM_GRAPH_ROWS : STATUS_BOTTOM_ROWS;
  const statusRows = Math.min(want, Math.max(0, body - 2));
  const status: CellRect = { col: 0, row: body - statusRows, cols, rows: statusRows };
  const top: CellRect = { col: 0, row: 0, cols, rows: body - statusRows };
  const whole = video(top, inp);
  const spare = cols - whole.remote.cols - 1;
  if (inp.chat && spare >= CHAT_MIN_COLS && top.rows >= CHAT_MIN_ROWS) {
    const w = Math.min(CHAT_MAX_COLS, spare);
    return {
      cols, rows, mode: 'bottom', help, status, chat: { col: cols - w, row: 0, cols: w, rows: top.rows },
      ...video({ ...top, cols: cols - w - 1 }, inp),
    };
  }
  return { cols, rows, mode: 'bottom', help, status, chat: null, ...whole };
}

// Cells of a rect.
function cellsOf(r: CellRect): number {
  return r.cols * r.rows;
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

// Do two rects share a cell?
export function overlaps(a: CellRect | null, b: CellRect | null): boolean {
  if (!a || !b) return false;
  return a.col < b.col + b.cols && b.col < a.col + a.cols && a.row < b.row + b.rows && b.row < a.row + a.rows;
}
