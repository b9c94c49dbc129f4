// The calling end of SSH signalling: run termcall on the other machine through the user's own ssh (keys, config,
// known_hosts), hand it the offer, take its answer. Nothing of ours listens on the network for this.
import { spawn } from 'node:child_process';
import { ProtocolError, messageOf } from '../../shared/errors.js';
import { SIGNAL_TIMEOUT_MS } from '../../shared/limits.js';
import { AnswerCheck, decodeCallCode, encodeCallCode, type SignalBlob } from './call-code.js';
import { LineReader, formatSignalLine, parseSignalLine } from './lines.js';
import { withTimeout } from './serve.js';

/** Where to call: ssh://[user@]host[:port]. */
export interface SshTarget { readonly user?: string; readonly host: string; readonly port?: number }

/** Lines of shell noise (a chatty .bashrc) tolerated before the remote termcall's greeting. */
const MAX_NOISE_LINES = 32;
/** Bytes of ssh's stderr kept for error messages. */
const MAX_STDERR_BYTES = 4096;

/** Parse "ssh://[user@]host[:port]" (IPv6 in brackets); null when it is not an ssh URL; UsageError-free (the CLI words it). */
export function parseSshTarget(url: string): SshTarget | null {
  const m = /^ssh:\/\/(?:([^@/:\s]+)@)?(\[[0-9a-fA-F:.]+\]|[^@/:\s[\]]+)(?::(\d{1,5}))?\/?$/.exec(url);
  if (!m?.[2]) return null;
  const host = m[2].replace(/^\[|\]$/g, '');
  const user = m[1];
  if (host.startsWith('-') || user?.startsWith('-')) return null;
  const port = m[3] ? Number(m[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return null;
  return { host, ...(user ? { user } : {}), ...(port ? { port } : {}) };
}

/** The target as ssh's destination argument. */
function destination(t: SshTarget): string {
  return t.user ? `${t.user}@${t.host}` : t.host;
}

export interface SshSignalOptions {
  /** The ssh program and its own options (default ["ssh"]; e.g. ["ssh", "-J", "jump"]). */
  readonly sshCommand?: readonly string[];
  /** The command run on the other machine (default "termcall signal-answer"). */
  readonly remoteCommand?: string;
  /** The offer says a passphrase is used (the other side must have the same one). */
  readonly passphrase?: boolean;
  readonly timeoutMs?: number;
}

/** The argv that runs the remote side: ssh [opts] -T [-p port] -- dest command. */
export function sshArgv(t: SshTarget, opts: SshSignalOptions = {}): string[] {
  const [cmd = 'ssh', ...rest] = opts.sshCommand ?? ['ssh'];
  return [cmd, ...rest, '-T', ...(t.port ? ['-p', String(t.port)] : []), '--', destination(t), opts.remoteCommand ?? 'termcall signal-answer'];
}

/** Offer → answer through ssh. Rejects with ERR_SIGNAL (ssh failed, no termcall there, bad reply, timeout) or the remote's error. */
export async function sshExchange(t: SshTarget, offer: SignalBlob, opts: SshSignalOptions = {}): Promise<SignalBlob> {
  const where = t.host;
  const [cmd, ...args] = sshArgv(t, opts) as [string, ...string[]];
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => { stderr = (stderr + d).slice(-MAX_STDERR_BYTES); });
  child.stdin.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('exit', (code) => resolve({ code }));
  });
  const reader = new LineReader(child.stdout, `termcall on ${where}`);
  const whyGone = async (): Promise<ProtocolError> => {
    const r = await Promise.race([exited, new Promise<{ code: number | null; error?: Error }>((res) => setTimeout(() => res({ code: null }), 2000))]);
    const last = stderr.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
    if (r.error) return new ProtocolError('ERR_SIGNAL', `cannot run ${cmd}: ${messageOf(r.error)}`);
    if (r.code === 255) return new ProtocolError('ERR_SIGNAL', `ssh to ${where} failed${last ? `: ${last}` : ''}`);
    if (r.code === 127) return new ProtocolError('ERR_SIGNAL', `termcall is not installed on ${where} (or not in the PATH of a non-interactive ssh session): ${last}`);
    return new ProtocolError('ERR_SIGNAL', `the remote side on ${where} ended without answering (exit ${r.code ?? '?'})${last ? `: ${last}` : ''}`);
  };
  const exchange = async (): Promise<SignalBlob> => {
    let line = await reader.next();
    for (let noise = 0; line !== null && parseSignalLine(line).type === 'other' && noise < MAX_NOISE_LINES; noise++) line = await reader.next();
    if (line === null) throw await whyGone();
    const hello = parseSignalLine(line);
    if (hello.type === 'error') throw new ProtocolError(hello.code, `${where}: ${hello.text}`);
    if (hello.type !== 'hello') throw new ProtocolError('ERR_SIGNAL', `${where} did not greet like termcall (got "${line.slice(0, 60)}")`);
    if (hello.version !== 1) throw new ProtocolError('ERR_VERSION_MISMATCH', `${where} speaks signalling version ${hello.version}; this side speaks 1`);
    const code = encodeCallCode('offer', offer, { passphrase: opts.passphrase ?? false });
    const check = new AnswerCheck(decodeCallCode(code, 'offer'));
    child.stdin.write(formatSignalLine({ type: 'offer', code }));
    const reply = await reader.next();
    if (reply === null) throw await whyGone();
    const r = parseSignalLine(reply);
    if (r.type === 'error') throw new ProtocolError(r.code, `${where}: ${r.text}`);
    if (r.type !== 'answer') throw new ProtocolError('ERR_SIGNAL', `${where} answered "${reply.slice(0, 60)}" instead of ANSWER`);
    const answer = check.take(r.code);
    child.stdin.end(formatSignalLine({ type: 'bye' }));
    return answer.blob;
  };
  try {
    return await withTimeout(exchange(), opts.timeoutMs ?? SIGNAL_TIMEOUT_MS, `no answer from ${where}`);
  } finally {
    child.stdin.end();
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
    if (!done) child.kill('SIGTERM');
  }
}
