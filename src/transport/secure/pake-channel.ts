// Carriers for the PAKE's few messages: a byte stream (u16-length framing, unread bytes handed back) or a message port.
import type { Duplex } from 'node:stream';
import { ProtocolError } from '../../shared/errors.js';
import { PAKE_MAX_MESSAGE_BYTES } from '../../shared/limits.js';

/** A reliable, ordered carrier of whole messages for runPake. */
export interface PakeChannel {
  /** Send one message. */
  send(msg: Uint8Array): void;
  /** The next message; rejects with ERR_PEER_CLOSED when the carrier closes, ERR_SECURE_HANDSHAKE on bad framing. */
  receive(): Promise<Uint8Array>;
  /** Stop listening (a stream gets any bytes read past the last message back, for TLS to read). */
  release(): void;
}

/** A message port as node:worker_threads and EventEmitter-style data channels have it. */
export interface EmitterPort {
  postMessage(data: Uint8Array): void;
  on(ev: 'message' | 'close', fn: (data: unknown) => void): unknown;
  off(ev: 'message' | 'close', fn: (data: unknown) => void): unknown;
}
/** A message port as RTCDataChannel and WebSocket have it (send + addEventListener, event.data). */
export interface TargetPort {
  send(data: Uint8Array): void;
  addEventListener(ev: 'message' | 'close', fn: (e: { data?: unknown }) => void): void;
  removeEventListener(ev: 'message' | 'close', fn: (e: { data?: unknown }) => void): void;
}
/** What runPake accepts. */
export type PakeTransport = Duplex | EmitterPort | TargetPort | PakeChannel;

/** Bytes of the length prefix of a framed message on a stream. */
const LEN_BYTES = 2;
/** "TM", the start of the termcall magic, read as a length prefix: a peer that runs the call with no passphrase. */
const TERMCALL_MAGIC_U16 = 0x544d;

/** Queue of received messages and of receive() calls waiting for one; ends with an error. */
class Inbox {
  private readonly msgs: Uint8Array[] = [];
  private readonly waiters: { resolve: (m: Uint8Array) => void; reject: (e: Error) => void }[] = [];
  private error: Error | null = null;

  // A message arrived.
  push(m: Uint8Array): void {
    const w = this.waiters.shift();
    if (w) w.resolve(m);
    else this.msgs.push(m);
  }

  // The carrier ended or broke: every waiting and later receive() rejects.
  fail(e: Error): void {
    this.error ??= e;
    for (const w of this.waiters.splice(0)) w.reject(this.error);
  }

  // The next message.
  next(): Promise<Uint8Array> {
    const m = this.msgs.shift();
    if (m) return Promise.resolve(m);
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}

/** One PAKE message as it goes on a byte stream: u16 big-endian length, then the message. */
export function frameMessage(msg: Uint8Array): Buffer {
  const head = Buffer.alloc(LEN_BYTES);
  head.writeUInt16BE(msg.length);
  return Buffer.concat([head, msg]);
}

/** Frame PAKE messages on a byte stream: u16 big-endian length, then the message. Lengths are checked first. */
export function duplexChannel(stream: Duplex): PakeChannel {
  const inbox = new Inbox();
  let buf: Buffer = Buffer.alloc(0);
  let released = false;
  let stuck = false;
  const onData = (chunk: Buffer): void => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    if (stuck) {
      stream.pause();
      return;
    }
    while (buf.length >= LEN_BYTES) {
      const len = buf.readUInt16BE(0);
      if (len === 0 || len > PAKE_MAX_MESSAGE_BYTES) {
        // Not a PAKE frame: an error for a receive() that waits for one, but the bytes stay (they may be what follows
        // the PAKE, a TLS ClientHello that came in the same chunk as the last message) and go back on release().
        inbox.fail(len === TERMCALL_MAGIC_U16
          ? new ProtocolError('ERR_PEER_HAS_NO_SECRET', 'the peer does not use a passphrase (it started the call in the clear), this side does: set the same --secret on both sides')
          : new ProtocolError('ERR_SECURE_HANDSHAKE', `a key-exchange message of ${len} bytes (at most ${PAKE_MAX_MESSAGE_BYTES})`));
        stuck = true;
        stream.pause();
        return;
      }
      if (buf.length < LEN_BYTES + len) return;
      inbox.push(Uint8Array.from(buf.subarray(LEN_BYTES, LEN_BYTES + len)));
      buf = buf.subarray(LEN_BYTES + len);
    }
  };
  const onEnd = (): void => inbox.fail(new ProtocolError('ERR_PEER_CLOSED', 'the peer closed the connection during the key exchange'));
  const onError = (e: Error): void => inbox.fail(new ProtocolError('ERR_PEER_CLOSED', `the connection broke during the key exchange: ${e.message}`, { cause: e }));
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('close', onEnd);
  stream.on('error', onError);
  stream.resume();
  return {
    send(msg) {
      if (stream.destroyed || stream.writableEnded) return;
      stream.write(frameMessage(msg));
    },
    receive: () => inbox.next(),
    release() {
      if (released) return;
      released = true;
      stream.pause();
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
      if (buf.length && !stream.destroyed) stream.unshift(buf);
      buf = Buffer.alloc(0);
    },
  };
}

/** The bytes of a message event's payload (Uint8Array, ArrayBuffer, Buffer); null for text or anything else. */
function asBytes(d: unknown): Uint8Array | null {
  if (d instanceof Uint8Array) return d;
  if (d instanceof ArrayBuffer) return new Uint8Array(d);
  return null;
}

/** One PAKE message per port message (RTCDataChannel, WebSocket, worker MessagePort, ...). */
export function portChannel(port: EmitterPort | TargetPort): PakeChannel {
  const inbox = new Inbox();
  const take = (d: unknown): void => {
    const b = asBytes(d);
    if (!b || b.length === 0 || b.length > PAKE_MAX_MESSAGE_BYTES) {
      inbox.fail(new ProtocolError('ERR_SECURE_HANDSHAKE', `a key-exchange message that is not 1..${PAKE_MAX_MESSAGE_BYTES} bytes of binary data`));
    } else {
      inbox.push(Uint8Array.from(b));
    }
  };
  const closed = (): void => inbox.fail(new ProtocolError('ERR_PEER_CLOSED', 'the channel closed during the key exchange'));
  if (!('postMessage' in port && 'on' in port)) {
    const onMsg = (e: { data?: unknown }): void => take(e.data);
    port.addEventListener('message', onMsg);
    port.addEventListener('close', closed);
    return {
      send: (m) => port.send(m),
      receive: () => inbox.next(),
      release: () => { port.removeEventListener('message', onMsg); port.removeEventListener('close', closed); },
    };
  }
  const ep = port as EmitterPort;
  ep.on('message', take);
  ep.on('close', closed);
  return {
    send: (m) => ep.postMessage(m),
    receive: () => inbox.next(),
    release: () => { ep.off('message', take); ep.off('close', closed); },
  };
}

/** Pick the carrier for whatever runPake was given. */
export function toChannel(t: PakeTransport): PakeChannel {
  if ('receive' in t && 'release' in t) return t;
  if ('addEventListener' in t || 'postMessage' in t) return portChannel(t as EmitterPort | TargetPort);
  return duplexChannel(t);
}
