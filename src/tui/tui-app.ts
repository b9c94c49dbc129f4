// The app: start screen ↔ call screen, keys, incoming prompt, layout on resize, status updates, preview and video.
import type { FrameSource } from '../shared/frame-source.js';
import type { CloseInfo, PeerInfo } from '../call/session.js';
import type { Caps } from '../render/caps.js';
import type { RendererKind } from '../render/types.js';
import type { KittyFileSink } from '../render/kitty.js';
import { messageOf } from '../shared/errors.js';
import { DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX, TUI_DEFAULT_MAX_FPS, TUI_PROMPT_TIMEOUT_MS } from '../shared/limits.js';
import { CallEnd } from './call-end.js';
import type { CallSide } from '../calls/call-side.js';
import { FormModel, type KeyPress } from './form-model.js';
import { callKeyAction } from './keys.js';
import { EXIT } from '../shared/exit-codes.js';
import { panePixelSize, supportedRenderers } from '../render/table.js';
import { computeLayout, type Layout } from './layout.js';
import type { Logger } from '../shared/log.js';
import type { TuiOptions } from './options.js';
import { PreviewLoop } from './preview.js';
import { IncomingPrompt } from './prompt.js';
import { applyStats, applyTutorialStats, emptyStatus, endedText, HELP_TEXT, type CallState, type StatusModel } from './status.js';
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

export class TuiApp {
  readonly status: StatusModel;
  readonly panes: VideoPanes;
  private readonly form: FormModel;
  private readonly formInfo: FormInfo = { listening: '', message: '' };
  private readonly cell: { width: number; height: number };
  private readonly renderers: RendererKind[];
  private readonly preview: PreviewLoop;
  private readonly prompt: IncomingPrompt;
  private screen: 'form' | 'call' = 'form';
  private dialog: Dialog = null;
  private layout: Layout;
  private showPreview: boolean;
  private remoteAspect = 4 / 3;
  private remoteSize = { width: 0, height: 0 };
  private readonly end: CallEnd;

  constructor(private readonly p: AppParts) {
    const { opts, views, caps } = p;
    this.cell = caps.cellPx ?? { width: DEFAULT_CELL_WIDTH_PX, height: DEFAULT_CELL_HEIGHT_PX };
    this.renderers = supportedRenderers(caps, p.renderer);
    this.status = emptyStatus(p.renderer);
    this.showPreview = opts.preview;
    this.form = new FormModel({ ...(opts.host !== undefined ? { host: opts.host } : {}), port: opts.port, name: opts.name }, opts.peers);
    this.panes = new VideoPanes({ stream: views.screen.program.output as NodeJS.WriteStream, flushPending: () => views.flush() },
      p.renderer, this.cell, { maxFps: opts.maxFps ?? TUI_DEFAULT_MAX_FPS, maxKbps: opts.maxOutputKbps ?? 0 },
      { kittyFiles: p.kittyFiles ?? null });
    this.prompt = new IncomingPrompt(views, TUI_PROMPT_TIMEOUT_MS);
    this.end = new CallEnd({ showEnded: (state, lines) => this.showEnded(state, lines), backToForm: (m) => this.backToForm(m) }, p.calls, p.log);
    this.panes.onFirstRemotePaint = () => p.log.info(`first remote frame drawn ${Math.round(performance.now())} ms after process start`);
    this.layout = this.computeLayout();
    this.preview = new PreviewLoop(p.source, (f) => this.panes.setFrame('preview', f), () => this.previewBox(), p.log);
    views.screen.on('keypress', (ch: string | undefined, key: KeyPress) => this.onKey(ch, key));
    views.screen.on('render', () => this.afterRender());
    views.screen.on('resize', () => this.onResize());
    this.wireCalls();
  }

  /** Pixel size of the remote pane as announced to the peer. */
  paneSize(): { width: number; height: number } {
    return panePixelSize(this.layout.remoteArea, this.panes.kind, this.cell);
  }

  /** Show the start screen with this listening line, then dial at once when asked. */
  start(listening: string, dialNow?: { host: string; port: number }): void {
    this.formInfo.listening = listening;
    if (this.p.opts.warnings?.length) {
      this.formInfo.warning = this.p.opts.warnings.join('; ');
      for (const w of this.p.opts.warnings) this.p.log.warn(w);
    }
    this.status.state = this.restState();
    this.showForm();
    this.p.views.fullRedraw();
    if (dialNow) {
      this.form.values.host = dialNow.host;
      this.form.values.port = String(dialNow.port);
      this.placeCall(dialNow.host, dialNow.port);
    }
  }

  /** Stop timers and loops (quitting). */
  stop(): void {
    this.prompt.close();
    this.end.stop();
    this.preview.stop();
    this.panes.close();
  }

  /** Lay out for the current terminal size, preview state and picture aspects. */
  private computeLayout(): Layout {
    const { cols, rows } = this.p.views.size;
    const info = this.p.source?.info;
    return computeLayout({
      cols, rows, preview: this.showPreview && this.p.source !== null, remoteAspect: this.remoteAspect,
      localAspect: info && info.height > 0 ? info.width / info.height : 4 / 3, cellAspect: this.cell.width / this.cell.height,
    });
  }

  /** The box the preview is pulled at (its pane's pixel size), or null when it is not shown. */
  private previewBox(): { maxWidth: number; maxHeight: number } | null {
    const r = this.layout.preview;
    if (this.screen !== 'call' || !r) return null;
    const px = panePixelSize(r, this.panes.kind, this.cell);
    return { maxWidth: px.width, maxHeight: px.height };
  }

  /** Recompute the layout; move the panes and tell the peer when its pane size changed. */
  private relayout(eraseOld: boolean): void {
    const before = this.paneSize();
    this.layout = this.computeLayout();
    this.p.log.info(`layout ${JSON.stringify({ cols: this.layout.cols, rows: this.layout.rows, remote: this.layout.remote, preview: this.layout.preview, status: this.layout.status })}`);
    if (this.screen === 'call') {
      this.p.views.showCall(this.layout, this.status);
      this.panes.setRect('remote', this.layout.remote, eraseOld);
      this.panes.setRect('preview', this.layout.preview, eraseOld);
      this.preview.wake();
    }
    const after = this.paneSize();
    if (after.width !== before.width || after.height !== before.height) this.p.calls.resize(after);
  }

  /** blessed drew; after a full redraw (resize, dialog, screen change) the video is repainted in full. */
  private afterRender(): void {
    if (!this.p.views.fullRedrawPending) return;
    this.p.views.fullRedrawPending = false;
    this.panes.invalidate();
  }

  /** SIGWINCH: blessed has reallocated (the terminal was cleared); lay out again. */
  private onResize(): void {
    this.relayout(false);
    if (this.screen === 'form') this.showForm();
    this.p.views.render();
  }

  /** Connect the call events to the screens. */
  private wireCalls(): void {
    const { calls } = this.p;
    calls.on('incoming', (peer, address) => this.onIncoming(peer, address));
    calls.on('ringing', (peer, address) => {
      this.status.state = 'ringing';
      this.status.peerName = peer.name;
      this.status.peerAddress = address;
      this.setFormMessage(`ringing ${peer.name || address} at ${address} — waiting for them to accept`);
    });
    calls.on('connected', (peer, address) => this.enterCall(peer, address));
    calls.on('frame', (f) => {
      this.status.framesIn++;
      if (f.width !== this.remoteSize.width || f.height !== this.remoteSize.height) {
        this.remoteSize = { width: f.width, height: f.height };
        this.p.log.info(`remote frame ${f.width}x${f.height} (${this.panes.describe()})`);
      }
      const aspect = f.width / Math.max(1, f.height);
      if (Math.abs(aspect - this.remoteAspect) > 0.01) {
        this.remoteAspect = aspect;
        this.relayout(true);
        this.redrawAfterMove(false);
      }
      if (this.screen === 'call') this.panes.setFrame('remote', f);
    });
    calls.on('stats', (s) => {
      applyStats(this.status, s);
      this.status.renderer = this.panes.describe();
      this.status.skippedDraw = this.panes.stats.skipped;
      this.refreshStatus();
    });
    calls.on('linkStats', (s, fpsOut) => {
      applyTutorialStats(this.status, s, fpsOut);
      this.status.renderer = this.panes.describe();
      this.status.skippedDraw = this.panes.stats.skipped;
      this.refreshStatus();
    });
    calls.on('peerVideo', (paused) => {
      this.status.peerPaused = paused;
      this.refreshStatus();
    });
    calls.on('notice', (text) => this.setFormMessage(text));
    calls.on('ended', (info, was) => this.onEnded(info, was));
  }

  /** An incoming call: ask, and count a timeout as declined. */
  private onIncoming(peer: PeerInfo, address: string): void {
    // The "call ended" dialog shares the dialog box with the prompt: leave it first, or its timer would hide the prompt.
    if (this.dialog === 'ended') this.backToForm(this.end.text);
    this.end.dialedTo = null;
    this.status.state = 'ringing';
    this.status.peerName = peer.name;
    this.status.peerAddress = address;
    this.status.peerLabel = this.p.calls.label;
    this.prompt.show(peer.name || this.p.calls.label, address, this.p.calls.encrypted, () => {
      this.p.log.info('incoming call prompt timed out');
      this.formInfo.message = `missed call from ${peer.name || address} (not answered in ${TUI_PROMPT_TIMEOUT_MS / 1000} s)`;
      this.p.calls.decline();
    });
    if (this.screen === 'form') this.showForm();
    this.p.views.fullRedraw();
  }

  /** The call is up: switch to the call screen. */
  private enterCall(peer: PeerInfo, address: string): void {
    this.prompt.close();
    this.end.connected();
    if (this.dialog === 'ended') {
      this.dialog = null;
      this.p.views.hideDialog();
    }
    Object.assign(this.status, emptyStatus(this.panes.kind, 'connected'), {
      peerName: peer.name, peerAddress: address, peerLabel: this.p.calls.label, encrypted: this.p.calls.encrypted,
    });
    this.screen = 'call';
    this.formInfo.message = '';
    this.relayout(true);
    this.p.views.showCall(this.layout, this.status);
    this.p.views.fullRedraw();
    this.panes.setSuspended(false);
    this.preview.wake();
    this.p.calls.resize(this.paneSize());
  }

  /** The call ended: say why; from the call screen, after a moment, back to the form. */
  private onEnded(info: CloseInfo, wasConnected: boolean): void {
    this.prompt.close();
    const peer = this.status.peerName || this.status.peerLabel || this.status.peerAddress || 'the peer';
    this.p.log.info(`frames received in this call: ${this.status.framesIn}`);
    const why = endedText(info, peer);
    if (wasConnected && this.screen === 'call' && this.end.reconnect(info, why)) return;
    if (this.end.reconnecting) return this.end.sessionEnded(info);
    if (!wasConnected || this.screen !== 'call') {
      this.form.focus = 'call';
      this.status.state = this.restState();
      if (!this.formInfo.message.startsWith('missed')) this.formInfo.message = why;
      if (this.screen === 'form') this.showForm();
      this.p.views.fullRedraw();
      return;
    }
    if (!info.byPeer) return this.backToForm(why);
    this.end.show(why);
  }

  /** The state when no call is on: listening, or idle. */
  private restState(): CallState {
    return this.formInfo.listening.startsWith('listening') ? 'listening' : 'idle';
  }

  /** Stops painting video and blanks both panes. */
  private stopVideo(): void {
    this.panes.setSuspended(true);
    this.panes.clearPane('remote');
    this.panes.clearPane('preview');
  }

  /** The call screen without video, in this state, with a dialog (Enter, Esc or h leaves it for the form, q quits). */
  private showEnded(state: 'ended' | 'reconnecting', lines: string[]): void {
    this.status.state = state;
    this.stopVideo();
    this.dialog = 'ended';
    this.p.views.showCall(this.layout, this.status);
    this.p.views.showDialog(lines);
    this.p.views.fullRedraw();
  }

  /** Leave the call screen (its video dropped) for the form. */
  private backToForm(message: string): void {
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
  private showForm(): void {
    this.formInfo.state = this.status.state;
    this.p.views.showForm(this.form, this.formInfo);
  }

  /** Set the start screen's message line. */
  private setFormMessage(text: string): void {
    this.formInfo.message = text;
    if (this.screen === 'form') {
      this.showForm();
      this.p.views.render();
    }
  }

  /** Redraw the status panel (only blessed's changed cells are written). */
  private refreshStatus(): void {
    if (this.screen !== 'call') return;
    this.p.views.updateStatus(this.layout, this.status);
    this.p.views.render();
  }

  /** Dial from the form (or at start). */
  private placeCall(host: string, port: number, peerName?: string): void {
    if (this.p.calls.busy) return;
    const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.end.dialedTo = { host, port };
    this.status.state = 'calling';
    this.status.peerName = peerName ?? '';
    this.status.peerAddress = where;
    this.setFormMessage(`calling ${where} …`);
    try {
      this.p.opts.onCallPlaced?.({ host, port, ...(peerName ? { name: peerName } : {}) });
    } catch (err) {
      this.p.log.error('onCallPlaced', err);
    }
    this.p.calls.dial(host, port).catch((err: unknown) => {
      this.status.state = this.restState();
      this.p.log.warn(`dial ${where} failed: ${messageOf(err)}`);
      this.setFormMessage(`could not call ${where}: ${messageOf(err)}`);
    });
  }

  /** Every key goes through here. */
  private onKey(ch: string | undefined, key: KeyPress): void {
    if (key.full === 'C-c') return this.p.quit(EXIT.INTERRUPTED);
    if (this.prompt.isOpen) {
      const a = this.prompt.answer(key);
      if (a === 'accept') this.p.calls.accept();
      if (a === 'decline') this.p.calls.decline();
      if (a) this.p.views.fullRedraw();
      return;
    }
    if (this.dialog === 'help') {
      if (key.name === 'return') return;
      this.dialog = null;
      this.p.views.hideDialog();
      this.panes.setSuspended(false);
      this.p.views.fullRedraw();
      return;
    }
    if (this.dialog === 'ended') {
      if (key.name === 'q') return this.p.quit(EXIT.OK);
      if (key.name === 'enter' || key.name === 'escape' || key.name === 'h') this.backToForm(this.end.text);
      return;
    }
    if (this.screen === 'form') return this.formKey(ch, key);
    this.callKey(ch, key);
  }

  /** Keys on the start screen. */
  private formKey(ch: string | undefined, key: KeyPress): void {
    const a = this.form.key(ch, key);
    if (a.type === 'quit') return this.p.quit(EXIT.OK);
    if (a.type === 'invalid') this.formInfo.message = a.message;
    if (a.type === 'call') {
      if (a.name !== this.p.opts.name) this.p.log.info(`display name set to ${a.name}`);
      this.placeCall(a.host, a.port, a.peerName);
    }
    this.showForm();
    this.p.views.render();
  }

  /** Keys in a call. */
  private callKey(ch: string | undefined, key: KeyPress): void {
    switch (callKeyAction(ch, key)) {
      case 'quit': return this.p.quit(EXIT.OK);
      case 'interrupt': return this.p.quit(EXIT.INTERRUPTED);
      case 'hangup': return this.p.calls.hangup();
      case 'preview':
        this.showPreview = !this.showPreview;
        this.relayout(true);
        this.redrawAfterMove(false);
        return;
      case 'pause':
        this.status.sendPaused = !this.status.sendPaused;
        this.p.calls.setPaused(this.status.sendPaused);
        this.refreshStatus();
        return;
      case 'renderer': return this.cycleRenderer();
      case 'help':
        this.dialog = 'help';
        this.panes.setSuspended(true);
        this.p.views.showDialog(HELP_TEXT);
        this.p.views.fullRedraw();
        return;
      case null: return;
    }
  }

  /** r: the next renderer this terminal supports. */
  private cycleRenderer(): void {
    const i = this.renderers.indexOf(this.panes.kind);
    const next = this.renderers[(i + 1) % this.renderers.length] ?? this.panes.kind;
    if (next === this.panes.kind) return;
    this.p.log.info(`renderer ${this.panes.kind} → ${next}`);
    const wasSixel = this.panes.kind === 'sixel';
    this.panes.setRenderer(next);
    this.status.renderer = next;
    this.relayout(true);
    this.p.calls.resize(this.paneSize());
    this.refreshStatus();
    this.redrawAfterMove(wasSixel);
  }

  /** After panes moved: blessed draws what changed; sixel images are not reliably erased by ECH, so clear fully. */
  private redrawAfterMove(wasSixel: boolean): void {
    if (wasSixel || this.panes.kind === 'sixel') this.p.views.fullRedraw();
    else this.p.views.render();
  }
}
