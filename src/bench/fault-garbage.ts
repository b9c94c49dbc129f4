// The garbage a fault run sends to a listener instead of a termcall handshake, and a raw socket that sends it and
// times how long the listener takes to drop the connection.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { encodeMessage, encodePreamble } from '../protocol/codec.js';
import { MAGIC } from '../protocol/messages.js';

/** One kind of garbage: a name for the report and the bytes (then the socket stays open, sending nothing more). */
export interface Garbage { readonly name: string; readonly bytes: Buffer }

/** Random bytes that start with neither the termcall magic nor a TLS record byte. */
function noise(n: number): Buffer {
  const b = randomBytes(n);
  if (b[0] === MAGIC[0] || b[0] === 0x16) b[0] = 0x00;
  return b;
}

/** The variants, cycled through by a fault run (the i-th garbage fault sends variant i mod length). */
export function garbageVariant(i: number): Garbage {
  const hello = encodeMessage({ type: 'hello', name: 'x', renderer: '', features: 0, paneWidth: 160, paneHeight: 120 });
  const huge = Buffer.from([hello[0] ?? 1, 0xff, 0xff, 0xff, 0xf0]);
  const variants: (() => Garbage)[] = [
    () => ({ name: 'random bytes', bytes: noise(64 + ((i * 977) % 4000)) }),
    () => ({ name: 'an HTTP request', bytes: Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n') }),
    () => ({ name: 'preamble + a 4 GB message header', bytes: Buffer.concat([encodePreamble(), huge]) }),
    () => ({ name: 'preamble + random bytes', bytes: Buffer.concat([encodePreamble(), noise(512)]) }),
    () => ({ name: 'a TLS record to a plain listener', bytes: Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0x40]), randomBytes(64)]) }),
    () => ({ name: 'a preamble of another version', bytes: Buffer.concat([encodePreamble(0xfffe), hello]) }),
    () => ({ name: 'three bytes of the magic, then silence', bytes: Buffer.from(MAGIC.subarray(0, 3)) }),
  ];
  return (variants[i % variants.length] as () => Garbage)();
}

/** The number of garbage variants. */
export const GARBAGE_VARIANTS = 7;

/** Connect to 127.0.0.1:port, send the bytes, and resolve with ms until the listener closed it (null: not within boundMs). */
export function sendGarbage(port: number, bytes: Buffer, boundMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    let sentAt = 0;
    const sock = net.connect({ host: '127.0.0.1', port }, () => {
      sentAt = performance.now();
      sock.write(bytes);
    });
    // Read (and ignore) what the listener says, so its writes never block.
    sock.on('data', () => undefined);
    sock.on('error', () => undefined);
    const timer = setTimeout(() => { sock.destroy(); resolve(null); }, boundMs);
    sock.once('close', () => {
      clearTimeout(timer);
      resolve(sentAt ? performance.now() - sentAt : null);
    });
  });
}
