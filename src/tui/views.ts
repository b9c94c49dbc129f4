// The blessed side: screen, start-screen form, status panel, help line and dialogs (blessed is imported only in src/tui).
import blessed from 'blessed';
import type { FormModel, FocusName } from './form-model.js';
import { tagEscape } from './status.js';
import { patchBlessedWidths } from './blessed-width.js';
import { CallViews, type CallScreen } from './call-views.js';

/** What the start screen shows besides the form. */
export interface FormInfo {
  /** "listening on 0.0.0.0:7878 …" or "not listening (--no-listen)". */
  listening: string;
  /** Progress or the last outcome: "calling …", "declined …". */
  message: string;
  /** Call state (idle, listening, calling, ringing …). */
  state?: string;
  /** A warning that stays on the start screen (a short passphrase …). */
  warning?: string;
}

/** Key help of the start screen. */
export const FORM_HELP = 'Tab/↑↓ move | Enter call | Ctrl-O make a call code | Ctrl-C quit';

// A form field: [text] padded to width, highlighted when focused (reversed when the text is "selected").
function field(model: FormModel, name: 'host' | 'port' | 'name', width: number): string {
  const v = model.values[name];
  const shown = v.length > width ? v.slice(v.length - width) : v;
  const pad = ' '.repeat(Math.max(0, width - shown.length));
  if (model.focus !== name) return `[${tagEscape(shown)}${pad}]`;
  if (model.fresh && v !== '') return `[{inverse}${tagEscape(shown)}{/inverse}${pad}]`;
  return `[{underline}${tagEscape(shown)}{inverse} {/inverse}${pad.slice(1)}{/underline}]`;
}

// Mark the focused item with a pointer.
function mark(model: FormModel, f: FocusName): string {
  return model.focus === f ? '{bold}>{/bold}' : ' ';
}

// The start screen's lines (blessed tags).
export function formLines(model: FormModel, info: FormInfo, width: number, height = 100): string[] {
  const w = Math.max(8, Math.min(40, width - 12));
  const lines = [
    '{bold}termcall{/bold} — video calls in the terminal',
    '',
    `${mark(model, 'host')} Host  ${field(model, 'host', w)}`,
    '        a host, ssh://USER@HOST, or a call code pasted',
    `${mark(model, 'port')} Port  ${field(model, 'port', 6)}`,
    `${mark(model, 'name')} Name  ${field(model, 'name', Math.min(w, 24))}`,
    '',
    `${mark(model, 'call')} ${model.focus === 'call' ? '{inverse}[ Call ]{/inverse}' : '[ Call ]'}`,
    '',
  ];
  if (model.peers.length > 0) {
    lines.push(`${mark(model, 'peers')} Peers (↑/↓, Enter to call):`);
    model.peers.forEach((p, i) => {
      const address = `${p.host}:${p.port}`;
      const text = tagEscape(p.name && p.name !== address ? `${p.name.padEnd(12)} ${address}` : address);
      const sel = model.focus === 'peers' && i === model.selected;
      lines.push(sel ? `   {inverse}${text}{/inverse}` : `   ${text}`);
    });
    lines.push('');
  }
  lines.push(tagEscape(info.listening));
  if (info.warning) lines.push(`{bold}warning:{/bold} ${tagEscape(info.warning)}`);
  if (info.state) lines.push(`state: ${tagEscape(info.state)}`);
  if (info.message) lines.push('', `{bold}${tagEscape(info.message)}{/bold}`);
  // a short terminal: drop the spacing so the message line stays visible
  return lines.length > height ? lines.filter((l) => l !== '') : lines;
}

/** The screen and its widgets. */
export class Views {
  readonly screen: blessed.Widgets.Screen;
  private readonly form: blessed.Widgets.BoxElement;
  private readonly call: CallViews;
  private readonly help: blessed.Widgets.BoxElement;
  private readonly dialog: blessed.Widgets.BoxElement;
  /** Focus reports (mode 1004): true when the window comes in front, false when it leaves. */
  onFocus: ((focused: boolean) => void) | null = null;
  private dialogLines: readonly string[] | null = null;
  /** The start screen is the screen (showForm), whether or not a dialog hides its form for now. */
  private formShown = false;
  /** Set when blessed reallocates its buffers (resize, full redraw): the video must be repainted in full after render. */
  fullRedrawPending = true;

  constructor(input: NodeJS.ReadStream, output: NodeJS.WriteStream) {
    patchBlessedWidths();
    this.screen = blessed.screen({
      input, output, smartCSR: false, fastCSR: false, fullUnicode: true, forceUnicode: true, warnings: false,
      title: 'termcall', dockBorders: false, autoPadding: true, sendFocus: false, useBCE: false,
    } as blessed.Widgets.IScreenOptions);
    // blessed.alloc() clears the terminal and forgets what it shows: note it so the video is repainted in full
    const screen = this.screen as unknown as { alloc: (dirty?: boolean) => void };
    const alloc = screen.alloc.bind(screen);
    screen.alloc = (dirty?: boolean): void => {
      this.fullRedrawPending = true;
      alloc(dirty);
    };
    this.form = blessed.box({ parent: this.screen, top: 0, left: 1, width: '100%-2', height: '100%-1', tags: true, hidden: true });
    this.help = blessed.box({ parent: this.screen, bottom: 0, left: 0, width: '100%', height: 1, tags: true,
      style: { fg: 'black', bg: 'white' } });
    this.call = new CallViews(this.screen, this.help);
    // focus reports: blessed parses ESC [ I / ESC [ O once its mouse-and-focus reader is bound (no mouse mode is enabled)
    const program = this.screen.program as unknown as { bindMouse(): void; on(ev: string, fn: () => void): void; output: NodeJS.WriteStream };
    program.bindMouse();
    program.on('focus', () => this.onFocus?.(true));
    program.on('blur', () => this.onFocus?.(false));
    program.output.write('\x1b[?1004h');
    this.dialog = blessed.box({ parent: this.screen, top: 'center', left: 'center', width: 10, height: 3,
      border: { type: 'line' }, padding: { left: 1, right: 1 }, tags: true, hidden: true });
  }

  /** Terminal size in cells. */
  get size(): { cols: number; rows: number } {
    return { cols: Math.max(1, this.screen.width as number), rows: Math.max(1, this.screen.height as number) };
  }

  /** Show the start screen. */
  showForm(model: FormModel, info: FormInfo): void {
    this.call.hide();
    this.formShown = true;
    // (not beside an open dialog: its text would run into the dialog's lines, and into a code copied off them)
    if (this.dialogLines) this.form.hide();
    else this.form.show();
    this.form.setContent(formLines(model, info, this.size.cols, this.size.rows - 1).join('\n'));
    // (an open dialog names its own keys)
    this.setHelp(this.dialogLines ? '' : FORM_HELP);
  }

  /** Show (or refresh) the call screen's text: status panel, chat pane, strip, help line (the video is painted around). */
  showCall(s: CallScreen): void {
    this.formShown = false;
    this.form.hide();
    this.call.show(s);
  }

  /** Open a dialog with these lines (tags allowed). */
  showDialog(lines: readonly string[]): void {
    this.dialogLines = lines;
    const maxW = Math.max(10, this.size.cols - 6);
    const plain = lines.map((l) => l.replace(/\{\/?[a-z]+\}/g, ''));
    const inner = Math.min(maxW, Math.max(...plain.map((l) => l.length)));
    this.dialog.width = inner + 5; // border, padding, and one spare column: blessed wraps a line that fills the box exactly
    this.dialog.height = Math.min(this.size.rows - 1, plain.reduce((n, l) => n + Math.max(1, Math.ceil(l.length / inner)), 0) + 2);
    this.dialog.setContent(lines.join('\n'));
    this.form.hide();
    if (this.formShown) this.setHelp('');
    this.dialog.show();
    this.dialog.setFront();
  }

  /** Close the dialog. */
  hideDialog(): void {
    this.dialogLines = null;
    this.dialog.hide();
    if (this.formShown) {
      this.form.show();
      this.setHelp(FORM_HELP);
    }
  }

  /** The terminal was resized: size the open dialog (if any) again. */
  reshowDialog(): void {
    if (this.dialogLines) this.showDialog(this.dialogLines);
  }

  /** Set the key help line. */
  private setHelp(text: string): void {
    this.help.setContent(tagEscape(` ${text}`));
  }

  /** Clear the terminal and redraw everything blessed owns (the video follows in full). */
  fullRedraw(): void {
    (this.screen as unknown as { realloc(): void }).realloc();
    this.screen.render();
  }

  /** Draw what changed. */
  render(): void {
    this.screen.render();
  }

  /** Flush blessed's buffered output (before we write video straight to the terminal). */
  flush(): void {
    (this.screen.program as unknown as { flush(): void }).flush();
  }
}
