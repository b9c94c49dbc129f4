// `termcall webrtc offer|answer`: a headless call over WebRTC whose offer and answer travel as text through files or
// stdin/stdout (any channel: a chat, a pipe, ssh). The offerer dials; the answerer takes the call (--auto-accept).
import fs from 'node:fs';
import path from 'node:path';
import { media } from '../../media/media.js';
import { formatStatsLine, statsToJson } from '../../call/stats.js';
import type { Session } from '../../call/session.js';
import { ProtocolError, UsageError } from '../../shared/errors.js';
import { DEFAULT_PANE_HEIGHT_PX, DEFAULT_PANE_WIDTH_PX } from '../../shared/limits.js';
import { answerCall, offerCall, type WebrtcCallOptions } from '../../transport/webrtc/call.js';
import { blobFromText, blobToText } from '../../transport/webrtc/signal-blob.js';
import { EXIT, formatError } from '../exit-codes.js';
import { defaultName, type CallArgs } from '../options.js';
import type { Config } from '../config.js';
import { watchStopSignals } from '../stop-signals.js';
import { iceConfig, type IceArgs } from '../webrtc-options.js';
import { checkSecret } from '../../transport/secure/policy.js';
import { pakeAuthenticator } from '../../transport/secure/pake-link.js';

/** How long the offerer waits for the answer text (file or stdin). */
const ANSWER_WAIT_MS = 10 * 60_000;

export interface WebrtcArgs extends CallArgs, IceArgs {
  role: 'offer' | 'answer';
  /** Where the other side's blob comes from ('-' or absent: stdin); a file is waited for until it appears. */
  in?: string | undefined;
  /** Where this side's blob goes ('-' or absent: stdout). */
  out?: string | undefined;
}

/** Read the other side's blob text: stdin to its end, or a file once it exists and is complete (a line). */
async function readBlobText(from: string | undefined, stopped: Promise<void>): Promise<string> {
  const deadline = Date.now() + ANSWER_WAIT_MS;
  let stop = false;
  void stopped.then(() => { stop = true; });
  if (!from || from === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) {
      chunks.push(c as Buffer);
      if (Buffer.concat(chunks).includes(0x0a)) break; // one line is one blob
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  // Woken by a change in the file's directory (the blob lands by rename), polled every 100 ms as well.
  let wake: (() => void) | null = null;
  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(path.dirname(path.resolve(from)), () => wake?.());
    watcher.on('error', () => undefined);
  } catch { /* no watching here: polling alone */ }
  try {
    for (;;) {
      if (stop) throw new ProtocolError('ERR_WEBRTC_FAILED', 'stopped while waiting for the other side\'s blob');
      const text = fs.existsSync(from) ? fs.readFileSync(from, 'utf8') : '';
      if (text.endsWith('\n')) return text;
      if (Date.now() > deadline) throw new ProtocolError('ERR_WEBRTC_FAILED', `no blob appeared in ${from} within ${ANSWER_WAIT_MS} ms`);
      await new Promise<void>((r) => { const t = setTimeout(r, 100); wake = () => { clearTimeout(t); r(); }; });
      wake = null;
    }
  } finally {
    watcher?.close();
  }
}

/** Write this side's blob text (one line). */
function writeBlobText(to: string | undefined, text: string): void {
  if (!to || to === '-') process.stdout.write(text + '\n');
  else {
    fs.writeFileSync(`${to}.tmp`, text + '\n');
    fs.renameSync(`${to}.tmp`, to);
  }
}

/** Runs one call; resolves with the exit code. */
export async function runWebrtc(a: WebrtcArgs, cfg: Config): Promise<number> {
  if (a.role === 'answer' && !a.autoAccept) {
    throw new UsageError('ERR_USAGE', 'a headless answerer cannot ask you to accept the call: pass --auto-accept');
  }
  const say = (s: string): void => void process.stderr.write(s + '\n');
  // --secret: the PAKE bound to both DTLS fingerprints runs before the call (issue 16a), instead of being ignored.
  const { secret, warning } = checkSecret(a.secret);
  if (warning) say(`termcall: warning: ${warning}`);
  const m = media();
  const signals = watchStopSignals();
  // The source opens (and the worker's encoder and decoder warm up: OpenCV loads on first use) while ICE gathers and
  // the blobs travel, not before or after.
  const sourceP = m.openSourceOrDefault(a.source, { fps: a.fps });
  sourceP.then(() => say(`source open at ${Math.round(process.uptime() * 1000)} ms since process start`), () => undefined);
  void sourceP.then((source) => source.pull({ jpeg: { maxWidth: 64, maxHeight: 48, quality: 50 }, raw: false }))
    .then((p) => (p.encoded ? m.decodeJpeg(p.encoded.jpeg) : undefined)).catch(() => undefined);
  const call = sourceP.then((source) => ({
    name: a.name ?? cfg.name ?? defaultName(), renderer: 'headless' as const, pane: { width: DEFAULT_PANE_WIDTH_PX, height: DEFAULT_PANE_HEIGHT_PX },
    source, decode: (jpeg: Uint8Array) => m.decodeJpeg(jpeg), fps: a.fps, autoAccept: true,
  }));
  call.catch(() => undefined); // its failure is sourceP's, reported where that is awaited
  const stats = a.statsFile ? fs.createWriteStream(a.statsFile, { flags: 'a' }) : null;
  stats?.on('error', () => undefined);
  const started = Date.now();
  const opts: WebrtcCallOptions = {
    ice: iceConfig(a),
    call,
    label: `webrtc ${a.role === 'offer' ? 'answerer' : 'offerer'}`,
    ...(secret ? { authenticate: pakeAuthenticator(secret) } : {}),
  };
  let session: Session | null = null;
  let cancel = (): void => {};
  try {
    const sessionP = (async () => {
      if (a.role === 'offer') {
        const offer = await offerCall(opts);
        cancel = offer.cancel;
        writeBlobText(a.out, blobToText(offer.blob));
        say(`offer written (${offer.blob.length} bytes, ${Math.round(process.uptime() * 1000)} ms since process start); waiting for the answer …`);
        return offer.complete(blobFromText(await readBlobText(a.in, signals.stopped)));
      }
      const text = await readBlobText(a.in, signals.stopped);
      const answer = await answerCall(blobFromText(text), opts);
      cancel = answer.cancel;
      writeBlobText(a.out, blobToText(answer.blob));
      say(`answer written (${answer.blob.length} bytes, ${Math.round(process.uptime() * 1000)} ms since process start); connecting …`);
      return answer.session;
    })();
    // A source that cannot open ends the run at once (the session's own promise decides otherwise).
    const sourceFailed = sourceP.then(() => new Promise<never>(() => undefined));
    const s = await Promise.race([sessionP, signals.stopped.then(() => null), sourceFailed]);
    if (!s) return signals.code() ?? EXIT.OK;
    session = s;
    let firstFrame = true;
    s.on('frame', () => {
      if (firstFrame) say(`first frame after ${Date.now() - started} ms (${Math.round(process.uptime() * 1000)} ms since process start)`);
      firstFrame = false;
    });
    s.on('connected', (p) => say(`connected: ${p.name} over WebRTC (${s.path.kind} ${s.path.candidates}${s.secure ? ', passphrase proven' : ''}) at ${Math.round(process.uptime() * 1000)} ms`));
    s.on('stats', (st) => {
      say(formatStatsLine(st));
      stats?.write(statsToJson(st) + '\n');
    });
    const info = await Promise.race([s.closed, signals.stopped.then(() => null)]);
    if (!info) return signals.code() ?? EXIT.OK;
    say(`call ended: ${info.reason}${info.text ? ` (${info.text})` : ''}${info.byPeer ? ' by the peer' : ''}`);
    if (info.error) say(formatError(info.error));
    return info.error ? EXIT.FAILURE : EXIT.OK;
  } finally {
    signals.dispose();
    cancel();
    session?.hangup('quitting');
    await new Promise((r) => setTimeout(r, 300));
    stats?.end();
    await sourceP.then((source) => source.close()).catch(() => undefined);
  }
}
