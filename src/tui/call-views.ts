// The call screen's blessed widgets: status panel, chat pane, the strip under the video (chat input or the newest
// message flashed), and the key help line with the unread count. The video is painted beside them (video-panes.ts).
import blessed from 'blessed';
import type { CellRect } from '../render/types.js';
import { blessedCost, fitCells, graphemes, padCells } from '../shared/chat-text.js';
import { flashLine, type ChatEntry, type ChatModel } from './chat-model.js';
import type { Layout } from './layout.js';
import type { StatsHistory } from './sparkline.js';
import { bottomLines, CALL_HELP, sideLines, tagEscape, type StatusModel } from './status.js';

/** Everything the call screen's text shows. */
export interface CallScreen {
  readonly layout: Layout;
  readonly status: StatusModel;
  readonly hist: StatsHistory;
  readonly chat: ChatModel;
  /** The chat input, when open: the visible slice of its text and the cursor column in it. */
  readonly input: { readonly text: string; readonly cursorCol: number } | null;
  /** A note for the strip (a refused message, chat not available …), or null. */
  readonly note: string | null;
  /** The peer's newest message while it flashes (pane hidden), or null. */
  readonly flash: ChatEntry | null;
}

/** The prompt in front of the chat input. */
export const INPUT_PROMPT = 'chat> ';

// Cut each line to blessed's budget of cols and pad it (so blessed never wraps or cuts), escaping blessed tags.
// Every width below is blessed's (blessedCost): an emoji costs a cell more there, so such a line ends a cell early.
function cells(lines: readonly string[], cols: number, rows: number): string[] {
  return lines.slice(0, Math.max(0, rows)).map((l) => styleStatusLine(padCells(l, cols, blessedCost)));
}

// Colour for one (padded, plain) status line: direction headings bold, graphs cyan, the call state by its meaning.
export function styleStatusLine(line: string): string {
  const graph = /^(fps|kbit|ms|loss|in fps|in kbit|in ms|in loss) /.exec(line);
  if (graph && line.length > 12 && !line.includes(' | ')) return `${tagEscape(line.slice(0, 12))}{cyan-fg}${tagEscape(line.slice(12))}{/cyan-fg}`;
  if (/^[↓↑] /.test(line)) return `{bold}${tagEscape(line)}{/bold}`;
  const state = /^(state {5}|● )(connected|reconnecting|ended)/.exec(line);
  if (state) {
    const colour = state[2] === 'connected' ? 'green' : state[2] === 'reconnecting' ? 'yellow' : 'red';
    const head = state[1] ?? '';
    return `${tagEscape(head)}{${colour}-fg}{bold}${state[2]}{/bold}{/${colour}-fg}${tagEscape(line.slice(head.length + (state[2]?.length ?? 0)))}`;
  }
  if (/^security {2}not encrypted/.test(line)) return `security  {yellow-fg}${tagEscape(line.slice(10))}{/yellow-fg}`;
  return tagEscape(line);
}

// The strip's content (blessed tags): the input with a block cursor (its note goes to the help line), a note, or the
// flashed message.
export function stripContent(s: CallScreen, cols: number): string {
  if (s.input) {
    const t = s.input.text;
    const before = fitCells(t, s.input.cursorCol, blessedCost);
    const rest = t.slice(before.length);
    const first = graphemes(rest)[0] ?? '';
    const under = first === '' ? ' ' : first;
    const after = rest.slice(first.length);
    return `{bold}${INPUT_PROMPT}{/bold}${tagEscape(before)}{inverse}${tagEscape(under)}{/inverse}${tagEscape(after)}`;
  }
  if (s.note) return `{yellow-fg}${tagEscape(fitCells(s.note, cols, blessedCost))}{/yellow-fg}`;
  if (s.flash) return `{black-fg}{yellow-bg}${tagEscape(padCells(` ✉ ${flashLine(s.flash, cols - 4, blessedCost)}`, cols, blessedCost))}{/yellow-bg}{/black-fg}`;
  return '';
}

// The help line: the keys (or, while the input is open, its note), and the unread count on the right while the chat
// pane is hidden.
export function helpContent(s: CallScreen, cols: number): string {
  const unread = s.chat.unread > 0 ? ` ✉ ${s.chat.unread} unread ` : '';
  const keys = s.input ? (s.note ?? 'Enter send | Esc close | Ctrl-U/Ctrl-W delete') : CALL_HELP;
  const left = fitCells(` ${keys}`, Math.max(0, cols - blessedCost(unread)), blessedCost);
  return tagEscape(padCells(left, cols - blessedCost(unread), blessedCost)) + (unread ? `{inverse}{bold}${tagEscape(unread)}{/bold}{/inverse}` : '');
}

// The chat pane's lines (blessed tags): a header, then the newest messages, mine in cyan, notes in yellow.
export function chatContent(s: CallScreen, r: CellRect): string {
  const header = `{bold}${tagEscape(padCells(' chat', r.cols))}{/bold}`;
  const body = s.chat.lines(r.cols, r.rows - 1, blessedCost).map((l) => {
    const t = tagEscape(l.text);
    return l.from === 'me' ? `{cyan-fg}${t}{/cyan-fg}` : l.from === 'note' ? `{yellow-fg}${t}{/yellow-fg}` : t;
  });
  if (body.length === 0) body.push(tagEscape(padCells(' Enter or c to write', r.cols)));
  return [header, ...body].join('\n');
}

/** The call screen's text widgets. */
export class CallViews {
  private readonly status: blessed.Widgets.BoxElement;
  private readonly chat: blessed.Widgets.BoxElement;
  private readonly strip: blessed.Widgets.BoxElement;

  constructor(screen: blessed.Widgets.Screen, private readonly help: blessed.Widgets.BoxElement) {
    const box = (style?: object) => blessed.box({ parent: screen, top: 0, left: 0, width: 1, height: 1, tags: true, hidden: true, wrap: false,
      ...(style ? { style } : {}) } as blessed.Widgets.BoxOptions);
    this.status = box();
    this.chat = box({ bg: 'black' });
    this.strip = box();
  }

  /** Show and fill every widget for this state. */
  show(s: CallScreen): void {
    const l = s.layout;
    if (l.status) {
      const lines = l.mode === 'side' ? sideLines(s.status, s.hist, l.status.cols) : bottomLines(s.status, s.hist, l.status.cols, l.status.rows);
      this.place(this.status, l.status, cells(lines, l.status.cols, l.status.rows).join('\n'));
    } else this.status.hide();
    if (l.chat) this.place(this.chat, l.chat, chatContent(s, l.chat));
    else this.chat.hide();
    this.place(this.strip, l.strip, stripContent(s, l.strip.cols));
    if (l.help) {
      this.help.show();
      this.help.setContent(helpContent(s, l.help.cols));
    } else this.help.hide();
  }

  /** Hide the call screen's widgets (the form is shown). */
  hide(): void {
    this.status.hide();
    this.chat.hide();
    this.strip.hide();
    this.help.show();
  }

  // Put a widget at a cell rect with this content.
  private place(el: blessed.Widgets.BoxElement, r: CellRect, content: string): void {
    el.left = r.col;
    el.top = r.row;
    el.width = Math.max(1, r.cols);
    el.height = Math.max(1, r.rows);
    el.setContent(content);
    el.show();
  }
}
