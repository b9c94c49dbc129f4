// Keys of the call screen (pure); the renderers r cycles through come from src/render/table.ts.
import type { KeyPress } from './form-model.js';


/** What a key does in a call. */
export type CallAction = 'quit' | 'interrupt' | 'hangup' | 'preview' | 'corner' | 'pause' | 'renderer' | 'help' | 'chat' | 'chatPane'
  | 'full' | 'escape' | 'mic' | 'speaker' | null;

// Map a key pressed during a call to its action.
export function callKeyAction(ch: string | undefined, key: KeyPress): CallAction {
  if (key.full === 'C-c') return 'interrupt';
  if (key.ctrl || key.meta) return null;
  if (ch === '?' || key.full === '?' || key.full === 'S-/') return 'help';
  // Enter: blessed reports \r as 'enter' then 'return'; only 'return' opens the input (once per press)
  if (key.name === 'return') return 'chat';
  if (key.name === 'escape') return 'escape';
  if (ch === 'P' || key.full === 'S-p') return 'corner';
  if (ch === 'C' || key.full === 'S-c') return 'chatPane';
  if (ch === 'M' || key.full === 'S-m') return 'speaker';
  switch (key.name) {
    case 'c': return 'chat';
    case 'f': return 'full';
    case 'q': return 'quit';
    case 'h': return 'hangup';
    case 'p': return 'preview';
    case 'v': return 'pause';
    case 'r': return 'renderer';
    case 'm': return 'mic';
    default: return null;
  }
}
