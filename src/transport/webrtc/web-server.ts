// `termcall listen --web`: a small HTTP server whose one-time links let a browser join a call. GET /join/TOKEN is
// the page; POST /join/TOKEN carries the browser's SDP offer and gets the answer. Each token works once; a wrong or
// used token gets 403. Serve it on 127.0.0.1 (or behind a TLS reverse proxy): browsers give camera access only
// to localhost and https pages.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Session } from '../../call/session.js';
import { PROTOCOL_VERSION } from '../../shared/limits.js';
import { messageOf } from '../../shared/errors.js';
import { answerBrowser, type WebrtcCallOptions } from './call.js';
import { joinPage } from './web-page.js';

/** Longest hold of the load event (?hold=N), seconds. */
const MAX_HOLD_S = 30;
/** A transparent 1x1 GIF. */
const GIF_1PX = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
/** Longest SDP offer a browser may post. */
const MAX_OFFER_BYTES = 16 * 1024;

export interface WebListener {
  /** A fresh one-time link (path with its token). */
  newLink(): string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serve join links on host:port; each browser that joins becomes a listener-role session handed to onSession. */
export async function listenWeb(host: string, port: number, opts: WebrtcCallOptions, onSession: (s: Session) => void,
  onError: (what: string) => void): Promise<WebListener> {
  const fresh = new Set<string>();
  const issued = new Set<string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // /hold/TOKEN?s=N answers after N s (at most MAX_HOLD_S): a page opened with ?hold=N delays its load event
    // by it, so a headless browser's --screenshot shows the call running (tests, docs).
    const h = /^\/hold\/([A-Za-z0-9_-]{16,64})$/.exec(url.pathname);
    if (h && h[1] && issued.has(h[1])) {
      const secs = Math.min(MAX_HOLD_S, Math.max(0, Number(url.searchParams.get('s')) || 0));
      setTimeout(() => res.writeHead(200, { 'content-type': 'image/gif' }).end(GIF_1PX), secs * 1000).unref();
      return;
    }
    const m = /^\/join\/([A-Za-z0-9_-]{16,64})$/.exec(url.pathname);
    const refuse = (code: number, why: string): void => { res.writeHead(code, { 'content-type': 'text/plain' }).end(why); };
    if (!m || !m[1]) return refuse(404, 'not found');
    const token = m[1];
    if (req.method === 'GET') {
      if (!fresh.has(token)) return refuse(403, 'this link is not valid (wrong or already used)');
      const hold = Math.min(MAX_HOLD_S, Number(url.searchParams.get('hold')) || 0);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(joinPage(token, PROTOCOL_VERSION, hold));
      return;
    }
    if (req.method !== 'POST') return refuse(405, 'method not allowed');
    if (!fresh.delete(token)) return refuse(403, 'this link is not valid (wrong or already used)');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_OFFER_BYTES) { refuse(413, 'offer too large'); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_OFFER_BYTES) return;
      answerBrowser(Buffer.concat(chunks).toString('utf8'), opts).then((a) => {
        res.writeHead(200, { 'content-type': 'application/sdp' }).end(a.sdp);
        a.session.then(onSession, (err: unknown) => onError(`a browser did not connect: ${messageOf(err)}`));
      }, (err: unknown) => {
        refuse(400, messageOf(err));
        onError(`refused a browser's offer: ${messageOf(err)}`);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : port,
    newLink() {
      const t = randomBytes(18).toString('base64url');
      fresh.add(t);
      issued.add(t);
      return `/join/${t}`;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
