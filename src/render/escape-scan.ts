// A pure scanner for the escapes the pixel decoders care about: cursor moves (CUP, DECSC/DECRC) and string
// escapes (APC, OSC, DCS), each string handed over with the cursor cell it started at.

/** A cursor cell, 0-based. */
export interface ScanCursor {
  readonly col: number;
  readonly row: number;
}

/** The kind of a string escape: APC (ESC _), OSC (ESC ]) or DCS (ESC P). */
export type StringEscape = 'apc' | 'osc' | 'dcs';

/**
 * Walk terminal bytes (latin1 text) and call onString for every complete string escape with its body and the cursor
 * at its start. APC and DCS end at ST; OSC at BEL or ST. An unterminated string ends the scan.
 */
export function scanEscapes(s: string, onString: (kind: StringEscape, body: string, at: ScanCursor) => void): void {
  let cur: ScanCursor = { col: 0, row: 0 };
  let saved = cur;
  let i = 0;
  while (i < s.length) {
    const esc = s.indexOf('\x1b', i);
    if (esc < 0 || esc + 1 >= s.length) return;
    const c = s[esc + 1];
    if (c === '[') {
      let j = esc + 2;
      while (j < s.length && !/[@-~]/.test(s[j] as string)) j++;
      if (s[j] === 'H' || s[j] === 'f') {
        const [r, co] = s.slice(esc + 2, j).split(';').map((v) => Number(v || '1'));
        cur = { row: (r ?? 1) - 1, col: (co ?? 1) - 1 };
      }
      i = j + 1;
    } else if (c === '7') {
      saved = cur;
      i = esc + 2;
    } else if (c === '8') {
      cur = saved;
      i = esc + 2;
    } else if (c === '_' || c === ']' || c === 'P') {
      const st = s.indexOf('\x1b\\', esc + 2);
      const bel = c === ']' ? s.indexOf('\x07', esc + 2) : -1;
      const end = bel >= 0 && (st < 0 || bel < st) ? bel : st;
      if (end < 0) return;
      onString(c === '_' ? 'apc' : c === ']' ? 'osc' : 'dcs', s.slice(esc + 2, end), cur);
      i = end + (s[end] === '\x07' ? 1 : 2);
    } else i = esc + 2;
  }
}
