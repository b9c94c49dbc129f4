// Chat without a screen: each line on stdin is sent as a chat message of the current call, each received message is
// printed as `chat NAME: text` (sanitised like the TUI shows it), so a script or a camera box can talk.
import readline from 'node:readline';
import type { CallSide } from '../../calls/call-side.js';
import { chatTooLong, sanitizeChat } from '../../shared/chat-text.js';
import { messageOf } from '../../shared/errors.js';

/** Stops reading stdin (the command is ending). */
export interface HeadlessChat {
  dispose(): void;
}

/** Wire stdin lines to side.sendChat and the side's chat events to out(). */
export function headlessChat(side: CallSide, out: (line: string) => void, input: NodeJS.ReadableStream = process.stdin): HeadlessChat {
  let peer = 'peer';
  side.on('connected', (p) => { peer = p.name || side.label || 'peer'; });
  const onChat = (text: string): void => out(`chat ${sanitizeChat(peer)}: ${sanitizeChat(text)}`);
  side.on('chat', onChat);
  const rl = readline.createInterface({ input, crlfDelay: Infinity, terminal: false });
  rl.on('line', (line) => {
    if (line.trim() === '') return;
    const tooLong = chatTooLong(line);
    if (tooLong) return out(`chat ${tooLong}`);
    try {
      side.sendChat(line);
    } catch (err) {
      out(`chat not sent: ${messageOf(err)}`);
    }
  });
  // stdin may be closed or a file that ends: chat just stops, the call goes on
  rl.on('error', () => undefined);
  return {
    dispose: () => {
      side.off('chat', onChat);
      rl.close();
      if ('pause' in input && typeof input.pause === 'function') input.pause();
      if (input === process.stdin && typeof process.stdin.unref === 'function') process.stdin.unref();
    },
  };
}
