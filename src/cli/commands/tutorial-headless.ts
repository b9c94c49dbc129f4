// `--wire pickle|raw --headless`: talk to the Python tutorial programs without a TUI — send our video, show stats of theirs.
import { media } from '../../media/media.js';
import type { FrameSource } from '../../shared/frame-source.js';
import { connectTutorial, listenTutorial, type TutorialLink, type TutorialListener, type TutorialStats } from '../../tutorial/link.js';
import { DEFAULT_RAW_SIZE, type RawSize, type TutorialWire } from '../../tutorial/wire.js';
import { hostPort } from '../../transport/connect.js';
import { padInto } from '../../shared/fit.js';
import { EXIT } from '../exit-codes.js';
import { watchStopSignals } from '../stop-signals.js';

export interface TutorialArgs {
  wire: TutorialWire;
  rawSize?: RawSize;
  source?: string | undefined;
  fps: number;
  port: number;
  bind: string;
  /** Send our video too (the tutorials' two-way variant); false: only view. */
  send: boolean;
}

/** Dials a tutorial program (target) or waits for one, then streams until the link closes or Ctrl-C. */
export async function runTutorialHeadless(a: TutorialArgs, target?: { host: string; port: number }): Promise<number> {
  const out = (s: string) => process.stdout.write(s + '\n');
  const rawSize = a.rawSize ?? DEFAULT_RAW_SIZE;
  const m = media();
  const source = a.send ? await m.openSourceOrDefault(a.source, { fps: a.fps }) : null;
  let link: TutorialLink | null = null;
  const signals = watchStopSignals();
  void signals.stopped.then(() => link?.close());
  let listener: TutorialListener | null = null;
  try {
    let next: Promise<TutorialLink>;
    if (target) {
      out(`connecting to ${hostPort(target.host, target.port)} (${a.wire} wire) …`);
      next = connectTutorial({ host: target.host, port: target.port, wire: a.wire, rawSize });
    } else {
      listener = await listenTutorial({ host: a.bind, port: a.port, wire: a.wire, rawSize });
      out(`waiting for a tutorial program on ${hostPort(a.bind, listener.port)} (${a.wire} wire)`);
      next = listener.nextLink();
    }
    // Ctrl-C while connecting or waiting ends the command; a link that arrives after that is dropped.
    link = await Promise.race([next, signals.stopped.then(() => null)]);
    if (!link) {
      next.then((l) => l.destroy(), () => undefined);
      return signals.code() ?? EXIT.INTERRUPTED;
    }
    const ok = await stream(link, source, a.wire === 'raw' ? rawSize : null, out);
    return signals.code() ?? (ok ? EXIT.OK : EXIT.FAILURE);
  } finally {
    signals.dispose();
    await listener?.close();
    await source?.close().catch(() => undefined);
  }
}

// Sends frames (sized for the raw wire when needed) and prints receive stats until the link closes.
async function stream(link: TutorialLink, source: FrameSource | null, rawSize: RawSize | null, out: (s: string) => void): Promise<boolean> {
  out(`connected: ${link.peer}`);
  const line = (s: TutorialStats) => `${s.peer}: rx ${s.fps.toFixed(1)}fps ${s.width}x${s.height} ${Math.round(s.bytesPerSecond * 8 / 1000)}kbit/s ` +
    `frames ${s.framesReceived} | tx ${s.framesSent} sent, ${s.framesDropped} dropped`;
  link.on('stats', (s) => out(line(s)));
  const closed = new Promise<Error | undefined>((r) => link.once('close', (err) => r(err)));
  let open = true;
  void closed.then(() => { open = false; });
  if (source) {
    void (async () => {
      const box = rawSize ? { maxWidth: rawSize.width, maxHeight: rawSize.height } : { maxWidth: source.info.width, maxHeight: source.info.height };
      let seq = -1;
      while (open) {
        const r = await source.pull({ afterSeq: seq, raw: box }).catch(() => null);
        if (!r?.frame || !open) break;
        seq = r.seq;
        link.send(rawSize ? padInto(r.frame, rawSize.width, rawSize.height) : r.frame);
      }
    })();
  }
  const err = await closed;
  out(line(link.stats()));
  out(`link closed${err ? `: ${err.message}` : ''}`);
  if (err) process.stderr.write(`termcall: ${err.message}${'code' in err ? ` [${String((err as { code: unknown }).code)}]` : ''}\n`);
  return !err;
}
