// `termcall preview`: shows a source full-screen in this terminal (check a camera or URL before a call). q quits.
import { media } from '../../media/media.js';
import { chooseRenderer, type RenderRequest } from '../../render/index.js';
import { createRenderer } from '../../render/table.js';
import { DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX } from '../../shared/limits.js';
import { probeTerminal } from '../../terminal/probe.js';
import { UsageError } from '../../shared/errors.js';
import { EXIT } from '../exit-codes.js';

/** Runs the preview until q, Ctrl-C or the source fails; always restores the terminal. */
export async function runPreview(opts: { source?: string; render: RenderRequest; fps: number }): Promise<number> {
  const out = process.stdout;
  const input = process.stdin;
  if (!out.isTTY || !input.isTTY) throw new UsageError('ERR_NO_TTY', 'preview needs a terminal (stdin and stdout must be a TTY)');
  const caps = await probeTerminal();
  const { renderer: kind } = chooseRenderer(caps, opts.render);
  const cell = caps.cellPx ?? { width: DEFAULT_CELL_WIDTH_PX, height: DEFAULT_CELL_HEIGHT_PX };
  const renderer = createRenderer(kind, cell);
  const src = await media().openSourceOrDefault(opts.source, { fps: opts.fps });
  let stop = false;
  let code: number = EXIT.OK;
  const restore = () => {
    out.write('\x1b[0m\x1b[?25h\x1b[?1049l');
    if (input.isTTY) input.setRawMode(false);
    input.pause();
  };
  const onKey = (b: Buffer) => {
    const k = b.toString();
    if (k === 'q' || k === 'Q' || k === '\x1b') stop = true;
    if (k === '\x03') { stop = true; code = EXIT.INTERRUPTED; }
  };
  const onResize = () => { renderer.invalidate(); out.write('\x1b[2J'); };
  input.setRawMode(true);
  input.resume();
  input.on('data', onKey);
  out.on('resize', onResize);
  out.write('\x1b[?1049h\x1b[?25l\x1b[2J');
  try {
    let seq = -1;
    while (!stop) {
      const cols = out.columns, rows = Math.max(1, out.rows - 1);
      const cw = cell.width, ch = cell.height;
      const r = await src.pull({ afterSeq: seq, raw: { maxWidth: cols * cw, maxHeight: rows * ch } });
      seq = r.seq;
      if (!r.frame || stop) continue;
      const bytes = renderer.render(r.frame, { col: 0, row: 0, cols, rows });
      const status = `\x1b[${rows + 1};1H\x1b[0m\x1b[2K ${src.info.label} ${r.frame.width}x${r.frame.height} · ${kind} · q quits`;
      if (bytes.length > 0 && !out.write(Buffer.concat([bytes, Buffer.from(status)]))) {
        await new Promise<void>((res) => out.once('drain', () => res()));
      }
    }
  } finally {
    input.off('data', onKey);
    out.off('resize', onResize);
    restore();
    await src.close().catch(() => undefined);
  }
  return code;
}
