// A small HTTP MJPEG server (multipart/x-mixed-replace, as the Android "IP Webcam" app serves at /video) for tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MjpegServer {
  url: string;
  server: Server;
  /** Frames written so far, over all connections. */
  framesSent(): number;
  close(): Promise<void>;
}

/** Serves `jpegs` in a loop at `fps` on 127.0.0.1 at /video until closed. */
export async function startMjpegServer(jpegs: readonly Uint8Array[], fps = 30): Promise<MjpegServer> {
  const timers = new Set<NodeJS.Timeout>();
  let sent = 0;
  const server = createServer((req, res) => {
    if (req.url !== '/video') { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': 'multipart/x-mixed-replace; boundary=frame', 'Cache-Control': 'no-cache' });
    let i = 0;
    const timer = setInterval(() => {
      const jpeg = jpegs[i++ % jpegs.length]!;
      res.write(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
      res.write(jpeg);
      res.write('\r\n');
      sent++;
    }, 1000 / fps);
    timers.add(timer);
    res.on('close', () => { clearInterval(timer); timers.delete(timer); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/video`,
    server,
    framesSent: () => sent,
    close: () => new Promise<void>((r) => {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
