// Raw sockets for abuse tests: send chosen bytes to a listener and wait for it to hang up.
import net from 'node:net';

/** Connect to 127.0.0.1:port, write bytes (then half-close unless keepOpen), resolve when the listener closes it. */
export function poke(port: number, bytes: Buffer, keepOpen = false, ms = 20_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const got: Buffer[] = [];
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      if (bytes.length) s.write(bytes);
      if (!keepOpen) s.end();
    });
    const t = setTimeout(() => { s.destroy(); reject(new Error('the listener did not close the connection')); }, ms);
    s.on('data', (d: Buffer) => got.push(d));
    s.on('error', () => undefined);
    s.on('close', () => { clearTimeout(t); resolve(Buffer.concat(got)); });
  });
}

/** Open n sockets that connect and say nothing; resolves once all are connected. */
export async function silentSockets(port: number, n: number): Promise<net.Socket[]> {
  const socks = await Promise.all(Array.from({ length: n }, () => new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', (e) => reject(e));
  })));
  // Read (and drop) whatever the listener sends, so its hang-up is seen; never write.
  for (const s of socks) { s.removeAllListeners('error'); s.on('error', () => undefined); s.resume(); }
  return socks;
}

/** A TLS record header announcing a 512-byte ClientHello, followed by only a few bytes of it. */
export const TRUNCATED_CLIENT_HELLO = Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x11, 0x22]);
/** The PAKE magic, then a PAKE frame header announcing 100 bytes and only 3 of them. */
export const TRUNCATED_PAKE_START = Buffer.from([0x54, 0x4d, 0x50, 0x4b, 0x00, 0x64, 0x01, 0x10, 0x07]);
/** A complete TLS record of the handshake type whose body is nonsense. */
export const BOGUS_TLS_RECORD = Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0x00, 0x10]), Buffer.alloc(16, 0xee)]);
/** The termcall preamble, then a HELLO header announcing 100 bytes and only 5 of them. */
export const TRUNCATED_HELLO = Buffer.concat([
  Buffer.from('TMCL'), Buffer.from([0x00, 0x01, 0x00, 0x00]), Buffer.from([0x01, 0x00, 0x00, 0x00, 0x64]), Buffer.from('abcde'),
]);
/** Something that is neither TLS nor termcall. */
export const GARBAGE = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
