// Wires a tutorial wire (pickle or raw) to a socket: receive frames with receive-side stats, send frames latest-wins.
//
// These formats have no handshake, no ping and no flow control, so a link just decodes what arrives and writes
// what it is given. One link can view, send, or both at once (the two-way tutorial variant).
//
//   const link = await connectTutorial({ host, port, wire: 'pickle' });          // view a tutorial sender
//   link.on('frame', (f) => show(f)).on('stats', (s) => status(s)).on('close', (err) => done(err));
//   const srv = await listenTutorial({ port, wire: 'raw', rawSize });             // accept tutorial peers
//   srv.on('link', (l) => source.onFrame((f) => l.send(f)));                      // serve every tutorial viewer
//   const one = await srv.nextLink();                                              // or take them one at a time

import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { ListenerClosedError, ProtocolError, TermcallError, messageOf } from '../shared/errors.js';
import { nowMs, type Frame } from '../shared/frame.js';
import { TUTORIAL_MAX_PENDING_CONNECTIONS, TUTORIAL_SEND_BACKLOG_FRAMES, TUTORIAL_STATS_INTERVAL_MS } from '../shared/limits.js';
import { connectTcp, listenTcp } from '../transport/connect-tcp.js';
import { PendingSet, type PendingEntry } from '../transport/secure/gate.js';
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

/** Where and how to accept tutorial programs. */
export interface ListenTutorialOptions extends TutorialLinkOptions {
  /** Default '0.0.0.0'. */
  readonly host?: string;
  /** 0 picks a free port (see `port` on the result). */
  readonly port: number;
}

/** Events of a TutorialListener. */
export interface TutorialListenerEvents {
  /** A connection was taken (by nextLink(), or on arrival while someone listens for 'link'). */
  link: [link: TutorialLink];
  error: [err: TermcallError];
}

/** A connection accepted but not yet taken: held unread (paused) until nextLink() takes it. */
interface PendingSocket extends PendingEntry {
  readonly socket: net.Socket;
  /** Removes the listeners the pending state added. */
  readonly release: () => void;
}

/**
 * A listening socket that turns accepted connections into TutorialLinks. A connection is taken at once when a
 * nextLink() is waiting or someone listens for 'link'; otherwise it waits unread, and at most
 * TUTORIAL_MAX_PENDING_CONNECTIONS wait (the oldest is dropped for a new one), so idle peers cost no memory.
 */
export class TutorialListener extends EventEmitter<TutorialListenerEvents> {
  private readonly links = new Set<TutorialLink>();
  private readonly pending = new PendingSet<PendingSocket>(TUTORIAL_MAX_PENDING_CONNECTIONS);
  private readonly waiters: { resolve: (l: TutorialLink) => void; reject: (e: Error) => void }[] = [];
  private closed = false;

  constructor(
    private readonly server: net.Server,
    private readonly opts: TutorialLinkOptions,
  ) {
    super();
    server.on('connection', (socket) => this.onConnection(socket));
  }

  /** The port actually bound. */
  get port(): number {
    const addr = this.server.address();
    return typeof addr === 'object' && addr !== null ? addr.port : 0;
  }

  /** Connections accepted and not yet taken. */
  get pendingConnections(): number {
    return this.pending.size;
  }

  /** Resolves with the next link (the oldest waiting connection first); rejects with ERR_LISTENER_CLOSED once closed. */
  nextLink(): Promise<TutorialLink> {
    if (this.closed) return settledLater(Promise.reject(closedError()));
    const waiting = this.pending.shift();
    if (waiting) {
      waiting.release();
      return Promise.resolve(this.take(waiting.socket));
    }
    return settledLater(new Promise((resolve, reject) => this.waiters.push({ resolve, reject })));
  }

  /** Stops listening, closes every link it accepted and every waiting connection, rejects waiting nextLink() calls. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      const err = closedError();
      for (const w of this.waiters.splice(0)) w.reject(err);
      this.pending.dropAll();
      for (const link of this.links) link.destroy();
    }
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** A connection: hand it to a waiting nextLink() or a 'link' listener, else hold it unread (capped). */
  private onConnection(socket: net.Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const waiter = this.waiters.shift();
    if (waiter || this.listenerCount('link') > 0) {
      const link = this.take(socket);
      waiter?.resolve(link);
      return;
    }
    socket.pause();
    const onError = (): void => undefined;
    const onClose = (): void => this.pending.remove(entry);
    const entry: PendingSocket = {
      socket,
      drop: () => socket.destroy(),
      release: () => {
        socket.off('error', onError);
        socket.off('close', onClose);
      },
    };
    socket.on('error', onError);
    socket.once('close', onClose);
    this.pending.add(entry);
  }

  /** Wraps a connection in a link, starts reading it, and announces it. */
  private take(socket: net.Socket): TutorialLink {
    const link = new TutorialLink(socket, this.opts);
    socket.resume();
    this.links.add(link);
    link.once('close', () => this.links.delete(link));
    this.emit('link', link);
    return link;
  }
}

/** The error nextLink() rejects with once the listener is closed. */
function closedError(): ListenerClosedError {
  return new ListenerClosedError('the tutorial listener was closed before a tutorial program connected');
}

/** Marks a promise's rejection as handled (a caller that stopped waiting must not crash the process); callers still see it. */
function settledLater<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** Listens for tutorial programs (a viewer to serve, or a sender that connects) and returns the listener. */
export async function listenTutorial(opts: ListenTutorialOptions): Promise<TutorialListener> {
  const server = await listenTcp(opts.host ?? '0.0.0.0', opts.port);
  const listener = new TutorialListener(server, opts);
  server.on('error', (err) => {
    if (listener.listenerCount('error') > 0) {
      listener.emit('error', new ProtocolError('ERR_CONNECT_FAILED', `listener: ${err.message}`, { cause: err }));
    }
  });
  return listener;
}
