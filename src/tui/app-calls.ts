// The app's answers to call events: an incoming call (the prompt), ringing, connected (the call screen), frames,
// stats, audio, chat and the end of a call. TuiAppCalls extends TuiAppCore (app-core.ts); TuiApp (tui-app.ts) adds keys.
import type { CloseInfo, PeerInfo } from '../call/session.js';
import { TUI_PROMPT_TIMEOUT_MS } from '../shared/limits.js';
import { sanitizeChat } from '../shared/chat-text.js';
import { applyAudioState, applyPath, applyStats, applyTutorialStats, emptyStatus, endedText } from './status.js';
import { TuiAppCore, type AppParts } from './app-core.js';

export class TuiAppCalls extends TuiAppCore {
  protected incomingCount = 0;
  private remoteSize = { width: 0, height: 0 };

  constructor(p: AppParts) {
    super(p);
    this.wireCalls();
  }

  /** Connect the call events to the screens. */
  protected wireCalls(): void {
    const { calls } = this.p;
    // a peer's name is its own text: sanitised before anything shows it (like its chat messages)
    calls.on('incoming', (peer, address) => this.onIncoming(shown(peer), address));
    calls.on('ringing', (raw, address) => {
      const peer = shown(raw);
      this.status.state = 'ringing';
      this.status.peerName = peer.name;
      this.status.peerAddress = address;
      this.setFormMessage(`ringing ${peer.name || address} at ${address} — waiting for them to accept`);
    });
    calls.on('connected', (peer, address) => this.enterCall(shown(peer), address));
    calls.on('frame', (f) => {
      this.status.framesIn++;
      if (f.width !== this.remoteSize.width || f.height !== this.remoteSize.height) {
        this.remoteSize = { width: f.width, height: f.height };
        this.p.log.info(`remote frame ${f.width}x${f.height} (${this.panes.describe()})`);
      }
      if (this.lay.setRemoteAspect(f.width / Math.max(1, f.height))) {
        this.relayout(true);
        this.redrawAfterMove(false);
      }
      if (this.screen === 'call') this.panes.setFrame('remote', f);
    });
    calls.on('stats', (s) => {
      applyStats(this.status, s);
      this.status.renderer = this.panes.describe();
      this.hist.add(s);
      this.status.skippedDraw = this.panes.stats.skipped;
      this.refreshStatus();
    });
    calls.on('linkStats', (s, fpsOut) => {
      applyTutorialStats(this.status, s, fpsOut);
      this.status.renderer = this.panes.describe();
      this.hist.addTutorial(this.status.fpsIn, this.status.kbpsIn, fpsOut);
      this.status.skippedDraw = this.panes.stats.skipped;
      this.refreshStatus();
    });
    calls.on('audio', (a) => {
      applyAudioState(this.status, a);
      this.refreshStatus();
    });
    calls.on('peerVideo', (paused) => {
      this.status.peerPaused = paused;
      this.refreshStatus();
    });
    calls.on('chat', (text) => {
      if (this.screen === 'call') this.chat.receive(text);
      else this.p.log.warn('a chat message arrived outside a call: dropped');
    });
    calls.on('notice', (text) => this.setFormMessage(text));
    calls.on('ended', (info, was) => this.onEnded(info, was));
  }

  /** An incoming call: ask, and count a timeout as declined. */
  protected onIncoming(peer: PeerInfo, address: string): void {
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
    }, (this.p.calls.path?.kind ?? 'tcp') !== 'tcp');
    this.notifier.notify(`call:${++this.incomingCount}`, 'termcall', `incoming call from ${peer.name || this.p.calls.label || address}`);
    if (this.screen === 'form') this.showForm();
    this.p.views.fullRedraw();
  }

  /** The call is up: switch to the call screen. */
  protected enterCall(peer: PeerInfo, address: string): void {
    this.prompt.close();
    this.end.connected();
    if (this.dialog === 'ended') {
      this.dialog = null;
      this.p.views.hideDialog();
    }
    const why = this.status.rendererWhy;
    Object.assign(this.status, emptyStatus(this.panes.kind, 'connected'), {
      peerName: peer.name, peerAddress: address, peerLabel: this.p.calls.label, encrypted: this.p.calls.encrypted, rendererWhy: why,
    });
    const path = this.p.calls.path;
    if (path) applyPath(this.status, path);
    this.hist.reset();
    this.chat.reset();
    this.lay.full = false;
    this.screen = 'call';
    this.formInfo.message = '';
    this.relayout(true);
    this.p.views.showCall(this.callScreen());
    this.p.views.fullRedraw();
    this.panes.setSuspended(false);
    this.preview.wake();
    this.p.calls.resize(this.paneSize());
  }

  /** The call ended: say why; from the call screen, after a moment, back to the form. */
  protected onEnded(info: CloseInfo, wasConnected: boolean): void {
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
}

// The peer as shown: its name sanitised (no control character or escape sequence reaches the terminal).
function shown(peer: PeerInfo): PeerInfo {
  return { ...peer, name: sanitizeChat(peer.name) };
}
