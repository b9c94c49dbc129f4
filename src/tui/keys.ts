// Keys of the call screen (pure); the renderers r cycles through come from src/render/table.ts.
import type { KeyPress } from './form-model.js';


/** What a key does in a call. */
export type CallAction = 'quit' | 'interrupt' | 'hangup' | 'preview' | 'pause' | 'renderer' | 'help' | null;

// Map a key pressed during a call to its action.
export function callKeyAction(ch: string | undefined, key: KeyPress): CallAction {
  if (key.full === 'C-c') return 'interrupt';
  if (key.ctrl || key.meta) return null;
  if (ch === '?' || key.full === '?' || key.full === 'S-/') return 'help';
  switch (key.name) {
    case 'q': return 'quit';
    case 'h': return 'hangup';
    case 'p': return 'preview';
    case 'v': return 'pause';
    case 'r': return 'renderer';
    default: return null;
  }
}
