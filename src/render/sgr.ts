// One SGR sequence setting the foreground and/or background colour, shared by the cell renderers (half-blocks and
// sub-cell symbols): 24-bit `38;2;r;g;b`, 256-colour `38;5;n`, or the 16 ANSI colours 30–37/90–97 (40–47/100–107).
import type { ByteWriter } from './byte-writer.js';

/** Colour modes: 24-bit codes (0xRRGGBB), xterm 256-colour indices, ANSI 16-colour indices. */
export const MODE_TC = 0;
export const MODE_256 = 1;
export const MODE_16 = 2;

/** Write CSI [0;] fg ; bg m (a colour code < 0 is left out); `reset` puts SGR 0 first. */
export function writeSgr(w: ByteWriter, mode: number, fg: number, bg: number, reset: boolean): void {
  w.csi();
  let sep = false;
  if (reset) {
    w.byte(0x30);
    sep = true;
  }
  if (fg >= 0) {
    if (sep) w.byte(0x3b);
    writeColour(w, mode, fg, false);
    sep = true;
  }
  if (bg >= 0) {
    if (sep) w.byte(0x3b);
    writeColour(w, mode, bg, true);
  }
  w.byte(0x6d);
}

// The SGR parameters of one colour code in a mode.
function writeColour(w: ByteWriter, mode: number, code: number, isBg: boolean): void {
  if (mode === MODE_TC) {
    w.byte(isBg ? 0x34 : 0x33);
    w.byte(0x38); w.byte(0x3b); w.byte(0x32); w.byte(0x3b);
    w.dec8(code >> 16); w.byte(0x3b); w.dec8((code >> 8) & 255); w.byte(0x3b); w.dec8(code & 255);
  } else if (mode === MODE_256) {
    w.byte(isBg ? 0x34 : 0x33);
    w.byte(0x38); w.byte(0x3b); w.byte(0x35); w.byte(0x3b);
    w.dec8(code);
  } else {
    // 30–37 / 40–47, bright 90–97 / 100–107
    w.dec(code < 8 ? (isBg ? 40 : 30) + code : (isBg ? 100 : 90) + code - 8);
  }
}
