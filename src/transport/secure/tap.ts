// A Duplex over a socket that shows the first bytes received to a callback (so TLS can run above it unchanged).
import { Duplex } from 'node:stream';
import type net from 'node:net';

/** Passes bytes both ways unchanged; onFirstBytes sees the first chunk the peer sent before anything reads it. */
export class TapStream extends Duplex {
  private seen = false;

  constructor(private readonly raw: net.Socket, private readonly onFirstBytes: (chunk: Buffer) => void) {
    super();
    raw.on('data', (chunk: Buffer) => {
      if (!this.seen) {
        this.seen = true;
        this.onFirstBytes(chunk);
      }
      if (!this.destroyed && !this.push(chunk)) raw.pause();
    });
    raw.on('end', () => this.push(null));
    raw.on('error', (err) => this.destroy(err));
    raw.on('close', () => this.destroy());
  }

  // The reader wants more: let the socket flow again.
  override _read(): void {
    this.raw.resume();
  }

  // Write through, honouring the socket's backpressure.
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.raw.write(chunk)) cb();
    else this.raw.once('drain', () => cb());
  }

  // Our side finished writing: half-close the socket.
  override _final(cb: (err?: Error | null) => void): void {
    this.raw.end(() => cb());
  }

  // Torn down: the socket goes too.
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.raw.destroy();
    cb(err);
  }
}
