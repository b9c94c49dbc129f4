// Plain TCP for the call and tutorial wires: dial and bind with errors that name host:port.
import net from 'node:net';
import { ProtocolError } from '../shared/errors.js';
import { CONNECT_TIMEOUT_MS } from '../shared/limits.js';

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

/**
 * Bind a TCP server on host:port (port 0: any free port); a bind failure rejects with ERR_CONNECT_FAILED naming
 * host:port. Errors after that are the caller's to handle (attach an 'error' listener at once).
 */
export function listenTcp(host: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new ProtocolError('ERR_CONNECT_FAILED', `cannot listen on ${hostPort(host, port)}: ${err.code ?? err.message}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}
