// `termcall listen|call --headless`, on every wire: the same call side as the TUI, printed as lines instead of drawn.
// A call prints one stats line per second; `call` ends with its call, `listen` takes calls one after another until
// a stop signal (SIGINT 130, SIGTERM 143, SIGHUP 129).
import { media } from '../../media/media.js';
import { formatStatsLine } from '../../call/stats.js';
import type { TutorialStats } from '../../tutorial/link.js';
import { hostPort } from '../../transport/connect.js';
import { checkSecret } from '../../transport/secure/policy.js';
import { createCallSide } from '../../calls/create-call-side.js';
import type { CallSide, TutorialSettings } from '../../calls/call-side.js';
import { UsageError, messageOf } from '../../shared/errors.js';
import type { FrameSource } from '../../shared/frame-source.js';
import { openLog, type Logger } from '../../shared/log.js';
import { DEFAULT_PANE_HEIGHT_PX, DEFAULT_PANE_WIDTH_PX } from '../../shared/limits.js';
import { EXIT, formatError } from '../exit-codes.js';
import { audioSettings, defaultName, type CallArgs } from '../options.js';
import { defaultLogFile, type Config } from '../config.js';
import { watchStopSignals } from '../stop-signals.js';
import { headlessChat } from './headless-chat.js';
import { sanitizeChat } from '../../shared/chat-text.js';

/** The pane a headless side asks its peer for (it decodes for stats, shows nothing). */
const HEADLESS_PANE = { width: DEFAULT_PANE_WIDTH_PX, height: DEFAULT_PANE_HEIGHT_PX } as const;
/** Longest wait for the hang-up and cleanup after a stop signal. */
const STOP_CLEANUP_MS = 1_200;

/** Runs one headless call (with target) or a listener until a stop signal; tutorial selects a Python tutorial wire. */
export async function runHeadless(a: CallArgs, cfg: Config, target?: { host: string; port: number }, tutorial?: TutorialSettings): Promise<number> {
  const { secret, warning } = checkSecret(tutorial ? undefined : a.secret);
  if (warning) process.stderr.write(`termcall: warning: ${warning}\n`);
  // A tutorial program cannot prove anything, so a headless tutorial listener takes whoever connects (as before).
  if (!target && !tutorial && !a.autoAccept && !secret) {
    throw new UsageError('ERR_USAGE', 'a headless listener cannot ask you to accept calls: pass --auto-accept ' +
      '(anyone who can reach the port sees your video) or --secret');
  }
  const out = (s: string): void => void process.stdout.write(s + '\n');
  const m = media();
  // Signals first: one that comes while the source opens (a URL may take seconds) ends the command cleanly too.
  const signals = watchStopSignals();
  let source: FrameSource | null;
  try {
    source = !tutorial || tutorial.send ? await m.openSourceOrDefault(a.source, { fps: a.fps }) : null;
  } catch (err) {
    signals.dispose();
    throw err;
  }
  if (signals.code() !== null) {
    signals.dispose();
    await source?.close().catch(() => undefined);
    return signals.code() ?? EXIT.OK;
  }
  if (source) out(`source: ${source.info.label} ${source.info.width}x${source.info.height} @ ${source.info.fps} fps`);
  const log = headlessLog(a.logFile ?? defaultLogFile());
  const audio = tutorial ? undefined : audioSettings(a);
  const side = createCallSide({
    name: () => a.name ?? cfg.name ?? defaultName(), renderer: () => 'headless', pane: () => HEADLESS_PANE,
    source: () => source, decode: (jpeg) => m.decodeJpeg(jpeg), fps: a.fps,
    ...(a.statsFile ? { statsFile: a.statsFile } : {}), ...(secret ? { secret } : {}), ...(audio ? { audio } : {}), ...(tutorial ? { tutorial } : {}),
  }, log);
  let failed = false;
  const ended = printCalls(side, out, tutorial, (ok) => { if (!ok) failed = true; });
  const chat = headlessChat(side, out);
  try {
    if (target) {
      out(tutorial ? `connecting to ${hostPort(target.host, target.port)} (${tutorial.wire} wire) …` : `calling ${hostPort(target.host, target.port)} …`);
      const over = ended.next();
      await Promise.race([side.dial(target.host, target.port), signals.stopped]);
      await Promise.race([over, signals.stopped]);
    } else {
      // With a passphrase, proving it is the acceptance; without one, --auto-accept was required above.
      const at = await side.listen(a.port, a.bind, true);
      out(tutorial ? `waiting for a tutorial program on ${hostPort(a.bind, at.port)} (${tutorial.wire} wire)`
        : `listening on ${hostPort(a.bind, at.port)} ` + (secret ? '(passphrase required, calls encrypted)' : '(auto-accept, calls NOT encrypted)'));
      await signals.stopped;
    }
    return signals.code() ?? (failed ? EXIT.FAILURE : EXIT.OK);
  } finally {
    chat.dispose();
    signals.dispose();
    await stopWithin(side, source, STOP_CLEANUP_MS);
    log.close();
  }
}

// Hang up, stop listening and close the source, but never wait longer than ms for it.
async function stopWithin(side: CallSide, source: FrameSource | null, ms: number): Promise<void> {
  const cleanup = (async () => {
    await side.stop().catch(() => undefined);
    await source?.close().catch(() => undefined);
  })();
  await Promise.race([cleanup, new Promise((r) => setTimeout(r, ms).unref())]);
}

/** The log file, with warnings and errors also on stderr (nothing else is on screen to show them). */
export function headlessLog(file: string): Logger {
  const log = openLog(file);
  return {
    info: (msg) => log.info(msg),
    warn: (msg) => { log.warn(msg); process.stderr.write(`termcall: ${msg}\n`); },
    error: (msg, err) => { log.error(msg, err); process.stderr.write(`termcall: ${msg}${err === undefined ? '' : `: ${messageOf(err)}`}\n`); },
    close: () => log.close(),
  };
}

// One stats line of a tutorial link: what it received, what we sent.
function tutorialLine(s: TutorialStats): string {
  return `${s.peer}: rx ${s.fps.toFixed(1)}fps ${s.width}x${s.height} ${Math.round(s.bytesPerSecond * 8 / 1000)}kbit/s ` +
    `frames ${s.framesReceived} | tx ${s.framesSent} sent, ${s.framesDropped} dropped`;
}

/** Resolves each time a call (or call attempt) ends. */
interface CallEnds {
  next(): Promise<void>;
}

// Prints the life of every call on the side (connected, stats, end); onEnd(ok) for each end.
function printCalls(side: CallSide, out: (s: string) => void, tutorial: TutorialSettings | undefined, onEnd: (ok: boolean) => void): CallEnds {
  let waiting: (() => void)[] = [];
  let peerMuted = false;
  // a peer's name is its own text: shown sanitised, like its chat messages
  side.on('ringing', (p) => out(`ringing ${sanitizeChat(p.name)} …`));
  side.on('connected', (p) => out(tutorial ? `connected: ${side.label}` : `connected: ${sanitizeChat(p.name)} (${side.encrypted ? 'encrypted' : 'not encrypted'})`));
  side.on('stats', (s) => out(formatStatsLine(s)));
  side.on('linkStats', (s) => out(tutorialLine(s)));
  side.on('audio', (st) => { if (st.peerMicMuted !== peerMuted) { peerMuted = st.peerMicMuted; out(peerMuted ? 'peer muted' : 'peer unmuted'); } });
  // notices (my video stopped …) come with a log line, which headlessLog prints: no second line for them
  side.on('ended', (info) => {
    if (tutorial) out(`link closed${info.error ? `: ${info.error.message}` : ''}`);
    else out(`call ended: ${info.reason}${info.text ? ` (${sanitizeChat(info.text)})` : ''}${info.byPeer ? ' by the peer' : ''}`);
    if (info.error) process.stderr.write(formatError(info.error) + '\n');
    onEnd(!info.error);
    const w = waiting;
    waiting = [];
    for (const r of w) r();
  });
  return { next: () => new Promise<void>((r) => waiting.push(r)) };
}
