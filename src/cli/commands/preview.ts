// `termcall preview`: shows a source full-screen in this terminal (check a camera or URL before a call). q quits.
import { media } from '../../media/media.js';
import { chooseRenderer, type RenderRequest } from '../../render/caps.js';
import { createRenderer } from '../../render/table.js';
import { sixelRegisters } from '../../render/sixel.js';
import type { RendererKind } from '../../render/types.js';
import { DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX } from '../../shared/limits.js';
import type { FrameSource } from '../../shared/frame-source.js';
import { probeTerminal } from '../../terminal/probe.js';
import { restoreTerminal } from '../../terminal/restore.js';
import { UsageError } from '../../shared/errors.js';
import { EXIT } from '../exit-codes.js';
import { watchStopSignals, type StopSignals } from '../stop-signals.js';

/**
 * Runs the preview until q, Ctrl-C, a signal or the source fails; always restores the terminal. Resolves with 0 (q),
 * 130 (Ctrl-C, SIGINT), 143 (SIGTERM) or 129 (SIGHUP); rejects with the source's error when it fails.
 */
export async function runPreview(opts: { source?: string; render: RenderRequest; fps: number }): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) throw new UsageError('ERR_NO_TTY', 'preview needs a terminal (stdin and stdout must be a TTY)');
  // Installed first: a signal while probing or opening the source ends the command with its code, not the default death.
  const signals = watchStopSignals();
  try {
    const caps = await probeTerminal();
    const { renderer: kind } = chooseRenderer(caps, opts.render);
    const cell = caps.cellPx ?? { width: DEFAULT_CELL_WIDTH_PX, height: DEFAULT_CELL_HEIGHT_PX };
    const src = await media().openSourceOrDefault(opts.source, { fps: opts.fps });
    try {
      return signals.code() ?? await showFullScreen(src, kind, cell, signals, sixelRegisters(caps).registers);
    } finally {
      await src.close().catch(() => undefined);
    }
  } finally {
    signals.dispose();
  }
}

// Owns the screen: draws the newest frame until a key or signal stops it; the terminal is restored on every way out.
async function showFullScreen(src: FrameSource, kind: RendererKind, cell: { width: number; height: number }, signals: StopSignals,
  sixelRegisters: number): Promise<number> {
  const out = process.stdout;
  const input = process.stdin;
  const renderer = createRenderer(kind, cell, { sixelRegisters });
  // The exit code of whatever stopped us first: q, Ctrl-C as a key, or a signal.
  let code: number | null = null;
  void signals.stopped.then(() => { code ??= signals.code(); });
  let quit = (): void => {};
  const quitKey = new Promise<void>((r) => { quit = r; });
  const stop = Promise.race([quitKey, signals.stopped]).then(() => null);
  const onKey = (b: Buffer) => {
    const k = b.toString();
    if (k === 'q' || k === 'Q' || k === '\x1b') code ??= EXIT.OK;
    else if (k === '\x03') code ??= EXIT.INTERRUPTED;
    else return;
    quit();
  };
  const onResize = () => { renderer.invalidate(); out.write('\x1b[2J'); };
  // Last resort should something throw past the finally below (the TUI does the same).
  const onExit = () => restoreTerminal(input, out);
  const stopped = () => code !== null || signals.code() !== null;
  process.on('exit', onExit);
  input.setRawMode(true);
  input.resume();
  input.on('data', onKey);
  out.on('resize', onResize);
  out.write('\x1b[?1049h\x1b[?25l\x1b[2J');
  try {
    let seq = -1;
    while (!stopped()) {
      const cols = out.columns, rows = Math.max(1, out.rows - 1);
      // A stalled stream never answers the pull: a key or signal must not wait for it.
      const r = await Promise.race([src.pull({ afterSeq: seq, raw: { maxWidth: cols * cell.width, maxHeight: rows * cell.height } }), stop]);
      if (!r || stopped()) break;
      seq = r.seq;
      if (!r.frame) continue;
      const bytes = renderer.render(r.frame, { col: 0, row: 0, cols, rows });
      const status = `\x1b[${rows + 1};1H\x1b[0m\x1b[2K ${src.info.label} ${r.frame.width}x${r.frame.height} · ${kind} · q quits`;
      if (bytes.length > 0 && !out.write(Buffer.concat([bytes, Buffer.from(status)]))) {
        await Promise.race([new Promise<void>((res) => out.once('drain', () => res())), stop]);
      }
    }
  } finally {
    input.off('data', onKey);
    out.off('resize', onResize);
    restoreTerminal(input, out);
    process.off('exit', onExit);
  }
  return code ?? signals.code() ?? EXIT.OK;
}
