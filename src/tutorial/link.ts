// Wires a tutorial wire (pickle or raw) to a socket: receive frames with receive-side stats, send frames latest-wins.
//
// These formats have no handshake, no ping and no flow control, so a link just decodes what arrives and writes
// what it is given. One link can view, send, or both at once (the two-way tutorial variant).
//
//   const link = await connectTutorial({ host, port, wire: 'pickle' });          // view a tutorial sender
//   link.on('frame', (f) => show(f)).on('stats', (s) => status(s)).on('close', (err) => done(err));
//   const served = new TutorialLink(acceptedSocket, { wire: 'raw', rawSize });    // or wrap a socket you accepted
//
// Accepting tutorial programs is src/calls/tutorial-calls.ts (TutorialCalls): its own listener, one link at a time,
// a connection held unread until it is accepted, and every other one refused while a link is on.

import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { ProtocolError, TermcallError, messageOf } from '../shared/errors.js';
import { nowMs, type Frame } from '../shared/frame.js';
import { TUTORIAL_SEND_BACKLOG_FRAMES, TUTORIAL_STATS_INTERVAL_MS } from '../shared/limits.js';
import { connectTcp } from '../transport/connect-tcp.js';
import type { BgrImage } from './pickle.js';
import {
  createTutorialDecoder,
  DEFAULT_RAW_SIZE,
  encodeRawFrame,
  encodeTutorialFrame,
  type RawSize,
  type TutorialDecoder,
  type TutorialWire,
} from './wire.js';

/** How a tutorial link talks. */
export interface TutorialLinkOptions {
  readonly wire: TutorialWire;
  /** Raw frame size (raw wire only); default 640x480. */
  readonly rawSize?: RawSize;
  /** How often 'stats' is emitted; default TUTORIAL_STATS_INTERVAL_MS. */
  readonly statsIntervalMs?: number;
}

/** Receive-side numbers for the status panel (these wires carry nothing the sender measured). */
export interface TutorialStats {
  /** "tutorial (pickle)" or "tutorial (raw)". */
  readonly peer: string;
  readonly wire: TutorialWire;
  /** Frames per second received over the last stats interval. */
  readonly fps: number;
  /** Size of the last received frame (0 before the first). */
  readonly width: number;
  readonly height: number;
  /** Bytes the last received frame took on the wire (length prefix included). */
  readonly frameWireBytes: number;
  /** Bytes per second received over the last stats interval. */
  readonly bytesPerSecond: number;
  readonly framesReceived: number;
  readonly bytesReceived: number;
  readonly framesSent: number;
  /** Frames replaced by a newer one while the socket was full (latest-wins). */
  readonly framesDropped: number;
}

/** Events of a TutorialLink. 'error' is emitted only if someone listens; 'close' always carries the reason. */
export interface TutorialLinkEvents {
  frame: [frame: Frame];
  stats: [stats: TutorialStats];
  error: [err: TermcallError];
  close: [err: TermcallError | undefined];
}

/** The label the status panel shows for a tutorial peer. */
export function tutorialPeerLabel(wire: TutorialWire): string {
  return `tutorial (${wire})`;
}

/** A tutorial wire over one socket. */
export class TutorialLink extends EventEmitter<TutorialLinkEvents> {
  readonly wire: TutorialWire;
  readonly rawSize: RawSize;
  readonly peer: string;
  /** Why the link closed, once it has (undefined for a clean end). */
  closeReason: TermcallError | undefined;
  private readonly socket: Duplex;
  private readonly decoder: TutorialDecoder;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private waitingDrain = false;
  private readonly pending: BgrImage[] = [];
  private seq = 0;
  private width = 0;
  private height = 0;
  private frameWireBytes = 0;
  private framesReceived = 0;
  private bytesReceived = 0;
  private framesSent = 0;
  private framesDropped = 0;
  private fps = 0;
  private bytesPerSecond = 0;
  private tickAt = performance.now();
  private tickFrames = 0;
  private tickBytes = 0;

  constructor(socket: Duplex, opts: TutorialLinkOptions) {
    super();
    this.wire = opts.wire;
    this.rawSize = opts.rawSize ?? DEFAULT_RAW_SIZE;
    this.peer = tutorialPeerLabel(opts.wire);
    this.decoder = createTutorialDecoder(opts.wire, this.rawSize);
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('drain', () => this.onDrain());
    socket.on('error', (err) => this.fail(new ProtocolError('ERR_PEER_CLOSED', `tutorial peer: ${messageOf(err)}`, { cause: err })));
    socket.on('close', () => this.onClose());
    this.timer = setInterval(() => this.tick(), opts.statsIntervalMs ?? TUTORIAL_STATS_INTERVAL_MS);
    this.timer.unref();
  }

  /** Sends a frame; if the socket is still busy it waits, replacing any frame already waiting. False if not written now. */
  send(img: BgrImage): boolean {
    if (this.closed) return false;
    if (this.wire === 'raw') encodeRawFrame(img, this.rawSize); // throws now, for the caller, on a wrong size
    if (this.waitingDrain) {
      this.pending.push(img);
      while (this.pending.length > TUTORIAL_SEND_BACKLOG_FRAMES) {
        this.pending.shift();
        this.framesDropped++;
      }
      return false;
    }
    this.write(img);
    return true;
  }

  /** Resolves once everything given to send() has been handed to the OS (or the link closed): for senders that must not drop. */
  flushed(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.closed || (!this.waitingDrain && this.pending.length === 0)) {
          this.socket.off('drain', later);
          this.off('close', check);
          resolve();
        }
      };
      const later = (): void => {
        setImmediate(check);
      };
      this.socket.on('drain', later);
      this.once('close', check);
      check();
    });
  }

  /** Current stats (also emitted as 'stats' every interval). */
  stats(): TutorialStats {
    return {
      peer: this.peer,
      wire: this.wire,
      fps: this.fps,
      width: this.width,
      height: this.height,
      frameWireBytes: this.frameWireBytes,
      bytesPerSecond: this.bytesPerSecond,
      framesReceived: this.framesReceived,
      bytesReceived: this.bytesReceived,
      framesSent: this.framesSent,
      framesDropped: this.framesDropped,
    };
  }

  /** Closes the link: finishes the frame being written, then closes the socket. */
  close(): void {
    if (this.closed) return;
    this.pending.length = 0;
    this.socket.end();
  }

  /** Closes the link at once, dropping anything unsent. */
  destroy(): void {
    this.pending.length = 0;
    this.socket.destroy();
  }

  /** True once the socket has closed. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Encodes and writes one frame. */
  private write(img: BgrImage): void {
    let bytes: Uint8Array;
    try {
      bytes = encodeTutorialFrame(this.wire, img, this.rawSize);
    } catch (err) {
      this.fail(err instanceof TermcallError ? err : new ProtocolError('ERR_BAD_MESSAGE', messageOf(err), { cause: err }));
      return;
    }
    this.framesSent++;
    if (!this.socket.write(bytes)) this.waitingDrain = true;
  }

  /** The socket took what was written: send the waiting frames, if any. */
  private onDrain(): void {
    this.waitingDrain = false;
    while (!this.waitingDrain && !this.closed) {
      const img = this.pending.shift();
      if (img === undefined) break;
      this.write(img);
    }
  }

  /** Decodes a chunk and emits its frames. */
  private onData(chunk: Buffer): void {
    if (this.closed || this.closeReason) return;
    let frames;
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.fail(err instanceof TermcallError ? err : new ProtocolError('ERR_BAD_MESSAGE', messageOf(err), { cause: err }));
      return;
    }
    this.bytesReceived += chunk.length;
    this.tickBytes += chunk.length;
    for (const { image, wireBytes } of frames) {
      this.framesReceived++;
      this.tickFrames++;
      this.width = image.width;
      this.height = image.height;
      this.frameWireBytes = wireBytes;
      this.emit('frame', { data: image.data, width: image.width, height: image.height, captureTs: nowMs(), seq: this.seq++ });
      if (this.closed || this.closeReason) return;
    }
  }

  /** The peer finished sending: fine at a message boundary, an error inside one. */
  private onEnd(): void {
    try {
      this.decoder.end();
    } catch (err) {
      this.fail(err as TermcallError);
    }
  }

  /** Records the first error, reports it and closes the socket. */
  private fail(err: TermcallError): void {
    if (this.closed || this.closeReason) return;
    this.closeReason = err;
    if (this.listenerCount('error') > 0) this.emit('error', err);
    this.socket.destroy();
  }

  /** Computes the per-interval rates and emits 'stats'. */
  private tick(): void {
    const now = performance.now();
    const seconds = (now - this.tickAt) / 1000;
    if (seconds > 0) {
      this.fps = this.tickFrames / seconds;
      this.bytesPerSecond = this.tickBytes / seconds;
    }
    this.tickAt = now;
    this.tickFrames = 0;
    this.tickBytes = 0;
    this.emit('stats', this.stats());
  }

  /** The socket is gone: stop the timer and say why. */
  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.length = 0;
    clearInterval(this.timer);
    this.emit('close', this.closeReason);
  }
}

/** Where and how to connect to a tutorial program. */
export interface ConnectTutorialOptions extends TutorialLinkOptions {
  readonly host: string;
  readonly port: number;
}

/** Connects to a tutorial program (usually its sender, which is the TCP server) and returns the link. */
export async function connectTutorial(opts: ConnectTutorialOptions): Promise<TutorialLink> {
  const socket = await connectTcp(opts.host, opts.port);
  socket.setNoDelay(true);
  return new TutorialLink(socket, opts);
}
