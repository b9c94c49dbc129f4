// A pure iTerm2 inline-image decoder: terminal bytes in (OSC 1337 File=…, CUP), each image's file bytes and where it
// goes out. Decoding the file (JPEG, PNG) to pixels is the caller's (the bench and tests use sharp or decodePng).
import type { KittyPlacement } from './kitty-decode.js';
import { scanEscapes } from './escape-scan.js';

/** One inline image: its file bytes, the cursor cell it was drawn at, and its header fields. */
export interface Iterm2Image {
  readonly data: Uint8Array;
  readonly col: number;
  readonly row: number;
  readonly fields: ReadonlyMap<string, string>;
}

/** Every OSC 1337 File= image in a byte stream, in order, with the cursor cell it started at. */
export function parseIterm2(bytes: Uint8Array): Iterm2Image[] {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const out: Iterm2Image[] = [];
  scanEscapes(s, (kind, body, at) => {
    if (kind !== 'osc') return;
    const m = /^1337;File=([^:]*):(.*)$/s.exec(body);
    if (!m) return;
    const fields = new Map<string, string>();
    for (const kv of (m[1] ?? '').split(';')) {
      const eq = kv.indexOf('=');
      if (eq > 0) fields.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
    out.push({ data: Buffer.from(m[2] ?? '', 'base64'), col: at.col, row: at.row, fields });
  });
  return out;
}

// One iTerm2 width/height field in screen pixels ("N" cells, "Npx", "N%", "auto": 0).
function dim(v: string | undefined, cellPx: number, totalPx: number): number {
  if (!v || v === 'auto') return 0;
  if (v.endsWith('px')) return Number.parseInt(v, 10);
  if (v.endsWith('%')) return (Number.parseInt(v, 10) * totalPx) / 100;
  return Number.parseInt(v, 10) * cellPx;
}

/**
 * Where an image of imgW x imgH is drawn, as a placement for drawPlacement (which stretches over cols x rows cells,
 * or draws 1:1): width/height as the header asks (preserveAspectRatio=0 as sent by termcall).
 */
export function iterm2Placement(img: Iterm2Image, imgW: number, imgH: number, cell: { width: number; height: number },
  screenPx: { width: number; height: number }): { placement: KittyPlacement; width: number; height: number } {
  let w = dim(img.fields.get('width'), cell.width, screenPx.width);
  let h = dim(img.fields.get('height'), cell.height, screenPx.height);
  if (!w && !h) { w = imgW; h = imgH; } else if (!w) w = (imgW * h) / imgH; else if (!h) h = (imgH * w) / imgW;
  const keep = img.fields.get('preserveAspectRatio') !== '0';
  if (keep) {
    const k = Math.min(w / imgW, h / imgH);
    w = imgW * k;
    h = imgH * k;
  }
  return {
    placement: { imageId: 0, col: img.col, row: img.row, offsetX: 0, offsetY: 0, cols: 0, rows: 0 },
    width: Math.round(w), height: Math.round(h),
  };
}
