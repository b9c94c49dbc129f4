// Turns a shared passphrase into the TLS pre-shared key with scrypt (node:crypto). Construction in docs/security.md.
import { scrypt, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB of memory, ~0.4 s on a 2-core machine). Changing it breaks interop. */
export const SCRYPT_PARAMS = { N: 1 << 17, r: 8, p: 1 } as const;
/** Fixed, public salt: both sides derive the same key with no extra round trip. Versioned with the construction. */
export const SCRYPT_SALT = 'termcall/v1 tls-psk ECDHE-PSK-CHACHA20-POLY1305';
/** Bytes of the derived pre-shared key. */
export const PSK_BYTES = 32;
/** Memory scrypt may use (twice what the parameters need). */
const SCRYPT_MAXMEM_BYTES = 2 * 128 * SCRYPT_PARAMS.N * SCRYPT_PARAMS.r;
/** Derived keys kept for redials (few: one per passphrase in use). */
const CACHE_ENTRIES = 4;

const cache = new Map<string, Promise<Buffer>>();

/** The passphrase as scrypt sees it: Unicode NFC, so the same words typed on another system give the same key. */
export function normalizeSecret(secret: string): string {
  return secret.normalize('NFC');
}

/** Derive the 32-byte PSK from a passphrase (scrypt in the libuv thread pool; cached for redials). */
export function derivePsk(secret: string): Promise<Buffer> {
  const pass = normalizeSecret(secret);
  const hit = cache.get(pass);
  if (hit) {
    cache.delete(pass);
    cache.set(pass, hit);
    return hit;
  }
  const opts: ScryptOptions = { ...SCRYPT_PARAMS, maxmem: SCRYPT_MAXMEM_BYTES };
  const p = new Promise<Buffer>((resolve, reject) => {
    scrypt(pass, SCRYPT_SALT, PSK_BYTES, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
  p.catch(() => cache.delete(pass));
  cache.set(pass, p);
  while (cache.size > CACHE_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return p;
}
