// The incoming-call prompt: "Incoming call from NAME (address) — accept? [y/n]", declined when not answered in time.
import type { KeyPress } from './form-model.js';
import { tagEscape } from './status.js';

/** The dialog the prompt is shown in. */
export interface PromptView {
  showDialog(lines: readonly string[]): void;
  hideDialog(): void;
}

/** One prompt at a time; answer() or the timeout settles it. */
export class IncomingPrompt {
  private timer: NodeJS.Timeout | null = null;
  private open = false;

  constructor(private readonly view: PromptView, private readonly timeoutMs: number) {}

  /** Is the prompt showing? */
  get isOpen(): boolean {
    return this.open;
  }

  /**
   * Show the prompt; onTimeout runs (once) if nobody answers within the timeout. webrtc: the call came over WebRTC
   * (a browser's link, a call code): encrypted by DTLS even without a passphrase.
   */
  show(name: string, address: string, encrypted: boolean, onTimeout: () => void, webrtc = false): void {
    this.close();
    this.open = true;
    this.view.showDialog([`Incoming call from {bold}${tagEscape(name || '?')}{/bold} (${tagEscape(address)}) — accept? [y/n]`,
      encrypted ? 'encrypted: the caller knows the passphrase'
        : webrtc ? 'encrypted (WebRTC), not authenticated: whoever has the link or code can be the caller'
          : 'not encrypted: anyone on the network path can watch this call']);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.close();
      onTimeout();
    }, this.timeoutMs);
  }

  /** y accepts, n declines, anything else is ignored (null). Closes the prompt on an answer. */
  answer(key: KeyPress): 'accept' | 'decline' | null {
    if (!this.open) return null;
    const a = key.name === 'y' ? 'accept' : key.name === 'n' ? 'decline' : null;
    if (a) this.close();
    return a;
  }

  /** Hide the prompt and stop its timer. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.open) this.view.hideDialog();
    this.open = false;
  }
}
