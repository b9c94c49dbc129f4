// How the TUI starts a WebRTC call through the call side: a call code (show mine, take the pasted answer), an answer
// code (show it; the call connects by itself), or ssh signalling. Browsers joining and ssh-signalled incoming calls
// need no start: they come in like TCP callers (the accept prompt). Codes are also written to a file and the log.
import fs from 'node:fs';
import path from 'node:path';
import type { CallSide } from '../calls/call-side.js';
import { TermcallError, messageOf } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { CallCode } from '../transport/signal/call-code.js';
import type { CodeDialog } from './code-dialog.js';
import type { KeyPress } from './form-model.js';
import type { TuiOptions, WebrtcStart } from './options.js';
import type { Views } from './views.js';

/** What the starter needs from the app. */
export interface StarterHost {
  readonly calls: CallSide;
  readonly log: Logger;
  readonly codes: CodeDialog;
  readonly views: Views;
  readonly opts: TuiOptions;
  /** A call is being placed to where: the state and the start screen's message. */
  calling(where: string, text: string): void;
  /** No call (any more): the start screen's message. */
  message(text: string): void;
}

/** Starts the WebRTC call of a run and handles the code dialog's keys. */
export class WebrtcStarter {
  constructor(private readonly h: StarterHost) {
    h.calls.on('connected', () => this.closeDialog());
    h.calls.on('ended', () => this.closeDialog());
  }

  /** Start what the command line asked for. */
  start(w: WebrtcStart): void {
    if (w.kind === 'offer-code') void this.offer();
    else if (w.kind === 'answer-code') void this.answer(w.offer);
    else if (w.kind === 'ssh-call') this.ssh(w);
  }

  /** A key while the code dialog is open. */
  key(ch: string | undefined, key: KeyPress): void {
    const r = this.h.codes.key(ch, key);
    if (!r) return;
    if (r.type === 'edit') return this.h.views.render();
    const rtc = this.h.calls.webrtc;
    if (r.type === 'cancel' || !rtc) {
      rtc?.cancelOffer();
      rtc?.cancelAnswers();
      this.h.calls.hangup();
      this.closeDialog();
      this.h.log.info('call code cancelled');
      return this.h.message('call code cancelled');
    }
    let connecting: Promise<void>;
    try {
      connecting = rtc.completeCode(r.text);
    } catch (err) {
      // cut, altered, another call's answer: say so and keep the text (a paste in pieces goes on)
      this.h.log.warn(`answer code refused: ${messageOf(err)}`);
      this.h.codes.note(messageOf(err));
      return this.h.views.render();
    }
    this.h.codes.connecting();
    this.h.views.render();
    connecting.catch((err: unknown) => this.failed(err));
  }

  // call --code: make the offer, show the code and the answer field.
  private async offer(): Promise<void> {
    const rtc = this.h.calls.webrtc;
    if (!rtc) return this.h.message('call codes need the termcall wire');
    this.h.calling('call code', 'making a call code …');
    try {
      const code = await rtc.offerCode();
      this.h.codes.showOffer(code, this.save('call-code.txt', code));
      this.h.views.fullRedraw();
    } catch (err) {
      this.h.log.warn(`no call code: ${messageOf(err)}`);
      this.h.message(`could not make a call code: ${messageOf(err)}`);
    }
  }

  // answer CODE: show the answer code; the caller pastes it and the call connects (answering is the consent).
  private async answer(offer: CallCode): Promise<void> {
    const rtc = this.h.calls.webrtc;
    if (!rtc) return this.h.message('call codes need the termcall wire');
    this.h.calling('call code', 'answering the call code …');
    try {
      const { code, connected } = await rtc.answerCode(offer);
      this.h.codes.showAnswer(code, this.save('answer-code.txt', code));
      this.h.views.fullRedraw();
      connected.catch((err: unknown) => this.failed(err));
    } catch (err) {
      this.h.log.warn(`could not answer the call code: ${messageOf(err)}`);
      this.h.message(`could not answer the call code: ${messageOf(err)}`);
    }
  }

  // call ssh://…: the offer and answer go through ssh; it then rings and connects like a TCP call.
  private ssh(w: Extract<WebrtcStart, { kind: 'ssh-call' }>): void {
    const rtc = this.h.calls.webrtc;
    if (!rtc) return this.h.message('ssh calls need the termcall wire');
    const where = `ssh://${w.target.user ? `${w.target.user}@` : ''}${w.target.host}`;
    this.h.calling(where, `calling ${where} — signalling through ssh …`);
    rtc.dialSsh(w.target, { ...(w.sshCommand ? { sshCommand: w.sshCommand } : {}), ...(w.remoteCommand ? { remoteCommand: w.remoteCommand } : {}) })
      .catch((err: unknown) => {
        this.h.log.warn(`ssh call to ${where} failed: ${messageOf(err)}`);
        this.h.message(`could not call ${where}: ${messageOf(err)}`);
      });
  }

  // The call never connected (the link failed, cancelled): back to the start screen with why.
  private failed(err: unknown): void {
    const code = err instanceof TermcallError ? ` [${err.code}]` : '';
    this.h.log.warn(`the WebRTC call did not connect: ${messageOf(err)}${code}`);
    if (!this.h.codes.isOpen) return;
    this.closeDialog();
    this.h.message(`the call did not connect: ${messageOf(err)}`);
  }

  // Write a code to a file (to copy it from there); its path, or null when there is no folder for it (the log has it).
  private save(name: string, code: string): string | null {
    const dir = this.h.opts.codeDir;
    if (!dir) return null;
    const file = path.join(dir, name);
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, `${code}\n`, { mode: 0o600 });
      return file;
    } catch (err) {
      this.h.log.warn(`could not write ${file}: ${messageOf(err)}`);
      return null;
    }
  }

  // Close the code dialog (and redraw what it covered).
  private closeDialog(): void {
    if (!this.h.codes.isOpen) return;
    this.h.codes.close();
    this.h.views.fullRedraw();
  }
}
