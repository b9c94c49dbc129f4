// `termcall signal-answer`: what `termcall call ssh://…` runs on the other machine through ssh.
import { relaySignal, signalSocketPath } from '../../transport/signal/local.js';

/** Relay ssh's stdin/stdout to the termcall waiting for calls on this machine; 1 when none is. */
export function runSignalAnswer(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return relaySignal(signalSocketPath(env), process.stdin, process.stdout);
}
