// The app's core: start screen ↔ call screen, the call-ended dialog, chat, layout on resize, status redraws, preview
// and video. What each call event does is in app-calls.ts (TuiAppCalls extends this), the keys in tui-app.ts (TuiApp
// extends that).
import type { FrameSource } from '../shared/frame-source.js';
import type { Caps } from '../render/caps.js';
import type { RendererKind } from '../render/types.js';
import type { KittyFileSink } from '../render/kitty.js';
import { DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX, TUI_DEFAULT_MAX_FPS, TUI_PROMPT_TIMEOUT_MS } from '../shared/limits.js';
import { CallEnd } from './call-end.js';
import type { CallSide } from '../calls/call-side.js';
import { FormModel } from './form-model.js';
import { supportedRenderers } from '../render/table.js';
import { sixelRegisters } from '../render/sixel.js';
import { sameRect, type Layout } from './layout.js';
import { CallLayout } from './call-layout.js';
import { CallChat } from './call-chat.js';
import { blessedCost } from '../shared/chat-text.js';
import type { CallScreen } from './call-views.js';
import { StatsHistory } from './sparkline.js';
import { Notifier, notifyPlan } from '../terminal/notify.js';
import type { Logger } from '../shared/log.js';
import type { TuiOptions } from './options.js';
import { PreviewLoop } from './preview.js';
import { IncomingPrompt } from './prompt.js';
import { emptyStatus, rendererWhy, type CallState, type StatusModel } from './status.js';
import { VideoPanes } from './video-panes.js';
import { Views, type FormInfo } from './views.js';

type Dialog = null | 'help' | 'ended';

/** Everything the app is built from. */
export interface AppParts {
  readonly opts: TuiOptions;
  readonly views: Views;
  readonly calls: CallSide;
  readonly log: Logger;
  readonly caps: Caps;
  readonly renderer: RendererKind;
  readonly source: FrameSource | null;
  /** Where kitty may put frames as temporary files (the terminal is local), or null. */
  readonly kittyFiles?: KittyFileSink | null;
  /** Called once with the exit code when the user quits. */
  readonly quit: (code: number) => void;
}

export class TuiAppCore {
  readonly status: StatusModel;
  readonly panes: VideoPanes;
  protected readonly form: FormModel;
  protected readonly formInfo: FormInfo = { listening: '', message: '' };
  protected readonly cell: { width: number; height: number };
  protected readonly renderers: RendererKind[];
  protected readonly preview: PreviewLoop;
  protected readonly prompt: IncomingPrompt;
  protected screen: 'form' | 'call' = 'form';
  protected dialog: Dialog = null;
  protected readonly lay: CallLayout;
  protected readonly end: CallEnd;
  protected readonly hist = new StatsHistory();
  protected readonly chat: CallChat;
  protected readonly notifier: Notifier;
  protected refreshQueued = false;

  constructor(protected readonly p: AppParts) {
    const { opts, views, caps } = p;
    this.cell = caps.cellPx ?? { width: DEFAULT_CELL_WIDTH_PX, height: DEFAULT_CELL_HEIGHT_PX };
    this.renderers = supportedRenderers(caps, p.renderer);
    this.status = emptyStatus(p.renderer);
    this.status.rendererWhy = rendererWhy(caps, opts.render);
    const out = views.screen.program.output as NodeJS.WriteStream;
    this.notifier = new Notifier(notifyPlan(opts.notify ?? 'auto', process.env, caps.tmux), (bytes) => {
      views.flush();
      out.write(bytes);
      p.log.info(`notification written (${bytes.length} bytes)`);
    });
    views.onFocus = (focused) => { this.notifier.focused = focused; };
    this.chat = new CallChat({
      calls: p.calls, log: p.log, notifier: this.notifier, ...(opts.chatLog ? { chatLog: opts.chatLog } : {}),
      myName: () => this.displayName(),
      peerName: () => this.status.peerName || this.status.peerLabel || this.status.peerAddress || 'peer',
      paneVisible: () => this.screen === 'call' && this.layout.chat !== null,
      changed: () => this.refreshSoon(),
    });
    this.lay = new CallLayout({ size: () => views.size, source: p.source, cell: this.cell }, opts.preview);
    this.form = new FormModel({ ...(opts.host !== undefined ? { host: opts.host } : {}), port: opts.port, name: opts.name }, opts.peers);
    this.panes = new VideoPanes({ stream: views.screen.program.output as NodeJS.WriteStream, flushPending: () => views.flush() },
      p.renderer, this.cell, { maxFps: opts.maxFps ?? TUI_DEFAULT_MAX_FPS, maxKbps: opts.maxOutputKbps ?? 0 },
      { kittyFiles: p.kittyFiles ?? null, sixelRegisters: sixelRegisters(p.caps).registers });
    this.prompt = new IncomingPrompt(views, TUI_PROMPT_TIMEOUT_MS);
    this.end = new CallEnd({ showEnded: (state, lines) => this.showEnded(state, lines), backToForm: (m) => this.backToForm(m) }, p.calls, p.log);
    this.panes.onFirstRemotePaint = () => p.log.info(`first remote frame drawn ${Math.round(performance.now())} ms after process start`);
    this.preview = new PreviewLoop(p.source, (f) => this.panes.setFrame('preview', f),
      () => (this.screen === 'call' ? this.lay.previewBox(this.panes.kind) : null), p.log);
    views.screen.on('render', () => this.afterRender());
    views.screen.on('resize', () => this.onResize());
  }

  /** My display name: the start screen's Name field (--name until it is edited; "me" when it is cleared, as the form
   *  says), announced to every peer and shown in chat. */
  displayName(): string {
    return this.form.displayName();
  }

  /** Pixel size of the remote pane as announced to the peer. */
  paneSize(): { width: number; height: number } {
    return this.lay.paneSize(this.panes.kind);
  }

  /** The current layout. */
  protected get layout(): Layout {
    return this.lay.layout;
  }

  /** Stop timers and loops (quitting). */
  stop(): void {
    this.prompt.close();
    this.end.stop();
    this.chat.stop();
    this.preview.stop();
    this.panes.close();
    this.p.log.info(`video output: ${this.panes.summary()}`);
  }

  /** Recompute the layout; move the panes and tell the peer when its pane size changed. */
  protected relayout(eraseOld: boolean): void {
    const before = this.paneSize();
    const old = this.layout;
    const l = this.lay.update();
    this.p.log.info(this.lay.logLine());
    if (this.screen === 'call') {
      if (l.chat) this.chat.seen();
      // text moved (into where video was): erasing old video areas now would blank it; clear and redraw all instead
      const textMoved = !sameRect(old.status, l.status) || !sameRect(old.chat, l.chat) || !sameRect(old.strip, l.strip) || !sameRect(old.help, l.help);
      this.p.views.showCall(this.callScreen());
      this.panes.setRect('remote', l.remote, eraseOld && !textMoved);
      this.panes.setRect('preview', l.preview, eraseOld && !textMoved);
      this.preview.wake();
      if (textMoved && eraseOld) this.p.views.fullRedraw();
    }
    const after = this.paneSize();
    if (after.width !== before.width || after.height !== before.height) this.p.calls.resize(after);
  }

  /** blessed drew; after a full redraw (resize, dialog, screen change) the video is repainted in full. */
  protected afterRender(): void {
    if (!this.p.views.fullRedrawPending) return;
    this.p.views.fullRedrawPending = false;
    this.panes.invalidate();
  }

  /** SIGWINCH: blessed has reallocated (the terminal was cleared); lay out again. */
  protected onResize(): void {
    this.relayout(false);
    if (this.screen === 'form') this.showForm();
    // dialogs are sized from the terminal when shown: show them again at the new size
    this.p.views.reshowDialog();
    this.p.views.render();
  }

  /** The call screen's text state. */
  protected callScreen(): CallScreen {
    const input = this.chat.inputOpen ? this.chat.editor.view(Math.max(1, this.layout.strip.cols - 7), blessedCost) : null;
    return { layout: this.layout, status: this.status, hist: this.hist, chat: this.chat.model, input, note: this.chat.note, flash: this.chat.flash() };
  }

  /** The state when no call is on: listening, or idle. */
  protected restState(): CallState {
    return this.formInfo.listening.startsWith('listening') ? 'listening' : 'idle';
  }

  /** Stops painting video and blanks both panes. */
  protected stopVideo(): void {
    this.panes.setSuspended(true);
    this.panes.clearPane('remote');
    this.panes.clearPane('preview');
  }

  /** The call screen without video, in this state, with a dialog (Enter, Esc or h leaves it for the form, q quits). */
  protected showEnded(state: 'ended' | 'reconnecting', lines: string[]): void {
    this.status.state = state;
    this.stopVideo();
    this.dialog = 'ended';
    this.chat.closeInput();
    this.p.views.showCall(this.callScreen());
    this.p.views.showDialog(lines);
    this.p.views.fullRedraw();
  }

  /** Leave the call screen (its video dropped) for the form. */
  protected backToForm(message: string): void {
    this.end.cancel();
    this.dialog = null;
    this.p.views.hideDialog();
    this.screen = 'form';
    this.stopVideo();
    this.status.state = this.restState();
    this.formInfo.message = message;
    this.form.focus = 'call';
    this.showForm();
    this.p.views.fullRedraw();
  }

  /** Draw the start screen. */
  protected showForm(): void {
    this.formInfo.state = this.status.state;
    this.p.views.showForm(this.form, this.formInfo);
  }

  /** Set the start screen's message line. */
  protected setFormMessage(text: string): void {
    this.formInfo.message = text;
    if (this.screen === 'form') {
      this.showForm();
      this.p.views.render();
    }
  }

  /** Redraw the call screen's text once the keys and events queued now are handled (a paste is one redraw). */
  protected refreshSoon(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      this.refreshStatus();
    });
  }

  /** Redraw the status panel (only blessed's changed cells are written). */
  protected refreshStatus(): void {
    if (this.screen !== 'call') return;
    this.p.views.showCall(this.callScreen());
    this.p.views.render();
  }

  /** After panes moved: blessed draws what changed; sixel images are not reliably erased by ECH, so clear fully. */
  protected redrawAfterMove(wasSixel: boolean): void {
    if (wasSixel || this.panes.kind === 'sixel') this.p.views.fullRedraw();
    else this.p.views.render();
  }
}
