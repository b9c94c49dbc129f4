// Calls over WebRTC signalled by hand or through ssh, headless (no terminal, or --headless): `call --code`,
// `answer CODE`, `call ssh://…`, and `answer` with no code (wait for calls signalled over ssh). They run through the
// one call controller (CallSide and its WebRTC calls) like every call; codes go to stdout alone, the rest to stderr.
import { createInterface } from 'node:readline';
import { media } from '../../media/media.js';
import { formatStatsLine } from '../../call/stats.js';
import type { CloseInfo } from '../../call/session.js';
import { ProtocolError, UsageError } from '../../shared/errors.js';
import { DEFAULT_PANE_HEIGHT_PX, DEFAULT_PANE_WIDTH_PX, CODE_ANSWER_ADVICE_S } from '../../shared/limits.js';
import { checkSecret } from '../../transport/secure/policy.js';
import { decodeCallCode, type CallCode } from '../../transport/signal/call-code.js';
import { AnsweredCodes } from '../../transport/signal/replay.js';
import type { SshTarget } from '../../transport/signal/ssh.js';
import { createCallSide } from '../../calls/create-call-side.js';
import type { CallSide } from '../../calls/call-side.js';
import { checkOfferPassphrase, type WebrtcCalls } from '../../calls/webrtc-calls.js';
import { sanitizeChat } from '../../shared/chat-text.js';
import type { TuiOptions, WebrtcStart } from '../../tui/options.js';
import { defaultLogFile } from '../config.js';
import { iceConfig, type IceArgs } from '../webrtc-options.js';
import { audioSettings, defaultName, type CallArgs } from '../options.js';
import { EXIT } from '../exit-codes.js';
import { watchStopSignals, type StopSignals } from '../stop-signals.js';
import { headlessLog } from './headless.js';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

/** What these commands read from the command line. */
export interface SignalCallArgs extends CallArgs, IceArgs {
  readonly sshCommand?: string | undefined;
  readonly sshRemoteCommand?: string | undefined;
}

/** Messages for the person at the terminal (stderr: stdout carries only codes). */
const say = (s: string): void => void process.stderr.write(`${s}\n`);

/** Where answered offer ids are remembered (next to the log file: $XDG_STATE_HOME/termcall). */
function answeredFile(env: NodeJS.ProcessEnv): string {
  return join(dirname(defaultLogFile(env)), 'answered-codes.json');
}

/** Is there a terminal for the call screen (and no --headless)? Without one these commands run headless. */
export function wantsTui(a: { headless?: boolean | undefined }, std: { stdin: { isTTY?: boolean }; stdout: { isTTY?: boolean } } = process): boolean {
  return !a.headless && Boolean(std.stdin.isTTY) && Boolean(std.stdout.isTTY);
}

/** An offer code checked before answering it: integrity, expiry, the passphrase rule, and not answered before (remembered). */
export function checkOfferCode(a: { secret?: string | undefined }, text: string, env: NodeJS.ProcessEnv = process.env): CallCode {
  const offer = decodeCallCode(text, 'offer');
  checkOfferPassphrase(offer, checkSecret(a.secret).secret);
  new AnsweredCodes(answeredFile(env)).claim(offer);
  return offer;
}

/** The call screen's options for a WebRTC call: the start, the ICE servers, where codes are written (next to the log). */
export function webrtcTuiOptions(base: TuiOptions, a: IceArgs, webrtc: WebrtcStart, env: NodeJS.ProcessEnv = process.env): TuiOptions {
  return { ...base, webrtc, ice: iceConfig(a), codeDir: dirname(defaultLogFile(env)) };
}

/**
 * The start screen's options for the WebRTC calls made from it (ssh://…, call codes): the ICE servers, how ssh runs,
 * where codes are written, and the memory of answered offer codes (a replayed one is refused, as by answer CODE).
 */
export function startTuiOptions(base: TuiOptions, a: Pick<SignalCallArgs, 'sshCommand' | 'sshRemoteCommand'> & IceArgs, env: NodeJS.ProcessEnv = process.env): TuiOptions {
  return {
    ...base, ice: iceConfig(a), ssh: sshCallOptions(a), codeDir: dirname(defaultLogFile(env)),
    claimOffer: (offer) => new AnsweredCodes(answeredFile(env)).claim(offer),
  };
}

/** ssh:// options as the call side takes them. */
export function sshCallOptions(a: Pick<SignalCallArgs, 'sshCommand' | 'sshRemoteCommand'>): { sshCommand?: string[]; remoteCommand?: string } {
  return { ...(a.sshCommand ? { sshCommand: a.sshCommand.split(/\s+/).filter(Boolean) } : {}), ...(a.sshRemoteCommand ? { remoteCommand: a.sshRemoteCommand } : {}) };
}

/** One headless WebRTC run: the call side and what run() needs, printed as lines. */
interface Run {
  readonly side: CallSide;
  readonly rtc: WebrtcCalls;
  readonly signals: StopSignals;
  /** Resolves when the current (or next) call ends. */
  ended(): Promise<CloseInfo>;
}

/** Open the source and a call side, print its calls (connected, stats, chat, end), run fn, always clean up. */
async function withCallSide(a: SignalCallArgs, fn: (r: Run) => Promise<number>): Promise<number> {
  const { secret, warning } = checkSecret(a.secret);
  if (warning) say(`termcall: warning: ${warning}`);
  const m = media();
  const signals = watchStopSignals();
  const source = await m.openSourceOrDefault(a.source, { fps: a.fps }).catch((err: unknown) => { signals.dispose(); throw err; });
  const log = headlessLog(a.logFile ?? defaultLogFile());
  const audio = audioSettings(a);
  const side = createCallSide({
    name: () => a.name ?? defaultName(), renderer: () => 'headless', pane: () => ({ width: DEFAULT_PANE_WIDTH_PX, height: DEFAULT_PANE_HEIGHT_PX }),
    source: () => source, decode: (j) => m.decodeJpeg(j), fps: a.fps, ice: iceConfig(a),
    ...(secret ? { secret } : {}), ...(a.statsFile ? { statsFile: a.statsFile } : {}), ...(audio ? { audio } : {}),
  }, log);
  let waiters: ((info: CloseInfo) => void)[] = [];
  side.on('connected', (p) => say(`connected to ${sanitizeChat(p.name)} over WebRTC (${side.encrypted ? 'passphrase proven, encrypted' : 'encrypted, not authenticated'})` +
    ` on the ${side.path?.kind ?? '?'} path ${side.path?.candidates ?? ''}`));
  side.on('stats', (st) => say(`stats: ${formatStatsLine(st)}`));
  side.on('chat', (t) => say(`chat: ${sanitizeChat(t)}`));
  side.on('ended', (info) => {
    say(`call ended: ${info.reason}${info.byPeer ? ' by the peer' : ''}`);
    const w = waiters;
    waiters = [];
    for (const r of w) r(info);
  });
  try {
    return await fn({ side, rtc: side.webrtc as WebrtcCalls, signals, ended: () => new Promise((r) => waiters.push(r)) });
  } finally {
    signals.dispose();
    await side.stop().catch(() => undefined);
    await source.close().catch(() => undefined);
    log.close();
  }
}

/** Run the call until it ends (its error thrown) or a stop signal comes. */
async function untilEnd(r: Run, over: Promise<CloseInfo>): Promise<number> {
  const end = await Promise.race([over, r.signals.stopped.then(() => null)]);
  if (end?.error) throw end.error;
  return r.signals.code() ?? EXIT.OK;
}

/** Read one non-empty line from stdin (the answer code), bounded in time. */
function readCodeLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin });
    const t = setTimeout(() => { rl.close(); reject(new ProtocolError('ERR_CALL_CODE_EXPIRED', 'no answer code came in time')); }, 15 * 60_000);
    let got = false;
    rl.on('line', (l) => { if (l.trim() && !got) { got = true; clearTimeout(t); resolve(l.trim()); rl.close(); } });
    rl.once('close', () => { clearTimeout(t); if (!got) reject(new ProtocolError('ERR_CALL_CODE', 'stdin ended before an answer code was pasted')); });
  });
}

/** `termcall call --code`: print the offer code, read the answer code from stdin, run the call. */
export function runCodeCall(a: SignalCallArgs): Promise<number> {
  return withCallSide(a, async (r) => {
    process.stdout.write(`${await r.rtc.offerCode()}\n`);
    say('send this code to the other side; they run: termcall answer CODE. Paste their answer code here:');
    const line = await Promise.race([readCodeLine(), r.signals.stopped.then(() => null)]);
    if (line === null) return r.signals.code() ?? EXIT.OK;
    const over = r.ended();
    const connecting = r.rtc.completeCode(line);
    say('answer taken: connecting …');
    await Promise.race([connecting, r.signals.stopped]);
    return untilEnd(r, over);
  });
}

/** `termcall answer CODE`: check the code (expiry, integrity, replay), print the answer code, run the call. */
export function runAnswerCode(a: SignalCallArgs, text: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const offer = checkOfferCode(a, text, env);
  return withCallSide(a, async (r) => {
    const over = r.ended();
    const { code, connected } = await r.rtc.answerCode(offer);
    process.stdout.write(`${code}\n`);
    say(`send this answer code back to the caller within ${CODE_ANSWER_ADVICE_S} s; waiting for the connection …`);
    await Promise.race([connected, r.signals.stopped]);
    return untilEnd(r, over);
  });
}

/** `termcall call ssh://…`: exchange offer and answer through ssh with the termcall waiting there, run the call. */
export function runSshCall(a: SignalCallArgs, target: SshTarget): Promise<number> {
  return withCallSide(a, async (r) => {
    say(`signalling through ssh to ${target.host} …`);
    const over = r.ended();
    const calling = r.rtc.dialSsh(target, { ...sshCallOptions(a), onAnswer: () => say('answer received over ssh: connecting peer to peer …') });
    await Promise.race([calling, r.signals.stopped]);
    return untilEnd(r, over);
  });
}

/** `termcall answer` with no code: take calls signalled over ssh (`termcall call ssh://this-host`), one at a time. */
export function runAnswerSsh(a: SignalCallArgs, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return withCallSide(a, async (r) => {
    // Taking an ssh-signalled call is the consent; the passphrase, when set, is checked first.
    const path = await r.rtc.listenSsh(true, env);
    say(`waiting for calls signalled over ssh (termcall call ssh://${hostname()}) on ${path}`);
    r.side.on('ended', (info) => { if (info.error) say(`termcall: ${info.error.message}`); });
    await r.signals.stopped;
    return r.signals.code() ?? EXIT.OK;
  });
}

/** Reject the options that make no sense here. */
export function usageCheck(code: boolean, peer: string | undefined): void {
  if (code && peer) throw new UsageError('ERR_USAGE', '--code makes a call code instead of calling PEER: give one or the other');
}
