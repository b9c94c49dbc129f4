// The call-code exchange of a WebRTC call (`termcall call --code`, `termcall answer CODE`): a dialog showing my code
// to copy (wrapped in whole chunks, also in a file and the log) and, on the calling side, a field to paste the answer
// code into. Pure apart from the view it draws into.
import type { KeyPress } from './form-model.js';
import { LineEditor } from './line-editor.js';
import type { PromptView } from './prompt.js';
import { tagEscape } from './status.js';
import { CODE_ANSWER_ADVICE_S } from '../shared/limits.js';

/** Characters of the code per dialog line (a line that fits an 80-column terminal with the dialog's frame). */
export const CODE_LINE_CHARS = 64;

/** What a key did in the dialog. */
export type CodeKeyResult = { readonly type: 'submit'; readonly text: string } | { readonly type: 'cancel' } | { readonly type: 'edit' } | null;

/** The code cut into lines of CODE_LINE_CHARS (pasting them back with the line breaks works: they are ignored). */
export function codeLines(code: string, per = CODE_LINE_CHARS): string[] {
  const out: string[] = [];
  for (let i = 0; i < code.length; i += per) out.push(code.slice(i, i + per));
  return out;
}

/** One code exchange at a time. */
export class CodeDialog {
  readonly editor = new LineEditor();
  private role: 'offer' | 'answer' | null = null;
  private code = '';
  private file: string | null = null;
  private noteText = '';
  private state: 'waiting' | 'connecting' = 'waiting';

  constructor(private readonly view: PromptView) {}

  /** Is the dialog open (keys go to it)? */
  get isOpen(): boolean {
    return this.role !== null;
  }

  /** Show my offer code and the answer field. */
  showOffer(code: string, file: string | null): void {
    this.open('offer', code, file);
  }

  /** Show my answer code (the caller pastes it); the call connects by itself then. */
  showAnswer(code: string, file: string | null): void {
    this.open('answer', code, file);
  }

  /** A line under the field: why a pasted code was refused, or progress. */
  note(text: string): void {
    this.noteText = text;
    this.draw();
  }

  /** The answer was taken: connecting. */
  connecting(): void {
    this.state = 'connecting';
    this.noteText = '';
    this.draw();
  }

  /** Keys: Enter submits the pasted text, Esc cancels, the rest edit the field (offer side). */
  key(ch: string | undefined, key: KeyPress): CodeKeyResult {
    if (!this.role) return null;
    if (key.full === 'escape') return { type: 'cancel' };
    if (this.role !== 'offer' || this.state !== 'waiting') return null;
    // blessed reports Enter as 'enter' and then 'return': act on 'return' (or a pasted line feed) only, once per press
    if (key.name === 'enter') return null;
    if (key.name === 'return' || key.name === 'linefeed') {
      const text = this.editor.text.replace(/\s+/g, '');
      return text === '' ? null : { type: 'submit', text };
    }
    const r = this.editor.key(ch, key);
    if (r.type !== 'edit') return null;
    this.draw();
    return { type: 'edit' };
  }

  /** Close the dialog (connected, ended, cancelled). */
  close(): void {
    if (!this.role) return;
    this.role = null;
    this.editor.clear();
    this.view.hideDialog();
  }

  // Open for a role and draw.
  private open(role: 'offer' | 'answer', code: string, file: string | null): void {
    this.role = role;
    this.code = code;
    this.file = file;
    this.noteText = '';
    this.state = 'waiting';
    this.editor.clear();
    this.draw();
  }

  // The dialog's lines (blessed tags).
  private draw(): void {
    if (!this.role) return;
    const offer = this.role === 'offer';
    const lines = [
      offer ? '{bold}Your call code{/bold} — send it to the other side (chat, mail, …); they paste it as the host on their start screen, or run: termcall answer CODE'
        : '{bold}Your answer code{/bold} — send it back to the caller, who pastes it into their termcall',
      '',
      ...codeLines(this.code),
      '',
      this.file === null ? '(also in the log)' : `(also in ${tagEscape(this.file)} and the log)`,
      '',
    ];
    if (offer && this.state === 'waiting') {
      const v = this.editor.view(CODE_LINE_CHARS - 2);
      lines.push('Paste their answer code (tca1…) and press Enter:', `> ${tagEscape(v.text)}{inverse} {/inverse}`);
    } else {
      lines.push(offer ? 'answer taken — connecting over WebRTC …'
        : `waiting for the caller to paste it (within ${CODE_ANSWER_ADVICE_S} s) — the call then connects`);
    }
    lines.push(this.noteText ? `{bold}${tagEscape(this.noteText)}{/bold}` : '', 'Esc cancels the call · Ctrl-C quits');
    this.view.showDialog(lines);
  }
}
