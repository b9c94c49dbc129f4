// Helpers for session integration tests: a listener + dialer pair on 127.0.0.1, and waiting for events.
import { dial, listen, type CallListener, type CallOptions } from '../../src/transport/connect.js';
import type { CloseInfo, Session } from '../../src/call/session.js';

/** Wait for one emission of an event (with a generous safety timeout so a broken test cannot hang). */
export function once<T extends unknown[]>(emitter: { once(ev: string, fn: (...a: T) => void): unknown }, ev: string, ms = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for '${ev}'`)), ms);
    emitter.once(ev, (...a: T) => { clearTimeout(t); resolve(a); });
  });
}

/** Wait for a session to close (safety timeout). */
export function closed(s: Session, ms = 20_000): Promise<CloseInfo> {
  return Promise.race([s.closed, new Promise<CloseInfo>((_r, rej) => setTimeout(() => rej(new Error('session did not close')), ms).unref())]);
}

/** Start a listener, then dial it (optionally through port override, e.g. a proxy). Both sessions returned. */
export async function callPair(listenerCall: CallOptions, dialerCall: CallOptions, viaPort?: (port: number) => Promise<number>):
  Promise<{ listener: CallListener; a: Session; b: Session; port: number }> {
  const listener = await listen({ port: 0, host: '127.0.0.1', call: listenerCall });
  const port = listener.address().port;
  const next = listener.nextSession();
  const target = viaPort ? await viaPort(port) : port;
  const b = await dial('127.0.0.1', target, dialerCall);
  const a = await next;
  return { listener, a, b, port };
}

/** Sleep ms. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
