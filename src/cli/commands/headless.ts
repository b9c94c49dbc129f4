// `termcall listen --headless` / `termcall call HOST --headless`: stream with no TUI, one stats line per second.
import { media } from '../../media/media.js';
import { formatStatsLine, writeStatsFile } from '../../call/stats.js';
import type { Session } from '../../call/session.js';
import { dial, hostPort, listen } from '../../transport/connect.js';
import { UsageError } from '../../shared/errors.js';
import { DEFAULT_PANE_HEIGHT_PX, DEFAULT_PANE_WIDTH_PX } from '../../shared/limits.js';
import { EXIT, formatError } from '../exit-codes.js';
import { defaultName, type CallArgs } from '../options.js';
import type { Config } from '../config.js';
import { watchStopSignals } from '../stop-signals.js';

/** Passphrases shorter than this get a warning (docs/security.md: an active attacker can test guesses offline). */
const SHORT_SECRET_CHARS = 20;

/** The pane size a headless side asks its peer for (it decodes for stats, shows nothing). */
const HEADLESS_PANE = { width: DEFAULT_PANE_WIDTH_PX, height: DEFAULT_PANE_HEIGHT_PX } as const;

/** Runs one headless call (with target) or a headless listener that takes calls one after another until Ctrl-C. */
export async function runHeadless(a: CallArgs, cfg: Config, target?: { host: string; port: number }): Promise<number> {
  const secret = a.secret || undefined;
  if (a.secret !== undefined && !secret) throw new UsageError('ERR_USAGE', '--secret (or TERMCALL_SECRET) is empty');
  if (secret && [...secret].length < SHORT_SECRET_CHARS) {
    process.stderr.write(`termcall: warning: the passphrase is short; use ${SHORT_SECRET_CHARS}+ characters or 5+ random words (docs/security.md)\n`);
  }
  if (!target && !a.autoAccept && !secret) {
    throw new UsageError('ERR_USAGE', 'a headless listener cannot ask you to accept calls: pass --auto-accept ' +
      '(anyone who can reach the port sees your video) or --secret');
  }
  const m = media();
  const source = await m.openSourceOrDefault(a.source, { fps: a.fps });
  const out = (s: string) => process.stdout.write(s + '\n');
  out(`source: ${source.info.label} ${source.info.width}x${source.info.height} @ ${source.info.fps} fps`);
  const call = {
    name: a.name ?? cfg.name ?? defaultName(), renderer: 'headless', pane: HEADLESS_PANE, source, fps: a.fps,
    decode: (jpeg: Uint8Array) => m.decodeJpeg(jpeg), ...(secret ? { secret } : {}),
  };
  const signals = watchStopSignals();
  const { stopped } = signals;
  try {
    if (target) {
      out(`calling ${hostPort(target.host, target.port)} …`);
      const session = await dial(target.host, target.port, call);
      const ok = await follow(session, a.statsFile, out, stopped);
      return signals.code() ?? (ok ? EXIT.OK : EXIT.FAILURE);
    }
    // With a passphrase, proving it is the acceptance; without one, --auto-accept was required above.
    const listener = await listen({ port: a.port, host: a.bind, call: { ...call, autoAccept: true } });
    out(`listening on ${hostPort(a.bind, listener.address().port)} ` +
      (secret ? '(passphrase required, calls encrypted)' : '(auto-accept, calls NOT encrypted)'));
    listener.on('rejected', (r) => process.stderr.write(`termcall: refused ${r.address}: ${r.error.message} [${r.error.code}]\n`));
    listener.on('throttled', (r) => out(`slowing down ${r.address}: ${r.failures} failed attempts, next served in ${r.delayMs} ms`));
    try {
      while (signals.code() === null) {
        const session = await Promise.race([listener.nextSession(), stopped.then(() => null)]);
        if (!session) break;
        await follow(session, a.statsFile, out, stopped);
      }
    } finally {
      await listener.close();
    }
    return signals.code() ?? EXIT.OK;
  } finally {
    signals.dispose();
    await source.close().catch(() => undefined);
  }
}

// Prints a session's life (connected, stats, end) until it closes or we are stopped; true when it ended cleanly.
async function follow(session: Session, statsFile: string | undefined, out: (s: string) => void, stopped: Promise<void>): Promise<boolean> {
  const file = statsFile ? writeStatsFile(session, statsFile) : null;
  session.on('connected', (p) => out(`connected: ${p.name} (${session.secure ? 'encrypted' : 'not encrypted'})`));
  session.on('ringing', (p) => out(`ringing ${p.name} …`));
  session.on('stats', (s) => out(formatStatsLine(s)));
  const ended = new Promise<boolean>((resolve) => session.once('close', (info) => {
    out(`call ended: ${info.reason}${info.text ? ` (${info.text})` : ''}${info.byPeer ? ' by the peer' : ''}`);
    if (info.error) process.stderr.write(formatError(info.error) + '\n');
    resolve(!info.error);
  }));
  void stopped.then(() => { if (!session.isClosed()) session.hangup('quit'); });
  const ok = await ended;
  await file?.close();
  return ok;
}
