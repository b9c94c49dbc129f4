// A recording TCP proxy for tests: forwards 127.0.0.1 connections to a target port and keeps every byte both ways.
import net from 'node:net';

export interface RecordingProxy {
  readonly port: number;
  /** Bytes the caller sent (towards the target), all connections in order. */
  toTarget(): Buffer;
  /** Bytes the target sent back (towards the caller). */
  toCaller(): Buffer;
  close(): Promise<void>;
}

/** Start a proxy on 127.0.0.1:0 in front of 127.0.0.1:targetPort. */
export async function startRecordingProxy(targetPort: number): Promise<RecordingProxy> {
  const up: Buffer[] = [];
  const down: Buffer[] = [];
  const socks = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const target = net.connect({ host: '127.0.0.1', port: targetPort });
    for (const s of [client, target]) {
      socks.add(s);
      s.on('close', () => socks.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (d: Buffer) => { up.push(Buffer.from(d)); target.write(d); });
    target.on('data', (d: Buffer) => { down.push(Buffer.from(d)); client.write(d); });
    client.on('end', () => target.end());
    target.on('end', () => client.end());
    client.on('close', () => target.destroy());
    target.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address() as net.AddressInfo;
  return {
    port: addr.port,
    toTarget: () => Buffer.concat(up),
    toCaller: () => Buffer.concat(down),
    close: () => new Promise((r) => {
      for (const s of socks) s.destroy();
      server.close(() => r());
    }),
  };
}

/**
 * The start of every JPEG OpenCV writes: SOI (FF D8), then the JFIF APP0 segment (FF E0 00 10 "JFIF" 00). The issue's
 * marker is FF D8 FF; the full 11 bytes are matched so that random ciphertext (which holds FF D8 FF about once per
 * 16 MB) cannot fail the test by chance, while a JPEG in the clear always matches.
 */
export const JPEG_SOI = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);

/** How many times needle occurs in hay. */
export function countOf(hay: Buffer, needle: Buffer | string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
  return n;
}
