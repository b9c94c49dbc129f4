// runTui(): probe the terminal, open the source, take the screen, run the app, and always give the terminal back.
import { media } from '../media/media.js';
import type { FrameSource } from '../shared/frame-source.js';
import { hostPort } from '../transport/connect.js';
import { DEFAULT_RAW_SIZE } from '../tutorial/wire.js';
import { probeTerminal } from '../terminal/probe.js';
import { chooseRenderer, type Caps } from '../render/caps.js';
import { UsageError, messageOf } from '../shared/errors.js';
import type { CallSide } from '../calls/call-side.js';
import { createCallSide } from '../calls/create-call-side.js';
import { startDemoPeer, type DemoPeer } from '../calls/demo-peer.js';
import { openLog, type Logger } from '../shared/log.js';
import type { TuiOptions } from './options.js';
import { restoreTerminal, terminalGone } from '../terminal/restore.js';
import { createKittyFileSink } from '../terminal/kitty-files.js';
import { EXIT, STOP_SIGNAL_EXIT, type StopSignal } from '../shared/exit-codes.js';
import { TuiApp } from './tui-app.js';
import { hostname } from 'node:os';
import { Views } from './views.js';

export type { TuiOptions, PeerEntry, RenderChoice } from './options.js';

/** Longest wait for hang-up and cleanup while quitting. */
const QUIT_CLEANUP_MS = 1_500;

/**
 * Run the TUI until the user quits. Resolves with the exit code: 0 quit (q), 1 runtime failure (uncaught error, printed
 * after the terminal is restored), 130 Ctrl-C / SIGINT, 143 SIGTERM, 129 SIGHUP.
 * Rejects (before touching the screen) with a TermcallError when there is no terminal (ERR_NO_TTY) or the requested
 * source cannot be opened (CaptureError): the CLI turns those into messages and exit codes.
 */
export async function runTui(opts: TuiOptions): Promise<number> {
  const input = process.stdin;
  const output = process.stdout;
  if (!input.isTTY || !output.isTTY) throw new UsageError('ERR_NO_TTY', 'the terminal UI needs a terminal (stdin and stdout must be a TTY)');
  const log = openLog(opts.logFile);
  log.info(`termcall tui starting: mode ${opts.mode}, ${output.columns}x${output.rows}, TERM=${process.env.TERM ?? ''}`);
  let demo: DemoPeer | null = null;
  let source: FrameSource | null = null;
  try {
    const caps = await probeTerminal();
    const { renderer, warnings } = chooseRenderer(caps, opts.render, opts.maxOutputKbps ?? 0);
    log.info(`caps: depth ${caps.colorDepth}, sixel ${caps.sixel}, sextants ${caps.sextants}, kitty ${caps.kitty}${caps.kittyLocal ? ' (local)' : ''}, iterm2 ${caps.iterm2}, cell ${JSON.stringify(caps.cellPx)}, tmux ${caps.tmux} → ${renderer}`);
    for (const r of caps.reasons) log.info(`probe: ${r}`);
    for (const w of warnings) log.warn(w);
    source = await openLocalSource(opts, log);
    if (opts.mode === 'demo') demo = await startDemoPeer(opts.fps, log);
    return await runScreen(opts, { log, caps, renderer, source, demo });
  } catch (err) {
    log.error('tui failed to start', err);
    throw err;
  } finally {
    await demo?.close().catch(() => undefined);
    await source?.close().catch(() => undefined);
    log.info('tui stopped');
    log.close();
  }
}

// The local video: the test pattern in the demo, the --source spec, or the default (camera 0, else the clip).
async function openLocalSource(opts: TuiOptions, log: Logger): Promise<FrameSource> {
  const m = media();
  const s = opts.mode === 'demo' ? await m.openSource('test', { fps: opts.fps })
    : opts.source !== undefined ? await m.openSource(opts.source, { fps: opts.fps }) : await m.openDefaultSource({ fps: opts.fps });
  log.info(`local source: ${s.info.label} ${s.info.width}x${s.info.height} @ ${s.info.fps} fps`);
  return s;
}

interface Started {
  readonly log: Logger;
  readonly caps: Caps;
  readonly renderer: import('../render/types.js').RendererKind;
  readonly source: FrameSource | null;
  readonly demo: DemoPeer | null;
}

// listen --web (join links) or answer (calls signalled over ssh): the start screen's listening line.
async function listenWebrtc(opts: TuiOptions, calls: CallSide, app: TuiApp, log: Logger): Promise<string> {
  const w = opts.webrtc;
  let line: string;
  try {
    if (!calls.webrtc) throw new UsageError('ERR_USAGE', 'WebRTC calls need the termcall wire');
    if (w?.kind === 'web') {
      const join = await calls.webrtc.listenWeb(w.port, opts.bind, opts.autoAccept);
      // each link works once: a fresh one after every call
      const fresh = (): string => `listening for a browser: open ${join.newLink()} (one-time link)${opts.autoAccept ? '' : ' — each join asks first'}`;
      line = fresh();
      calls.on('ended', () => {
        const next = fresh();
        log.info(next);
        app.setListening(next);
      });
    } else {
      const sock = await calls.webrtc.listenSsh(opts.autoAccept);
      line = `listening for calls signalled over ssh (termcall call ssh://${hostname()}) on ${sock}${opts.autoAccept ? '' : ' — each call asks first'}`;
    }
    log.info(line);
  } catch (err) {
    line = `not listening: ${messageOf(err)}`;
    log.warn(line);
  }
  return line;
}

// Own the screen from here on: every way out goes through finish(), which restores the terminal first.
async function runScreen(opts: TuiOptions, st: Started): Promise<number> {
  const { log } = st;
  const input = process.stdin;
  const output = process.stdout;
  let finished = false;
  let resolveCode!: (code: number) => void;
  const done = new Promise<number>((r) => { resolveCode = r; });
  let fatal: unknown = null;

  const views = new Views(input, output);
  let app: TuiApp | null = null;
  const wire = opts.wire && opts.wire !== 'termcall' ? opts.wire : null;
  const calls: CallSide = createCallSide({
    // the form's Name field, once the app is up (a call placed from the start screen announces it)
    name: () => app?.displayName() ?? opts.name,
    renderer: () => app?.panes.kind ?? st.renderer,
    pane: () => app?.paneSize() ?? { width: 0, height: 0 },
    source: () => st.source,
    decode: (jpeg) => media().decodeJpeg(jpeg),
    fps: opts.fps,
    ...(opts.statsFile ? { statsFile: opts.statsFile } : {}),
    ...(opts.audio ? { audio: opts.audio } : {}),
    ...(opts.secret ? { secret: opts.secret } : {}),
    ...(opts.ice ? { ice: opts.ice } : {}),
    ...(wire ? { tutorial: { wire, rawSize: opts.rawSize ?? DEFAULT_RAW_SIZE, send: opts.send ?? false } } : {}),
  }, log);

  const finish = (code: number): void => {
    if (finished) return;
    finished = true;
    resolveCode(code);
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    log.info(`got ${sig}`);
    finish(STOP_SIGNAL_EXIT[sig as StopSignal] ?? EXIT.TERMINATED);
  };
  const onFatal = (err: unknown): void => {
    if (terminalGone(err)) {
      // (nothing left to restore or print to)
      if (!finished) log.info(`the terminal went away (${messageOf(err)}): hanging up`);
      finish(EXIT.HANGUP);
      return;
    }
    log.error('uncaught error', err);
    fatal ??= err;
    finish(EXIT.FAILURE);
  };
  const onExit = (): void => restoreTerminal(input, output);
  const signals = Object.keys(STOP_SIGNAL_EXIT) as StopSignal[];
  for (const s of signals) process.on(s, onSignal);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  process.on('exit', onExit);

  // kitty on this machine reads frames from temporary files (t=t): far cheaper than base64 through the pty
  const kittyFiles = st.caps.kittyLocal ? createKittyFileSink() : null;
  try {
    app = new TuiApp({ opts, views, calls, log, caps: st.caps, renderer: st.renderer, source: st.source, kittyFiles, quit: finish });
    if (wire) log.info(`tutorial wire ${wire}${wire === 'raw' ? ` ${JSON.stringify(opts.rawSize ?? DEFAULT_RAW_SIZE)}` : ''}: ${opts.send ? 'viewing and sending' : 'viewing only'}; never encrypted`);
    let listening = 'not listening for calls (--no-listen)';
    if (opts.mode === 'demo') listening = 'demo: calling the built-in peer on 127.0.0.1';
    else if (opts.webrtc?.kind === 'web' || opts.webrtc?.kind === 'answer-ssh') listening = await listenWebrtc(opts, calls, app, log);
    else if (opts.listen || opts.mode === 'listen') {
      try {
        const a = await calls.listen(opts.port, opts.bind, opts.autoAccept);
        listening = wire ? `listening on ${hostPort(a.host, a.port)} for tutorial programs (${wire} wire) — each connection asks first`
          : `listening on ${hostPort(a.host, a.port)} — incoming calls ask before they connect`;
        log.info(listening);
      } catch (err) {
        listening = `not listening: ${messageOf(err)}`;
        log.warn(listening);
      }
    }
    const dialNow = opts.mode === 'demo' && st.demo ? { host: '127.0.0.1', port: st.demo.port }
      : opts.mode === 'call' && opts.host ? { host: opts.host, port: opts.port } : undefined;
    app.start(listening, dialNow);
  } catch (err) {
    onFatal(err);
  }

  const code = await done;
  log.info(`quitting with code ${code}`);
  app?.stop();
  await Promise.race([calls.stop(), new Promise((r) => setTimeout(r, QUIT_CLEANUP_MS).unref())]);
  try {
    views.screen.destroy();
  } catch (err) {
    log.error('screen.destroy', err);
  }
  restoreTerminal(input, output);
  kittyFiles?.close();
  for (const s of signals) process.off(s, onSignal);
  process.off('uncaughtException', onFatal);
  process.off('unhandledRejection', onFatal);
  process.off('exit', onExit);
  if (fatal !== null) {
    process.stderr.write(`termcall: ${fatal instanceof Error && fatal.stack ? fatal.stack : messageOf(fatal)}\n`);
  }
  return code;
}
