// `termcall listen --web [PORT]`: headless, prints one-time join links; each browser that opens one joins the call
// (over WebRTC, the same termcall protocol on a data channel). Accepting is --auto-accept here (the TUI prompt is
// not wired to web calls yet). Stats lines on stderr; a stop signal ends it.
import { media } from '../../media/media.js';
import { formatStatsLine, statsToJson } from '../../call/stats.js';
import fs from 'node:fs';
import { UsageError } from '../../shared/errors.js';
import { DEFAULT_PANE_HEIGHT_PX, DEFAULT_PANE_WIDTH_PX } from '../../shared/limits.js';
import { listenWeb } from '../../transport/webrtc/web-server.js';
import { EXIT } from '../exit-codes.js';
import { defaultName, type CallArgs } from '../options.js';
import type { Config } from '../config.js';
import { watchStopSignals } from '../stop-signals.js';

/** Default port of the join page. */
const DEFAULT_WEB_PORT = 8080;

/** The port of --web [PORT] (empty: the default); UsageError when it is not a port. */
export function webPort(web: string | undefined): number {
  const port = !web ? DEFAULT_WEB_PORT : Number(web);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('ERR_USAGE', `--web ${web ?? ''}: not a port`);
  return port;
}

/** Serve join links until a stop signal. */
export async function runWebListen(a: CallArgs, cfg: Config, web: string): Promise<number> {
  if (!a.autoAccept) throw new UsageError('ERR_USAGE', 'listen --web takes calls with --auto-accept only (whoever has a link joins)');
  const port = webPort(web);
  const say = (s: string): void => void process.stderr.write(s + '\n');
  const m = media();
  const signals = watchStopSignals();
  const source = await m.openSourceOrDefault(a.source, { fps: a.fps });
  const stats = a.statsFile ? fs.createWriteStream(a.statsFile, { flags: 'a' }) : null;
  stats?.on('error', () => undefined);
  const sessions = new Set<{ hangup(t?: string): void }>();
  const host = a.bind === '0.0.0.0' ? '127.0.0.1' : a.bind;
  const server = await listenWeb(host, port, {
    ice: {},
    call: {
      name: a.name ?? cfg.name ?? defaultName(), renderer: 'headless', pane: { width: DEFAULT_PANE_WIDTH_PX, height: DEFAULT_PANE_HEIGHT_PX },
      source, decode: (jpeg) => m.decodeJpeg(jpeg), fps: a.fps, autoAccept: true,
    },
    label: 'browser',
  }, (s) => {
    sessions.add(s);
    s.on('connected', (p) => say(`connected: ${p.name} (browser, ${s.path.kind} ${s.path.candidates})`));
    s.on('chat', (t) => say(`chat: ${t}`));
    s.on('stats', (st) => { say(formatStatsLine(st)); stats?.write(statsToJson(st) + '\n'); });
    s.once('close', (info) => { sessions.delete(s); say(`call ended: ${info.reason}${info.byPeer ? ' by the peer' : ''}`); });
  }, (what) => say(`termcall: ${what}`));
  process.stdout.write(`join link: http://${host}:${server.port}${server.newLink()}\n`);
  try {
    await signals.stopped;
    return signals.code() ?? EXIT.OK;
  } finally {
    signals.dispose();
    for (const s of sessions) s.hangup('quitting');
    await server.close();
    stats?.end();
    await source.close().catch(() => undefined);
  }
}
