// `termcall listen --web [PORT]` headless (no terminal, or --headless): prints a one-time join link; the browser that
// opens it joins the call (over WebRTC, the same termcall protocol on a data channel), through the one call
// controller like every call. Headless cannot ask, so it needs --auto-accept (the TUI prompts). A fresh link is
// printed after each call; stats lines on stderr; a stop signal ends it.
import { media } from '../../media/media.js';
import { formatStatsLine } from '../../call/stats.js';
import { UsageError } from '../../shared/errors.js';
import { sanitizeChat } from '../../shared/chat-text.js';
import { DEFAULT_PANE_HEIGHT_PX, DEFAULT_PANE_WIDTH_PX } from '../../shared/limits.js';
import { createCallSide } from '../../calls/create-call-side.js';
import type { WebrtcCalls } from '../../calls/webrtc-calls.js';
import { EXIT } from '../exit-codes.js';
import { audioSettings, defaultName, type CallArgs } from '../options.js';
import { defaultLogFile, type Config } from '../config.js';
import { watchStopSignals } from '../stop-signals.js';
import { headlessLog } from './headless.js';

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
  if (!a.autoAccept) throw new UsageError('ERR_USAGE', 'listen --web without a terminal takes calls with --auto-accept only (whoever has a link joins); in a terminal each join asks first');
  const port = webPort(web);
  const say = (s: string): void => void process.stderr.write(s + '\n');
  const m = media();
  const signals = watchStopSignals();
  const source = await m.openSourceOrDefault(a.source, { fps: a.fps }).catch((err: unknown) => { signals.dispose(); throw err; });
  const log = headlessLog(a.logFile ?? defaultLogFile());
  const audio = audioSettings(a);
  const side = createCallSide({
    name: () => a.name ?? cfg.name ?? defaultName(), renderer: () => 'headless', pane: () => ({ width: DEFAULT_PANE_WIDTH_PX, height: DEFAULT_PANE_HEIGHT_PX }),
    source: () => source, decode: (jpeg) => m.decodeJpeg(jpeg), fps: a.fps,
    ...(a.statsFile ? { statsFile: a.statsFile } : {}), ...(audio ? { audio } : {}),
  }, log);
  try {
    const join = await (side.webrtc as WebrtcCalls).listenWeb(port, a.bind, true);
    side.on('connected', (p) => say(`connected: ${sanitizeChat(p.name)} (browser, ${side.path?.kind ?? '?'} ${side.path?.candidates ?? ''})`));
    side.on('chat', (t) => say(`chat: ${sanitizeChat(t)}`));
    side.on('stats', (st) => say(formatStatsLine(st)));
    side.on('ended', (info) => {
      say(`call ended: ${info.reason}${info.byPeer ? ' by the peer' : ''}`);
      if (!signals.code()) process.stdout.write(`join link: ${join.newLink()}\n`);
    });
    process.stdout.write(`join link: ${join.newLink()}\n`);
    await signals.stopped;
    return signals.code() ?? EXIT.OK;
  } finally {
    signals.dispose();
    await side.stop().catch(() => undefined);
    await source.close().catch(() => undefined);
    log.close();
  }
}
