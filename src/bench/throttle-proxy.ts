// A TCP proxy for tests and the bench: token-bucket rate limit per direction (liftable at run time) and a "stall" that
// stops forwarding without closing anything (a half-open link as the endpoints see it).
import net from 'node:net';

export interface ThrottleProxy {
  readonly port: number;
  /** Limit each direction to kbps kilobits per second; null lifts the limit. */
  setRateKbps(kbps: number | null): void;
  /** Stop forwarding in both directions without closing (true), or resume (false). */
  setStalled(stalled: boolean): void;
  /** Bytes forwarded so far, both directions together. */
  readonly forwardedBytes: number;
  /** Close every connection through the proxy at once, both sides (the proxy keeps listening). */
  cut(): void;
  close(): Promise<void>;
}

/** Bytes a direction may hold before it stops reading its source (like a router queue, then TCP backpressure). */
const QUEUE_LIMIT_BYTES = 32 * 1024;
/** How often the bucket refills. */
const TICK_MS = 5;

/** Start a proxy on 127.0.0.1:0 forwarding to target port. */
export async function startThrottleProxy(targetPort: number, kbps: number | null = null): Promise<ThrottleProxy> {
  let rate = kbps;
  let stalled = false;
  let forwarded = 0;
  const pipes = new Set<() => void>();
  const sockets = new Set<net.Socket>();

  /** Forward from → to through a token bucket. Returns a pump function called on every tick. */
  const pipe = (from: net.Socket, to: net.Socket): (() => void) => {
    const queue: Buffer[] = [];
    let queued = 0;
    let tokens = 0;
    let last = performance.now();
    from.on('data', (c: Buffer) => {
      queue.push(c);
      queued += c.length;
      if (queued > QUEUE_LIMIT_BYTES) from.pause();
      pump();
    });
    from.on('end', () => { if (!stalled) to.end(); });
    const pump = (): void => {
      const now = performance.now();
      if (rate === null) tokens = Infinity;
      else {
        if (!Number.isFinite(tokens)) tokens = 0;
        // Bucket depth: 20 ms worth of bytes, so bursts stay small.
        tokens = Math.min(tokens + ((now - last) * rate * 1000) / 8 / 1000, Math.max(1500, (rate * 1000 / 8) * 0.02));
      }
      last = now;
      if (stalled || to.destroyed) return;
      while (queue.length > 0 && tokens >= 1) {
        const head = queue[0] as Buffer;
        const n = Math.min(head.length, Math.floor(Math.min(tokens, Number.MAX_SAFE_INTEGER)));
        to.write(head.subarray(0, n));
        forwarded += n;
        tokens -= n;
        queued -= n;
        if (n === head.length) queue.shift();
        else queue[0] = head.subarray(n);
      }
      if (queued <= QUEUE_LIMIT_BYTES / 2 && from.isPaused() && !stalled) from.resume();
    };
    return pump;
  };

  const timer = setInterval(() => { for (const p of pipes) p(); }, TICK_MS);
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    const a = pipe(client, upstream);
    const b = pipe(upstream, client);
    pipes.add(a);
    pipes.add(b);
    const done = (): void => {
      pipes.delete(a);
      pipes.delete(b);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', done);
    upstream.on('error', done);
    client.on('close', () => { if (!stalled) done(); });
    upstream.on('close', () => { if (!stalled) done(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? addr.port : 0;
  return {
    port,
    setRateKbps(k) { rate = k; },
    setStalled(s) {
      stalled = s;
      for (const sock of sockets) if (s) sock.pause(); else sock.resume();
    },
    get forwardedBytes() { return forwarded; },
    cut() {
      for (const s of sockets) s.destroy();
      sockets.clear();
      pipes.clear();
    },
    async close() {
      clearInterval(timer);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
