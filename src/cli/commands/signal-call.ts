// Calls over WebRTC signalled by hand or through ssh (headless): `call --code`, `answer CODE`, `call ssh://…`, and
// `answer` with no code (wait for calls signalled over ssh). Codes go to stdout alone, everything else to stderr.
import { createInterface } from 'node:readline';
import { media } from '../../media/media.js';
import type { Session } from '../../call/session.js';
import { formatStatsLine } from '../../call/stats.js';
import { ProtocolError, UsageError } from '../../shared/errors.js';
import { DEFAULT_PANE_HEIGHT_PX, DEFAULT_PANE_WIDTH_PX, SIGNAL_TIMEOUT_MS } from '../../shared/limits.js';
import type { FrameSource } from '../../shared/frame-source.js';
import { checkSecret } from '../../transport/secure/policy.js';
import { pakeAuthenticator } from '../../transport/secure/pake-link.js';
import { AnswerCheck, decodeCallCode, encodeCallCode, type CallCode } from '../../transport/signal/call-code.js';
import { AnsweredCodes } from '../../transport/signal/replay.js';
import { listenSignalSocket, signalSocketPath } from '../../transport/signal/local.js';
import { sshExchange, type SshTarget } from '../../transport/signal/ssh.js';
import { answerCall, offerCall, type WebrtcCallOptions } from '../../transport/webrtc/call.js';
import type { IceConfig } from '../../transport/webrtc/ice-servers.js';
import { defaultLogFile } from '../config.js';
import { iceConfig, type IceArgs } from '../webrtc-options.js';
import { checkOfferPassphrase } from '../../calls/webrtc-calls.js';
import type { TuiOptions, WebrtcStart } from '../../tui/options.js';
import { EXIT } from '../exit-codes.js';
import { watchStopSignals } from '../stop-signals.js';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

/** What these commands read from the command line. */
export interface SignalCallArgs {
  readonly name?: string | undefined;
  readonly source?: string | undefined;
  readonly fps: number;
  readonly secret?: string | undefined;
  readonly stun?: string[] | undefined;
  readonly turn?: string[] | undefined;
  readonly turnUser?: string | undefined;
  readonly turnPass?: string | undefined;
  readonly relayOnly?: boolean | undefined;
  readonly sshCommand?: string | undefined;
  readonly sshRemoteCommand?: string | undefined;
}

/** Messages for the person at the terminal (stderr: stdout carries only codes). */
const say = (s: string): void => void process.stderr.write(`${s}\n`);

/** Where answered offer ids are remembered (next to the log file: $XDG_STATE_HOME/termcall). */
function answeredFile(env: NodeJS.ProcessEnv): string {
  return join(dirname(defaultLogFile(env)), 'answered-codes.json');
}

/** The source, the WebRTC options and the passphrase of a run. */
async function setup(a: SignalCallArgs, answering: boolean): Promise<{ source: FrameSource; opts: WebrtcCallOptions; secret?: string }> {
  const { secret, warning } = checkSecret(a.secret);
  if (warning) say(`termcall: warning: ${warning}`);
  const m = media();
  const source = await m.openSourceOrDefault(a.source, { fps: a.fps });
  const ice: IceConfig = iceConfig(a);
  const opts: WebrtcCallOptions = {
    ice,
    call: {
      name: a.name ?? 'termcall', renderer: 'headless', pane: { width: DEFAULT_PANE_WIDTH_PX, height: DEFAULT_PANE_HEIGHT_PX },
      source, decode: (j: Uint8Array) => m.decodeJpeg(j), fps: a.fps,
      // Answering a code (or taking an ssh-signalled call) is the consent; the passphrase, when set, is checked first.
      ...(answering ? { autoAccept: true } : {}),
    },
    ...(secret ? { authenticate: pakeAuthenticator(secret) } : {}),
  };
  return { source, opts, ...(secret ? { secret } : {}) };
}

const checkPassphrase = checkOfferPassphrase;

/** Is there a terminal for the call screen (and no --headless)? Without one these commands run headless. */
export function wantsTui(a: { headless?: boolean | undefined }, std: { stdin: { isTTY?: boolean }; stdout: { isTTY?: boolean } } = process): boolean {
  return !a.headless && Boolean(std.stdin.isTTY) && Boolean(std.stdout.isTTY);
}

/** An offer code checked before answering it: integrity, expiry, the passphrase rule, and not answered before (remembered). */
export function checkOfferCode(a: SignalCallArgs, text: string, env: NodeJS.ProcessEnv = process.env): CallCode {
  const offer = decodeCallCode(text, 'offer');
  checkPassphrase(offer, checkSecret(a.secret).secret);
  new AnsweredCodes(answeredFile(env)).claim(offer);
  return offer;
}

/** The call screen's options for a WebRTC call: the start, the ICE servers, where codes are written (next to the log). */
export function webrtcTuiOptions(base: TuiOptions, a: IceArgs, webrtc: WebrtcStart, env: NodeJS.ProcessEnv = process.env): TuiOptions {
  return { ...base, webrtc, ice: iceConfig(a), codeDir: dirname(defaultLogFile(env)) };
}

/** ssh:// options as the call side takes them. */
export function sshCallOptions(a: SignalCallArgs): { sshCommand?: string[]; remoteCommand?: string } {
  return { ...(a.sshCommand ? { sshCommand: a.sshCommand.split(/\s+/).filter(Boolean) } : {}), ...(a.sshRemoteCommand ? { remoteCommand: a.sshRemoteCommand } : {}) };
}

/** Run a connected session until it ends or a stop signal comes; stats lines on stderr. */
async function runSession(session: Session, signals: ReturnType<typeof watchStopSignals>): Promise<number> {
  const closed = new Promise<{ error?: ProtocolError }>((r) => session.once('close', (info) => r(info)));
  session.on('stats', (s) => say(`stats: ${formatStatsLine(s)}`));
  const peer = await Promise.race([session.established, closed.then(() => null), signals.stopped.then(() => null)]);
  if (peer) say(`connected to ${peer.name} over WebRTC (${session.secure ? 'passphrase proven, encrypted' : 'encrypted, not authenticated'})`);
  const end = await Promise.race([closed, signals.stopped.then(() => null)]);
  session.hangup();
  if (end?.error) throw end.error;
  return signals.code() ?? EXIT.OK;
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
export async function runCodeCall(a: SignalCallArgs): Promise<number> {
  const signals = watchStopSignals();
  const { source, opts, secret } = await setup(a, false);
  try {
    const pending = await offerCall(opts);
    const code = encodeCallCode('offer', pending.blob, { passphrase: secret !== undefined });
    process.stdout.write(`${code}\n`);
    say('send this code to the other side; they run: termcall answer CODE. Paste their answer code here:');
    const check = new AnswerCheck(decodeCallCode(code, 'offer'));
    const line = await Promise.race([readCodeLine(), signals.stopped.then(() => null)]);
    if (line === null) { pending.cancel(); return signals.code() ?? EXIT.OK; }
    const answer = check.take(line);
    say('answer taken: connecting …');
    return await runSession(await pending.complete(answer.blob), signals);
  } finally {
    signals.dispose();
    await source.close().catch(() => undefined);
  }
}

/** `termcall answer CODE`: check the code (expiry, integrity, replay), print the answer code, run the call. */
export async function runAnswerCode(a: SignalCallArgs, text: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const offer = checkOfferCode(a, text, env);
  const signals = watchStopSignals();
  const { source, opts } = await setup(a, true);
  try {
    const pending = await answerCall(offer.blob, opts);
    process.stdout.write(`${encodeCallCode('answer', pending.blob, { offer })}\n`);
    say('send this answer code back to the caller; waiting for the connection …');
    const session = await Promise.race([pending.session, signals.stopped.then(() => null)]);
    if (!session) { pending.cancel(); return signals.code() ?? EXIT.OK; }
    return await runSession(session, signals);
  } finally {
    signals.dispose();
    await source.close().catch(() => undefined);
  }
}

/** `termcall call ssh://…`: exchange offer and answer through ssh with the termcall waiting there, run the call. */
export async function runSshCall(a: SignalCallArgs, target: SshTarget): Promise<number> {
  const signals = watchStopSignals();
  const { source, opts, secret } = await setup(a, false);
  try {
    const pending = await offerCall(opts);
    say(`signalling through ssh to ${target.host} …`);
    let answer: Uint8Array;
    try {
      answer = await sshExchange(target, pending.blob, {
        passphrase: secret !== undefined, timeoutMs: SIGNAL_TIMEOUT_MS,
        ...(a.sshCommand ? { sshCommand: a.sshCommand.split(/\s+/).filter(Boolean) } : {}),
        ...(a.sshRemoteCommand ? { remoteCommand: a.sshRemoteCommand } : {}),
      });
    } catch (err) {
      pending.cancel();
      throw err;
    }
    say('answer received over ssh: connecting peer to peer …');
    return await runSession(await pending.complete(answer), signals);
  } finally {
    signals.dispose();
    await source.close().catch(() => undefined);
  }
}

/** `termcall answer` with no code: take calls signalled over ssh (`termcall call ssh://this-host`), one at a time. */
export async function runAnswerSsh(a: SignalCallArgs, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const signals = watchStopSignals();
  const { source, opts } = await setup(a, true);
  let busy = false;
  const sock = await listenSignalSocket(signalSocketPath(env), async (offer) => {
    checkPassphrase(offer, checkSecret(a.secret).secret);
    if (busy) throw new ProtocolError('ERR_CALL_DECLINED', 'busy: already in a call');
    busy = true;
    try {
      const pending = await answerCall(offer.blob, opts);
      pending.session.then((s) => runSession(s, signals), (err: unknown) => say(`termcall: ${String((err as Error).message ?? err)}`))
        .catch((err: unknown) => say(`termcall: ${String((err as Error).message ?? err)}`))
        .finally(() => { busy = false; });
      return pending.blob;
    } catch (err) {
      busy = false;
      throw err;
    }
  });
  say(`waiting for calls signalled over ssh (termcall call ssh://${hostname()}) on ${sock.path}`);
  try {
    await signals.stopped;
    return signals.code() ?? EXIT.OK;
  } finally {
    signals.dispose();
    await sock.close();
    await source.close().catch(() => undefined);
  }
}

/** Reject the options that make no sense here. */
export function usageCheck(code: boolean, peer: string | undefined): void {
  if (code && peer) throw new UsageError('ERR_USAGE', '--code makes a call code instead of calling PEER: give one or the other');
}
