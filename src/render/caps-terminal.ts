// Terminal features found from the environment and the probe's replies, one finder each: kitty graphics, iTerm2 inline
// images, sextants drawn by the terminal itself, the cell's pixel size. Pure; caps.ts puts them together.
import type { TermReplies } from './caps.js';

/** Window-op replies: CSI 6 ; h ; w t (cell size, to CSI 16t) and CSI 4 ; h ; w t (text area, to CSI 14t). */
const CELL_RE = /\x1b\[6;(\d+);(\d+)t/;
const AREA_RE = /\x1b\[4;(\d+);(\d+)t/;
/** kitty graphics reply: APC G i=ID[,…] ; OK|ERROR ST (one per query image; errors such as ENOENT:… or EINVAL:…). */
const KITTY_REPLY_RE = /\x1b_G([^;\x1b]*);([^\x1b]*)\x1b\\/g;
/** The probe's kitty query image ids: 31 sent directly (support), 32 as a file path (a terminal on this machine). */
export const KITTY_QUERY_ID = 31;
export const KITTY_FILE_QUERY_ID = 32;
/** TERM_PROGRAM values of terminals that show iTerm2 inline images (as timg checks them). */
const ITERM2_PROGRAMS = ['iTerm.app', 'WezTerm', 'vscode', 'mintty'];
/** XTVERSION names of terminals that show iTerm2 inline images. */
const ITERM2_NAMES_RE = /iTerm2|WezTerm|mintty|vscode/i;

// kitty graphics from the replies to the two query images (a reply means support; OK for the file: it is local).
export function kittyCaps(data: string, tmux: boolean, reasons: string[]): { kitty: boolean; kittyLocal: boolean } {
  const replies = new Map<number, string>();
  for (const m of data.matchAll(KITTY_REPLY_RE)) {
    const id = /(?:^|,)i=(\d+)/.exec(m[1] ?? '');
    if (id && !replies.has(Number(id[1]))) replies.set(Number(id[1]), m[2] ?? '');
  }
  const direct = replies.get(KITTY_QUERY_ID);
  const file = replies.get(KITTY_FILE_QUERY_ID);
  if (direct === undefined) {
    reasons.push(tmux ? 'no kitty graphics reply: inside tmux the protocol needs passthrough and Unicode placeholders → cell renderers'
      : 'no kitty graphics reply → no kitty graphics');
    return { kitty: false, kittyLocal: false };
  }
  if (direct !== 'OK') {
    reasons.push(`kitty graphics query answered with an error (${JSON.stringify(direct.slice(0, 60))}) → no kitty graphics`);
    return { kitty: false, kittyLocal: false };
  }
  if (tmux) {
    reasons.push('kitty graphics answered, but inside tmux images need passthrough and Unicode placeholders → cell renderers');
    return { kitty: false, kittyLocal: false };
  }
  const kittyLocal = file === 'OK';
  reasons.push('kitty graphics query answered OK → kitty graphics protocol');
  reasons.push(kittyLocal ? 'kitty read the probe\'s file (t=f OK) → the terminal is local: frames go as temporary files'
    : `kitty could not read the probe's file (${file === undefined ? 'no reply' : JSON.stringify(file.slice(0, 40))}) → remote (ssh): frames go inline`);
  return { kitty: true, kittyLocal };
}

// iTerm2 inline images as timg finds them: TERM_PROGRAM / LC_TERMINAL, else the XTVERSION name.
export function iterm2Caps(env: Readonly<Record<string, string | undefined>>, name: string | null, tmux: boolean, reasons: string[]): boolean {
  const prog = env['TERM_PROGRAM'];
  let found = '';
  if (prog && ITERM2_PROGRAMS.includes(prog)) found = `TERM_PROGRAM=${prog}`;
  else if (env['LC_TERMINAL'] === 'iTerm2') found = 'LC_TERMINAL=iTerm2';
  else if (name !== null && ITERM2_NAMES_RE.test(name)) found = `XTVERSION ${JSON.stringify(name)}`;
  if (!found) return false;
  if (tmux) {
    reasons.push(`${found}, but inside tmux inline images are dropped → cell renderers`);
    return false;
  }
  reasons.push(`${found} → iTerm2 inline images`);
  return true;
}

// Terminals known to draw sextants themselves (not from a font that may lack them): kitty, foot, WezTerm, Ghostty.
export function drawsSextants(env: Readonly<Record<string, string | undefined>>, tmux: boolean, reasons: string[]): boolean {
  const term = env['TERM'] ?? '';
  const prog = env['TERM_PROGRAM'] ?? '';
  let who = '';
  if (env['KITTY_WINDOW_ID'] || term === 'xterm-kitty') who = 'kitty';
  else if (/^foot/.test(term)) who = 'foot';
  else if (prog === 'WezTerm' || term === 'wezterm') who = 'WezTerm';
  else if (prog === 'ghostty' || term === 'xterm-ghostty') who = 'Ghostty';
  if (who && !tmux) {
    reasons.push(`${who} draws sextants (2x3 symbols) itself → sextants`);
    return true;
  }
  reasons.push(who ? `${who} inside tmux: sextants depend on the outer terminal → quadrants (--render sextants to force)`
    : 'terminal not known to draw sextants → quadrants (2x2 symbols; --render sextants to try)');
  return false;
}

// Cell pixel size: TIOCGWINSZ pixels, else a CSI 16t reply, else a CSI 14t reply divided by the cell grid.
export function cellSize(data: string, ws: TermReplies['winsize'], reasons: string[]): { width: number; height: number } | null {
  if (ws && ws.cols > 0 && ws.rows > 0 && (ws.xpixel ?? 0) > 0 && (ws.ypixel ?? 0) > 0) {
    const c = { width: Math.floor((ws.xpixel as number) / ws.cols), height: Math.floor((ws.ypixel as number) / ws.rows) };
    if (c.width > 0 && c.height > 0) {
      reasons.push(`TIOCGWINSZ ${ws.xpixel}x${ws.ypixel} px / ${ws.cols}x${ws.rows} cells → cell ${c.width}x${c.height} px`);
      return c;
    }
  }
  const c16 = CELL_RE.exec(data);
  if (c16) {
    const c = { width: Number(c16[2]), height: Number(c16[1]) };
    if (c.width > 0 && c.height > 0) {
      reasons.push(`CSI 16t reply → cell ${c.width}x${c.height} px`);
      return c;
    }
  }
  const c14 = AREA_RE.exec(data);
  if (c14 && ws && ws.cols > 0 && ws.rows > 0) {
    const c = { width: Math.floor(Number(c14[2]) / ws.cols), height: Math.floor(Number(c14[1]) / ws.rows) };
    if (c.width > 0 && c.height > 0) {
      reasons.push(`CSI 14t reply ${c14[2]}x${c14[1]} px / ${ws.cols}x${ws.rows} cells → cell ${c.width}x${c.height} px`);
      return c;
    }
  }
  reasons.push('cell pixel size unknown (no TIOCGWINSZ pixels, no CSI 16t/14t reply) → assume 1:2 cells');
  return null;
}
