// Crockford base32 (lowercase, no padding): no I, L, O, U, so codes survive being read aloud or retyped.

/** The 32 symbols. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** Symbol → value, with Crockford's forgiving reads (o→0, i/l→1). */
const VALUES: ReadonlyMap<string, number> = new Map([...ALPHABET].map((c, i) => [c, i] as [string, number])
  .concat([['o', 0], ['i', 1], ['l', 1]]));

/** Bytes → lowercase base32 text. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

/** Lowercase base32 text → bytes; null when a character is not in the alphabet or the length cannot be a whole code. */
export function base32Decode(text: string): Buffer | null {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const c of text) {
    const v = VALUES.get(c);
    if (v === undefined) return null;
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
    acc &= (1 << bits) - 1;
  }
  // Leftover bits are padding: fewer than 5 and all zero in a well-formed code.
  if (bits >= 5 || acc !== 0) return null;
  return Buffer.from(out);
}
