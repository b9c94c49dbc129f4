// The app: TuiAppCalls (app-calls.ts, itself on TuiAppCore of app-core.ts) with its keys and the start screen's
// dialing — form, prompt, dialogs, chat input, call screen.
import type { KeyPress } from './form-model.js';
import { callKeyAction } from './keys.js';
import { EXIT } from '../shared/exit-codes.js';
import { messageOf } from '../shared/errors.js';
import { HELP_TEXT } from './status.js';
import type { AppParts } from './app-core.js';
import { TuiAppCalls } from './app-calls.js';
import { CodeDialog } from './code-dialog.js';
import { WebrtcStarter } from './webrtc-start.js';
import type { CallCode } from '../transport/signal/call-code.js';

export type { AppParts } from './app-core.js';

export class TuiApp extends TuiAppCalls {
  /** The call-code exchange of WebRTC calls. */
  protected readonly codes: CodeDialog;
  private readonly webrtc: WebrtcStarter;

  constructor(p: AppParts) {
    super(p);
    this.codes = new CodeDialog(p.views);
    this.webrtc = new WebrtcStarter({
      calls: p.calls, log: p.log, codes: this.codes, views: p.views, opts: p.opts,
      calling: (where, text) => {
        this.end.dialedTo = null;
        this.status.state = 'calling';
        this.status.peerName = '';
        this.status.peerAddress = where;
        this.setFormMessage(text);
      },
      message: (text) => {
        this.status.state = this.restState();
        this.setFormMessage(text);
      },
    });
    p.views.screen.on('keypress', (ch: string | undefined, key: KeyPress) => this.onKey(ch, key));
  }

  /** Change the start screen's listening line (a fresh browser join link …). */
  setListening(text: string): void {
    this.formInfo.listening = text;
    if (this.screen === 'form') this.showForm();
    this.p.views.render();
  }

  /** Show the start screen with this listening line, then dial (or start the WebRTC call) at once when asked. */
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
    if (this.p.opts.webrtc) this.webrtc.start(this.p.opts.webrtc);
  }

  /** Dial from the form (or at start). */
  protected placeCall(host: string, port: number, peerName?: string): void {
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
  protected onKey(ch: string | undefined, key: KeyPress): void {
    if (key.full === 'C-c') return this.p.quit(EXIT.INTERRUPTED);
    if (this.prompt.isOpen) {
      const a = this.prompt.answer(key);
      if (a === 'accept') this.p.calls.accept();
      if (a === 'decline') this.p.calls.decline();
      if (a) this.p.views.fullRedraw();
      return;
    }
    if (this.codes.isOpen) return this.webrtc.key(ch, key);
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
    // every key goes to the open chat input: q, h, p … in a message are text, never call keys
    if (this.chat.inputOpen) return this.chat.key(ch, key);
    this.callKey(ch, key);
  }

  /** Keys on the start screen. */
  protected formKey(ch: string | undefined, key: KeyPress): void {
    const a = this.form.key(ch, key);
    if (a.type === 'quit') return this.p.quit(EXIT.OK);
    if (a.type === 'invalid') this.formInfo.message = a.message;
    if (a.type === 'call' || a.type === 'ssh' || a.type === 'offer-code' || a.type === 'answer-code') {
      if (a.name !== this.p.opts.name) this.p.log.info(`display name set to ${a.name}`);
      if (a.type === 'call') this.placeCall(a.host, a.port, a.peerName);
      else if (this.p.calls.busy) this.formInfo.message = 'a call is already being set up';
      else if (a.type === 'ssh') this.webrtc.start({ kind: 'ssh-call', target: a.target, ...(this.p.opts.ssh ?? {}) });
      else if (a.type === 'offer-code') this.webrtc.start({ kind: 'offer-code' });
      else this.answerPasted(a.offer);
    }
    this.showForm();
    this.p.views.render();
  }

  /** A call code pasted on the start screen: answered unless it was answered before (a replay). */
  private answerPasted(offer: CallCode): void {
    try {
      this.p.opts.claimOffer?.(offer);
    } catch (err) {
      this.p.log.warn(`call code refused: ${messageOf(err)}`);
      this.formInfo.message = messageOf(err);
      return;
    }
    this.webrtc.start({ kind: 'answer-code', offer });
  }

  /** Keys in a call. */
  protected callKey(ch: string | undefined, key: KeyPress): void {
    const action = callKeyAction(ch, key);
    switch (action) {
      case 'quit': return this.p.quit(EXIT.OK);
      case 'interrupt': return this.p.quit(EXIT.INTERRUPTED);
      case 'hangup': return this.p.calls.hangup();
      case 'preview':
        this.lay.showPreview = !this.lay.showPreview;
        this.relayout(true);
        this.redrawAfterMove(false);
        return;
      case 'pause':
        this.status.sendPaused = !this.status.sendPaused;
        this.p.calls.setPaused(this.status.sendPaused);
        this.refreshStatus();
        return;
      case 'corner':
        this.lay.nextCorner();
        this.relayout(true);
        this.redrawAfterMove(false);
        return;
      case 'full':
      case 'escape':
        if (action === 'escape' && !this.lay.full) return;
        this.lay.full = !this.lay.full;
        this.relayout(true);
        this.p.views.fullRedraw();
        return;
      case 'chat': return this.chat.openInput();
      case 'chatPane':
        this.lay.chatPane = !this.lay.chatPane;
        this.relayout(true);
        this.redrawAfterMove(false);
        return;
      case 'renderer': return this.cycleRenderer();
      case 'mic':
        this.p.calls.setMicMuted(!this.p.calls.audioState.micMuted);
        return this.refreshStatus();
      case 'speaker':
        this.p.calls.setSpeakerMuted(!this.p.calls.audioState.speakerMuted);
        return this.refreshStatus();
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
  protected cycleRenderer(): void {
    const i = this.renderers.indexOf(this.panes.kind);
    const next = this.renderers[(i + 1) % this.renderers.length] ?? this.panes.kind;
    if (next === this.panes.kind) return;
    this.p.log.info(`renderer ${this.panes.kind} → ${next}`);
    const wasSixel = this.panes.kind === 'sixel';
    this.panes.setRenderer(next);
    this.status.renderer = next;
    this.status.rendererWhy = 'chosen with r';
    this.relayout(true);
    this.p.calls.resize(this.paneSize());
    this.refreshStatus();
    this.redrawAfterMove(wasSixel);
  }
}
