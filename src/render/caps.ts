// Terminal capability detection, pure: environment variables + the terminal's replies in, capabilities out.

import { autoRenderer } from './table.js';
import { cellSize, drawsSextants, iterm2Caps, kittyCaps } from './caps-terminal.js';
import { sixelRegisters } from './sixel.js';
import type { RendererKind } from './types.js';

export { KITTY_FILE_QUERY_ID, KITTY_QUERY_ID } from './caps-terminal.js';
import { MAX_REPORTED_SIXEL_REGISTERS } from '../shared/limits.js';

/** Colour depth in bits, as Node's tty getColorDepth() counts it: 2, 16, 256 or 16 M colours. */
export type ColorDepth = 1 | 4 | 8 | 24;

/** What the terminal answered to the probe, and the window size the tty reports. */
export interface TermReplies {
  /** All reply bytes, in order (any chunking). */
  readonly data?: string;
  /** TIOCGWINSZ: columns, rows and (when the terminal fills them in) pixel size of the text area. */
  readonly winsize?: { readonly cols: number; readonly rows: number; readonly xpixel?: number; readonly ypixel?: number };
}

/** Capabilities found, with the reasons that led to them. */
export interface Caps {
  readonly colorDepth: ColorDepth;
  readonly sixel: boolean;
  /** Does the terminal draw sextants (U+1FB00–U+1FB3B)? Only known terminals (kitty, foot, WezTerm, Ghostty) say yes. */
  readonly sextants: boolean;
  /** Sixel colour registers (XTSMGRAPHICS), or null. */
  readonly sixelColorRegisters: number | null;
  /** Largest sixel graphic (XTSMGRAPHICS), or null. */
  readonly sixelMaxPx: { readonly width: number; readonly height: number } | null;
  /** Pixel size of one cell, or null when unknown. */
  readonly cellPx: { readonly width: number; readonly height: number } | null;
  readonly tmux: boolean;
  /** Synchronized output (mode 2026): true / false from DECRQM, null when the terminal did not say. */
  readonly syncOutput: boolean | null;
  /** Parameters of the DA1 reply, or null when the terminal did not answer. */
  readonly da1: readonly number[] | null;
  /** kitty graphics protocol: the terminal answered the query image with OK. */
  readonly kitty: boolean;
  /** kitty can read files this machine writes (the t=f query answered OK): the terminal is local. */
  readonly kittyLocal: boolean;
  /** iTerm2 inline images (OSC 1337 File=): from TERM_PROGRAM / LC_TERMINAL, else the XTVERSION name. */
  readonly iterm2: boolean;
  /** The terminal's name and version from XTVERSION (CSI > q), or null. */
  readonly terminalName: string | null;
  readonly recommended: RendererKind;
  readonly reasons: readonly string[];
}

/** DA1 reply: CSI ? Ps ; … c (ECMA-48 / VT100 Device Attributes). */
const DA1_RE = /\x1b\[\?([\d;]*)c/;
/** XTSMGRAPHICS reply: CSI ? Pi ; Ps ; Pv… S (item 1: colour registers, 2: sixel geometry; status 0 = ok). */
const XTSMGRAPHICS_RE = /\x1b\[\?(\d+);(\d+)((?:;\d+)*)S/g;
/** DECRQSS reply for SGR: DCS Ps $ r Pt m ST (xterm: "1$r0;38:2::1:2:3m" after SGR 38;2;1;2;3 was set). */
const DECRQSS_SGR_RE = /\x1bP[01]\$r([\d;:]*)m/;
/** The probe's colour 1;2;3 read back in either separator style. */
const TRUECOLOR_ECHO_RE = /38[:;]2[:;]{1,2}1[:;]2[:;]3(?![\d])/;
/** XTVERSION reply: DCS > | name(version) ST. */
const XTVERSION_RE = /\x1bP>\|([^\x1b]*)\x1b\\/;
/** DECRQM reply for mode 2026: CSI ? 2026 ; Pm $ y (1 set, 2 reset, 3 permanently set, 4 permanently reset, 0 unknown). */
const DECRPM_2026_RE = /\x1b\[\?2026;(\d)\$y/;

// True once the replies hold the DA1 answer, the sentinel that ends the probe.
export function repliesComplete(data: string): boolean {
  return DA1_RE.test(data);
}

// Colour depth from the environment, with the semantics of Node's tty WriteStream.getColorDepth(env) on Unix.
export function envColorDepth(env: Readonly<Record<string, string | undefined>>, why: string[] = []): ColorDepth {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    const d: ColorDepth = force === '' || force === '1' || force === 'true' ? 4 : force === '2' ? 8 : force === '3' ? 24 : 1;
    why.push(`FORCE_COLOR=${JSON.stringify(force)} → ${d}-bit colour`);
    return d;
  }
  if (env['NODE_DISABLE_COLORS'] !== undefined || env['NO_COLOR'] !== undefined || env['TERM'] === 'dumb') {
    why.push(env['TERM'] === 'dumb' ? 'TERM=dumb → no colour' : 'NO_COLOR/NODE_DISABLE_COLORS set → no colour');
    return 1;
  }
  if (env['TMUX']) {
    why.push('TMUX set → 24-bit colour (tmux passes truecolor through)');
    return 24;
  }
  const ct = env['COLORTERM'];
  if (ct === 'truecolor' || ct === '24bit') {
    why.push(`COLORTERM=${ct} → 24-bit colour`);
    return 24;
  }
  const term = env['TERM'];
  if (term) {
    const t = term.toLowerCase();
    if (/truecolor|24bit|direct/.test(t) || ['mosh', 'terminator', 'xterm-kitty', 'xterm-ghostty', 'alacritty'].includes(t)) {
      why.push(`TERM=${term} → 24-bit colour`);
      return 24;
    }
    if (/-256(color)?$/.test(t)) {
      why.push(`TERM=${term} → 256 colours`);
      return 8;
    }
    if (/^(xterm|screen|vt100|rxvt|linux|ansi|cygwin|putty|konsole|eterm|gnome|kterm|mlterm|st|tmux)|color/.test(t)) {
      why.push(`TERM=${term} → 16 colours`);
      return 4;
    }
  }
  if (ct !== undefined) {
    why.push(`COLORTERM=${JSON.stringify(ct)} (not truecolor) → 16 colours`);
    return 4;
  }
  why.push(term ? `TERM=${term} not known to have colour → no colour` : 'no TERM → no colour');
  return 1;
}

// Detect capabilities from the environment and the probe's replies (pure).
export function detectCaps(env: Readonly<Record<string, string | undefined>>, replies: TermReplies = {}): Caps {
  const reasons: string[] = [];
  const data = replies.data ?? '';
  let colorDepth = envColorDepth(env, reasons);
  const explicit = env['FORCE_COLOR'] !== undefined || env['NO_COLOR'] !== undefined ||
    env['NODE_DISABLE_COLORS'] !== undefined || env['TERM'] === 'dumb';
  const rqss = DECRQSS_SGR_RE.exec(data);
  if (rqss) {
    const kept = TRUECOLOR_ECHO_RE.test(rqss[1] ?? '');
    if (kept && colorDepth < 24 && !explicit) {
      colorDepth = 24;
      reasons.push('DECRQSS: the terminal kept SGR 38;2;1;2;3 → 24-bit colour (COLORTERM is often not forwarded over ssh)');
    } else if (kept) {
      reasons.push('DECRQSS: the terminal keeps 24-bit SGR colours');
    } else {
      reasons.push('DECRQSS: the terminal did not keep SGR 38;2;1;2;3 → no 24-bit colour upgrade');
    }
  }
  const tmux = Boolean(env['TMUX']) || /^(tmux|screen)/.test(env['TERM'] ?? '');
  if (tmux) reasons.push(env['TMUX'] ? 'TMUX set → inside tmux' : `TERM=${env['TERM']} → inside tmux/screen`);

  const m = DA1_RE.exec(data);
  const da1 = m ? (m[1] ?? '').split(';').filter((s) => s !== '').map(Number) : null;
  if (da1 === null) reasons.push(data ? 'no DA1 reply → terminal features unknown' : 'no replies (no terminal, or it did not answer)');
  let sixel = false;
  if (da1) {
    sixel = da1.slice(1).includes(4);
    reasons.push(`DA1 reply ?${da1.join(';')}c → ${sixel ? 'sixel (attribute 4)' : 'no sixel (no attribute 4)'}`);
  }
  if (sixel && tmux) {
    sixel = false;
    reasons.push('tmux drops sixel (Debian 12 tmux 3.3 has none) → sixel off');
  }

  let sixelColorRegisters: number | null = null;
  let sixelMaxPx: { width: number; height: number } | null = null;
  for (const g of data.matchAll(XTSMGRAPHICS_RE)) {
    const vals = (g[3] ?? '').split(';').filter((s) => s !== '').map(Number);
    if (g[2] !== '0') continue;
    if (g[1] === '1' && vals[0] !== undefined) {
      // a count of 0 (or beyond any terminal's) is garbage, not a terminal without colours
      if (vals[0] >= 1 && vals[0] <= MAX_REPORTED_SIXEL_REGISTERS) sixelColorRegisters = vals[0];
      else reasons.push(`XTSMGRAPHICS → ${vals[0]} colour registers: not a real count, ignored`);
    }
    if (g[1] === '2' && vals[0] !== undefined && vals[1] !== undefined) sixelMaxPx = { width: vals[0], height: vals[1] };
  }
  if (sixelColorRegisters !== null) reasons.push(`XTSMGRAPHICS → ${sixelColorRegisters} colour registers`);
  if (sixel) reasons.push(`sixel palette: ${sixelRegisters({ sixelColorRegisters }).why}`);
  if (sixelMaxPx) reasons.push(`XTSMGRAPHICS → graphics area ${sixelMaxPx.width}x${sixelMaxPx.height} px`);

  const cellPx = cellSize(data, replies.winsize, reasons);

  let syncOutput: boolean | null = null;
  const rpm = DECRPM_2026_RE.exec(data);
  if (rpm) {
    const v = Number(rpm[1]);
    syncOutput = v === 1 || v === 2 || v === 3;
    reasons.push(`DECRQM 2026 → ${syncOutput ? 'synchronized output supported' : 'no synchronized output'} (Pm=${v})`);
  } else if (da1) {
    reasons.push('no DECRQM 2026 reply → synchronized output unknown (the sequences are harmless anyway)');
  }

  const xv = XTVERSION_RE.exec(data);
  const terminalName = xv ? (xv[1] ?? '') : null;
  if (terminalName !== null) reasons.push(`XTVERSION → ${JSON.stringify(terminalName)}`);
  const { kitty, kittyLocal } = kittyCaps(data, tmux, reasons);
  const iterm2 = iterm2Caps(env, terminalName, tmux, reasons);

  const sextants = drawsSextants(env, tmux, reasons);
  const recommended = autoRenderer({ colorDepth, sixel, sextants, kitty, iterm2 });
  reasons.push(`recommended: ${recommended} (the first of kitty > iterm2 > sixel > sextants > symbols > half-blocks > ascii this terminal shows)`);
  return {
    colorDepth, sixel, sextants, sixelColorRegisters, sixelMaxPx, cellPx, tmux, syncOutput, da1, kitty, kittyLocal, iterm2, terminalName,
    recommended, reasons,
  };
}

/** What `--render` accepts. */
export type RenderRequest = 'auto' | RendererKind;

// Pick the renderer: an explicit request wins (with warnings when the terminal seems unable), auto follows caps.
export function chooseRenderer(caps: Caps, requested: RenderRequest = 'auto', maxOutputKbps = 0): { renderer: RendererKind; warnings: string[] } {
  const warnings: string[] = [];
  if (requested === 'auto') return { renderer: maxOutputKbps > 0 ? autoRenderer(caps, maxOutputKbps) : caps.recommended, warnings };
  if (requested === 'kitty' && !caps.kitty) warnings.push('kitty graphics requested but the terminal did not answer the kitty query with OK');
  if (requested === 'iterm2' && !caps.iterm2) warnings.push('iTerm2 images requested but neither TERM_PROGRAM/LC_TERMINAL nor XTVERSION named such a terminal');
  if (requested === 'sixel' && !caps.sixel) {
    warnings.push(caps.tmux ? 'sixel requested inside tmux, which drops sixel' : 'sixel requested but the terminal did not report sixel (DA1 attribute 4)');
  }
  if (requested === 'truecolor' && caps.colorDepth < 24) warnings.push(`truecolor requested; the environment suggests ${caps.colorDepth}-bit colour`);
  if (requested === '256' && caps.colorDepth < 8) warnings.push(`256 colours requested; the environment suggests ${caps.colorDepth}-bit colour`);
  return { renderer: requested, warnings };
}

// Human-readable report of the capabilities and why (for `termcall probe`).
export function formatCaps(caps: Caps): string {
  const lines = [
    `colour depth:        ${caps.colorDepth === 1 ? 'none' : `${caps.colorDepth}-bit`}`,
    `sextants:            ${caps.sextants ? 'yes' : 'no'}`,
    `sixel:               ${caps.sixel ? 'yes' : 'no'}` +
      (caps.sixelColorRegisters !== null ? ` (${caps.sixelColorRegisters} colour registers)` : '') +
      (caps.sixelMaxPx ? ` (max ${caps.sixelMaxPx.width}x${caps.sixelMaxPx.height} px)` : ''),
    `cell size:           ${caps.cellPx ? `${caps.cellPx.width}x${caps.cellPx.height} px` : 'unknown'}`,
    `kitty graphics:      ${caps.kitty ? `yes (${caps.kittyLocal ? 'local: temporary files' : 'remote: inline data'})` : 'no'}`,
    `iTerm2 images:       ${caps.iterm2 ? 'yes' : 'no'}`,
    `terminal:            ${caps.terminalName ?? 'unknown (no XTVERSION reply)'}`,
    `tmux:                ${caps.tmux ? 'yes' : 'no'}`,
    `synchronized output: ${caps.syncOutput === null ? 'unknown' : caps.syncOutput ? 'yes' : 'no'}`,
    `recommended:         ${caps.recommended}`,
    'why:',
    ...caps.reasons.map((r) => `  - ${r}`),
  ];
  return lines.join('\n') + '\n';
}
