// Keys of the call screen and the renderers r cycles through (pure).
import type { Caps } from '../render/caps.js';
import type { RendererKind } from '../render/types.js';
import type { KeyPress } from './form-model.js';

/** Exit codes runTui resolves with (signals: 128 + number). */
export const EXIT = { ok: 0, failure: 1, sighup: 129, sigint: 130, sigterm: 143 } as const;

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

// The renderers this terminal can show, best first (the current one always included).
export function supportedRenderers(caps: Pick<Caps, 'colorDepth' | 'sixel'>, current: RendererKind): RendererKind[] {
  const list: RendererKind[] = [];
  if (caps.colorDepth >= 24) list.push('truecolor');
  if (caps.colorDepth >= 8) list.push('256');
  if (caps.colorDepth >= 4) list.push('16');
  list.push('ascii');
  if (caps.sixel) list.push('sixel');
  if (!list.includes(current)) list.unshift(current);
  return list;
}
