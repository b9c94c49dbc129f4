// TCP helpers: dial a peer or listen for calls, returning Sessions. Errors name host:port.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { ProtocolError } from '../shared/errors.js';
import { CONNECT_TIMEOUT_MS } from '../shared/limits.js';
import { Session, type SessionOptions } from './session.js';

/** Session options without the role (dial and listen set it). */
export type CallOptions = Omit<SessionOptions, 'role' | 'label'>;

/** Format host:port, with brackets for IPv6. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Connect a TCP socket; refused/unreachable/timeout become ProtocolErrors naming host:port. */
export function connectTcp(host: string, port: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<net.Socket> {
  const where = hostPort(host, port);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new ProtocolError('ERR_CONNECT_FAILED', `could not reach ${where} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      sock.destroy();
      if (err.code === 'ECONNREFUSED') reject(new ProtocolError('ERR_CONNECT_REFUSED', `nothing is listening at ${where} (connection refused)`, { cause: err }));
      else reject(new ProtocolError('ERR_CONNECT_FAILED', `could not connect to ${where}: ${err.code ?? err.message}`, { cause: err }));
    });
  });
}

/** Dial a peer: resolves with the session as soon as TCP is up (listen for 'ringing'/'connected'/'close'). */
export async function dial(host: string, port: number, opts: CallOptions): Promise<Session> {
  const sock = await connectTcp(host, port);
  return new Session(sock, { ...opts, role: 'dialer', label: hostPort(host, port) });
}

export interface ListenOptions {
  readonly port: number;
  /** Default 127.0.0.1; "0.0.0.0" or "::" to take calls from elsewhere. */
  readonly host?: string;
  /** Options for each incoming call's session. */
  readonly call: CallOptions;
  /** Calls at the same time; further callers are declined as busy after the handshake. Default 1. */
  readonly maxCalls?: number;
}

export interface ListenerEvents {
  /** A caller connected (handshake not yet done). */
  session: [session: Session];
  /** The server failed (port taken...). */
  error: [err: ProtocolError];
}

/** A listening endpoint that turns each connection into a listener-role Session. */
export class CallListener extends EventEmitter<ListenerEvents> {
  private readonly sessions = new Set<Session>();
  private waiters: ((s: Session) => void)[] = [];

  constructor(private readonly server: net.Server, private readonly opts: ListenOptions) {
    super();
    server.on('connection', (sock) => this.onConnection(sock));
  }

  /** The bound address (port is the real one when 0 was asked). */
  address(): { host: string; port: number } {
    const a = this.server.address();
    if (a && typeof a === 'object') return { host: a.address, port: a.port };
    return { host: this.opts.host ?? '127.0.0.1', port: this.opts.port };
  }

  /** The next session that connects. */
  nextSession(): Promise<Session> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stop listening and hang up every call. */
  async close(): Promise<void> {
    for (const s of this.sessions) s.hangup('listener closing');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Wrap a new connection in a Session; decline it as busy when calls are full. */
  private onConnection(sock: net.Socket): void {
    const busy = [...this.sessions].filter((s) => s.state !== 'closed').length >= (this.opts.maxCalls ?? 1);
    const label = hostPort(sock.remoteAddress ?? '?', sock.remotePort ?? 0);
    const session = new Session(sock, { ...this.opts.call, role: 'listener', label, ...(busy ? { autoAccept: false } : {}) });
    if (busy) {
      session.once('incoming', () => session.decline('busy'));
      return;
    }
    this.sessions.add(session);
    session.once('close', () => this.sessions.delete(session));
    this.emit('session', session);
    this.waiters.shift()?.(session);
  }
}

/** Listen for calls on host:port (port 0: any free port). Rejects with a ProtocolError naming host:port. */
export function listen(opts: ListenOptions): Promise<CallListener> {
  const host = opts.host ?? '127.0.0.1';
  const where = hostPort(host, opts.port);
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new ProtocolError('ERR_CONNECT_FAILED', `cannot listen on ${where}: ${err.code ?? err.message}`, { cause: err }));
    });
    server.listen(opts.port, host, () => {
      server.removeAllListeners('error');
      const l = new CallListener(server, opts);
      // Reported only to whoever listens for it: an unobserved 'error' event must not crash the process.
      server.on('error', (err) => {
        if (l.listenerCount('error') > 0) l.emit('error', new ProtocolError('ERR_CONNECT_FAILED', `listener on ${where}: ${err.message}`, { cause: err }));
      });
      resolve(l);
    });
  });
}
