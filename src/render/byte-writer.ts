// A growable, reused output buffer for escape sequences: the renderers' hot paths write bytes, never strings.

const ESC = 0x1b;
const LBRACKET = 0x5b;

/** ASCII digits of 0..255, precomputed so colour parameters cost one table lookup. */
const BYTE_DIGITS: Uint8Array[] = Array.from({ length: 256 }, (_, i) => Buffer.from(String(i), 'latin1'));

/** An append-only byte buffer that keeps its storage between frames and grows by doubling when needed. */
export class ByteWriter {
  buf: Buffer;
  len = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialBytes));
  }

  // Forget the contents, keep the storage.
  reset(): void {
    this.len = 0;
  }

  // Make room for n more bytes.
  ensure(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  // Append one byte (caller has ensured room).
  byte(b: number): void {
    this.buf[this.len++] = b;
  }

  // Append bytes (caller has ensured room).
  bytes(src: Uint8Array): void {
    this.buf.set(src, this.len);
    this.len += src.length;
  }

  // Append a byte value 0..255 as decimal digits (caller has ensured room for 3).
  dec8(v: number): void {
    const d = BYTE_DIGITS[v & 255] as Uint8Array;
    this.buf.set(d, this.len);
    this.len += d.length;
  }

  // Append a non-negative integer as decimal digits (caller has ensured room for 10).
  dec(v: number): void {
    if (v < 256) {
      this.dec8(v);
      return;
    }
    let start = this.len;
    let n = Math.floor(v);
    do {
      this.buf[this.len++] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    // reverse the digits just written
    let end = this.len - 1;
    while (start < end) {
      const t = this.buf[start] as number;
      this.buf[start++] = this.buf[end] as number;
      this.buf[end--] = t;
    }
  }

  // Append ESC [ (caller has ensured room).
  csi(): void {
    this.buf[this.len++] = ESC;
    this.buf[this.len++] = LBRACKET;
  }

  // Append CUP, ESC [ row ; col H, for a 0-based cell (caller has ensured room).
  cup(row: number, col: number): void {
    this.csi();
    this.dec(row + 1);
    this.byte(0x3b);
    this.dec(col + 1);
    this.byte(0x48);
  }

  // A copy of the contents, safe to hand to an asynchronous write while this writer is reused.
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.len);
    this.buf.copy(out, 0, 0, this.len);
    return out;
  }
}

/** Number of decimal digits of a non-negative integer. */
export function decLength(v: number): number {
  return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : String(Math.floor(v)).length;
}
