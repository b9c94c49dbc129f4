// TCP helpers: dial a peer or listen for calls, returning Sessions. Errors name host:port.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { ListenerClosedError, ProtocolError } from '../shared/errors.js';
import { connectTcp, hostPort, listenTcp } from './connect-tcp.js';
import { FailureTable, PendingSet, addressKey, type PendingEntry } from './secure/gate.js';
import { serveSecure, type RejectedInfo, type SecureRefusal, type ThrottledInfo } from './secure/listen.js';
import { pakeClient } from './secure/pake-tcp.js';
import { Session, type SessionOptions } from '../call/session.js';

export { connectTcp, hostPort } from './connect-tcp.js';

/** Session options without the role (dial and listen set it), plus the shared passphrase. */
export type CallOptions = Omit<SessionOptions, 'role' | 'label' | 'secure'> & {
  /** Shared passphrase: a PAKE, then TLS-PSK keyed by it; fails unless the peer has the same one ('' counts as none). */
  readonly secret?: string | undefined;
};

/**
 * Dial a peer: resolves with the session as soon as TCP is up (listen for 'ringing'/'connected'/'close').
 * With a secret, first runs the PAKE (CPace) and TLS-PSK keyed by it; rejects with ERR_AUTH_FAILED,
 * ERR_PEER_HAS_NO_SECRET, ERR_VERSION_MISMATCH (a 0.1 listener), ERR_HANDSHAKE_TIMEOUT... before any termcall byte is sent.
 */
export async function dial(host: string, port: number, opts: CallOptions): Promise<Session> {
  const { secret, ...call } = opts;
  const label = hostPort(host, port);
  if (!secret) return new Session(await connectTcp(host, port), { ...call, role: 'dialer', label });
  const tlsSock = await pakeClient(await connectTcp(host, port), secret, label);
  return new Session(tlsSock, { ...call, role: 'dialer', label, secure: true });
}

export interface ListenOptions {
  readonly port: number;
  /** Default 127.0.0.1; "0.0.0.0" or "::" to take calls from elsewhere. */
  readonly host?: string;
  /** Options for each incoming call's session. */
  readonly call: CallOptions;
  /** Calls at the same time; further callers are declined as busy after the handshake. Default 1. */
  readonly maxCalls?: number;
  /** Shared passphrase: only callers with the same one get through (PAKE, then TLS-PSK); plain callers are refused. */
  readonly secret?: string | undefined;
}

export interface ListenerEvents {
  /** A caller connected (handshake not yet done). */
  session: [session: Session];
  /** The server failed (port taken...). */
  error: [err: ProtocolError];
  /** A connection was refused before it became a session (wrong passphrase, plain caller, garbage). */
  rejected: [info: RejectedInfo];
  /** A connection from an address with failed attempts waits before it is served. */
  throttled: [info: ThrottledInfo];
}

/** A listening endpoint that turns each connection into a listener-role Session. */
export class CallListener extends EventEmitter<ListenerEvents> {
  private readonly sessions = new Set<Session>();
  private waiters: { resolve: (s: Session) => void; reject: (e: Error) => void }[] = [];
  private closed = false;
  /** Connections not yet through their handshake (capped; the oldest is dropped for a new one). */
  readonly pending = new PendingSet();
  /** Failed attempts per address (bounded); drives the slowdown. */
  readonly failures = new FailureTable();

  constructor(private readonly server: net.Server, private readonly opts: ListenOptions, private readonly secret: string | null = null) {
    super();
    server.on('connection', (sock) => this.onConnection(sock));
  }

  /** True when callers must prove the passphrase (PAKE, then TLS-PSK). */
  get secure(): boolean {
    return this.secret !== null;
  }

  /** The bound address (port is the real one when 0 was asked). */
  address(): { host: string; port: number } {
    const a = this.server.address();
    if (a && typeof a === 'object') return { host: a.address, port: a.port };
    return { host: this.opts.host ?? '127.0.0.1', port: this.opts.port };
  }

  /** The next session that connects; rejects with ERR_LISTENER_CLOSED when the listener is (or gets) closed. */
  nextSession(): Promise<Session> {
    const p = this.closed
      ? Promise.reject(new ListenerClosedError('the listener was closed'))
      : new Promise<Session>((resolve, reject) => this.waiters.push({ resolve, reject }));
    p.catch(() => undefined); // a caller that stopped waiting (raced it against something else) must not crash the process
    return p;
  }

  /** Stop listening, hang up every call, and reject the nextSession() calls still waiting. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      const err = new ListenerClosedError('the listener was closed before a call came in');
      for (const w of this.waiters.splice(0)) w.reject(err);
    }
    this.pending.dropAll();
    for (const s of this.sessions) s.hangup('listener closing');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A connection: count it as pending, wait out its address's slowdown, then serve it plain or secure. */
  private onConnection(sock: net.Socket): void {
    sock.on('error', () => undefined);
    const ip = sock.remoteAddress ?? '?';
    const conn: Conn = { sock, key: addressKey(ip), label: hostPort(ip, sock.remotePort ?? 0), entry: { drop: () => sock.destroy() } };
    this.pending.add(conn.entry);
    sock.once('close', () => this.pending.remove(conn.entry));
    sock.pause();
    this.admit(conn, false);
  }

  /** Serve the connection now, or after its address's slowdown delay (one attempt per delay per address). */
  private admit(conn: Conn, announced: boolean): void {
    if (conn.sock.destroyed) return;
    const wait = this.failures.takeSlot(conn.key);
    if (wait > 0) {
      if (!announced) this.emit('throttled', { address: conn.label, delayMs: wait, failures: this.failures.failures(conn.key) });
      const onClose = (): void => clearTimeout(t);
      const t = setTimeout(() => {
        conn.sock.off('close', onClose);
        this.admit(conn, true);
      }, wait);
      conn.sock.once('close', onClose);
      return;
    }
    if (this.secret === null) {
      // Bytes may already wait in the paused socket (a held connection): let them flow only after the code awaiting
      // nextSession() has run, so it sees every event of the session, even one that ends at its first byte.
      this.startSession(conn, conn.sock, false);
      setImmediate(() => conn.sock.resume());
      return;
    }
    conn.sock.resume();
    serveSecure(conn.sock, this.secret, `caller ${conn.label}`).then((tlsSock) => {
      this.failures.recordSuccess(conn.key);
      this.startSession(conn, tlsSock, true);
    }, (info: SecureRefusal) => {
      this.pending.remove(conn.entry);
      if (info.failed) this.failures.recordFailure(conn.key);
      this.emit('rejected', { address: conn.label, error: info.error });
    });
  }

  /** Calls past their handshake (ringing or active), except one: half-open connections never make the listener busy. */
  private callsInProgress(except?: Session): number {
    return [...this.sessions].filter((s) => s !== except && (s.state === 'ringing' || s.state === 'active')).length;
  }

  /** Wrap a handshaken stream in a Session; decline it as busy when calls are full. */
  private startSession(conn: Conn, stream: Duplex, secure: boolean): void {
    const maxCalls = this.opts.maxCalls ?? 1;
    const busy = this.callsInProgress() >= maxCalls;
    const { secret: _secret, ...call } = this.opts.call;
    const session = new Session(stream, { ...call, role: 'listener', label: conn.label, secure, ...(busy ? { autoAccept: false } : {}) });
    session.once('handshake', () => {
      this.pending.remove(conn.entry);
      // A termcall HELLO on a plain listener (nothing to guess there) forgets the address's garbage, like a
      // successful encrypted handshake does on a secure one.
      if (!secure) this.failures.recordSuccess(conn.key);
      // Another caller finished its handshake first: this one is busy after all.
      if (!busy && this.callsInProgress(session) >= maxCalls) session.decline('busy');
    });
    session.once('close', (info) => {
      this.pending.remove(conn.entry);
      if (info.error && BAD_HANDSHAKE.has(info.error.code) && !session.peer) this.failures.recordFailure(conn.key);
    });
    if (busy) {
      session.once('incoming', () => session.decline('busy'));
      return;
    }
    this.sessions.add(session);
    session.once('close', () => this.sessions.delete(session));
    this.emit('session', session);
    this.waiters.shift()?.resolve(session);
  }
}

/** A connection being admitted: its socket, address key (for the slowdown), label and pending-set entry. */
interface Conn { readonly sock: net.Socket; readonly key: string; readonly label: string; readonly entry: PendingEntry }

/** Errors before a plain HELLO that count as failed attempts (garbage, not timeouts or hang-ups). */
const BAD_HANDSHAKE: ReadonlySet<string> = new Set([
  'ERR_BAD_MAGIC', 'ERR_BAD_MESSAGE', 'ERR_UNKNOWN_MESSAGE', 'ERR_MESSAGE_TOO_LARGE', 'ERR_UNEXPECTED_MESSAGE',
]);

/**
 * Listen for calls on host:port (port 0: any free port). Rejects with a ProtocolError naming host:port.
 * With a secret only callers that prove the same passphrase (PAKE per connection) get in.
 */
export async function listen(opts: ListenOptions): Promise<CallListener> {
  const secret = opts.secret || opts.call.secret;

  const host = opts.host ?? '127.0.0.1';
  const server = await listenTcp(host, opts.port);
  const l = new CallListener(server, opts, secret || null);
  // Reported only to whoever listens for it: an unobserved 'error' event must not crash the process.
  server.on('error', (err) => {
    if (l.listenerCount('error') > 0) {
      l.emit('error', new ProtocolError('ERR_CONNECT_FAILED', `listener on ${hostPort(host, opts.port)}: ${err.message}`, { cause: err }));
    }
  });
  return l;
}
