// The host side of SSH signalling: a running termcall answers offers on a private Unix socket; `termcall
// signal-answer` (what ssh runs) relays its stdin/stdout to it. The socket is the user's own (0700 directory).
import { mkdirSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ProtocolError } from '../../shared/errors.js';
import { formatSignalLine } from './lines.js';
import { serveSignal, type ServeOptions, type ServeResult, type SignalAnswerer } from './serve.js';

/** Signalling sessions served at once, at most; more are told so and closed. */
const MAX_SIGNAL_SESSIONS = 4;

/** $XDG_RUNTIME_DIR/termcall/signal.sock, else /tmp/termcall-UID/signal.sock. */
export function signalSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  const run = env.XDG_RUNTIME_DIR?.startsWith('/') ? join(env.XDG_RUNTIME_DIR, 'termcall') : join('/tmp', `termcall-${process.getuid?.() ?? 'user'}`);
  return join(run, 'signal.sock');
}

/** A listening signal socket. */
export interface SignalSocket {
  readonly path: string;
  /** Each finished session. */
  onSession(fn: (r: ServeResult) => void): void;
  close(): Promise<void>;
}

/** Does something accept connections on this Unix socket? */
function alive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(path, () => { c.destroy(); resolve(true); });
    c.on('error', () => resolve(false));
  });
}

/** Answer offers that arrive on the Unix socket at path (a stale socket file is replaced; a live one is an error). */
export async function listenSignalSocket(path: string, answer: SignalAnswerer, opts: ServeOptions = {}): Promise<SignalSocket> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (await alive(path)) throw new ProtocolError('ERR_SIGNAL', `another termcall already answers calls signalled over ssh (${path})`);
  try { unlinkSync(path); } catch { /* not there */ }
  const listeners: ((r: ServeResult) => void)[] = [];
  const conns = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sock.on('error', () => undefined);
    if (conns.size >= MAX_SIGNAL_SESSIONS) {
      sock.end(formatSignalLine({ type: 'hello' }) + formatSignalLine({ type: 'error', code: 'ERR_SIGNAL', text: 'busy: too many signalling sessions at once' }));
      return;
    }
    conns.add(sock);
    sock.once('close', () => conns.delete(sock));
    void serveSignal(sock, sock, answer, opts).then((r) => { for (const l of listeners) l(r); });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new ProtocolError('ERR_SIGNAL', `cannot listen on ${path}: ${e.message}`, { cause: e })));
    server.listen(path, () => resolve());
  });
  return {
    path,
    onSession: (fn) => { listeners.push(fn); },
    close: () => new Promise((resolve) => {
      for (const c of conns) c.destroy();
      server.close(() => resolve());
    }),
  };
}

/** `termcall signal-answer`: relay stdin/stdout to the local signal socket; when none is there, say so in the protocol. */
export function relaySignal(path: string, input: Readable, output: Writable): Promise<number> {
  return new Promise((resolve) => {
    const sock = net.connect(path);
    sock.once('connect', () => {
      input.pipe(sock);
      sock.pipe(output);
      sock.once('close', () => { input.unpipe(sock); resolve(0); });
    });
    sock.once('error', () => {
      output.write(formatSignalLine({ type: 'hello' }) + formatSignalLine({
        type: 'error', code: 'ERR_SIGNAL', text: 'nobody is waiting for calls here: start termcall answer (it waits for calls signalled over ssh)',
      }));
      resolve(1);
    });
  });
}
