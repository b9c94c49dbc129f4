// Two-process WebRTC set-ups on this machine, many in a row: every one connects. Before the answerer held the
// offerer's host candidates back (peer.ts setRemote), about one in three failed here: the answerer's checks reached
// the offerer before its answer did, and libdatachannel ran DTLS before storing the answer's fingerprint
// ("certificate verify failed", then "no candidate pair worked" on both sides). No retry hides a failure here.
// Some answers come 5 s late, as a pasted answer code may: the hold lasts WEBRTC_HOST_CANDIDATE_HOLD_MS (30 s).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import { waitForText } from '../helpers/child.js';
import { packageRoot } from '../../src/shared/paths.js';

const SIDE = path.join('dist', 'test', 'helpers', 'webrtc-side.js');
const SETUPS = 12;

interface Side { readonly child: ChildProcess; out(): string; readonly done: Promise<unknown> }

/** Start one side with its stdin open (killed when the test ends). */
function side(t: TestContext, role: 'offer' | 'answer'): Side {
  const child = spawn(process.execPath, [SIDE, role], { cwd: packageRoot(), stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr.setEncoding('utf8').on('data', (s: string) => { out += s; });
  return { child, out: () => out, done: new Promise((r) => child.on('exit', r)) };
}

/** The first "BLOB …" line's text. */
async function blob(c: Side): Promise<string> {
  return (await waitForText(c.out, /^BLOB (\S+)$/m, 20_000))[1] ?? '';
}

/** One set-up: offer → answer → offerer; both report OK or FAIL (bounded). */
async function setup(t: TestContext, answerDelayMs: number): Promise<string | null> {
  const o = side(t, 'offer');
  const a = side(t, 'answer');
  a.child.stdin?.write(`${await blob(o)}\n`);
  const answer = await blob(a);
  await new Promise((r) => setTimeout(r, answerDelayMs)); // the answer travels (a file polled, a pasted code)
  o.child.stdin?.write(`${answer}\n`);
  const results = await Promise.all([o, a].map((c) => waitForText(c.out, /^(OK|FAIL) .*$/m, 30_000).then((m) => m[0])));
  await Promise.all([o.done, a.done]);
  return results.every((r) => r.startsWith('OK')) ? null : `offerer: ${results[0]} | answerer: ${results[1]}`;
}

test(`${SETUPS} two-process WebRTC set-ups in a row all connect (no DTLS "certificate verify failed" race)`, { timeout: 240_000 }, async (t) => {
  const failures: string[] = [];
  for (let i = 0; i < SETUPS; i++) {
    // Most answers take a while to arrive, as a pasted code does: the answerer's checks then have time to reach the
    // offerer first. With the hold at 2 s, 4 of 8 set-ups whose answer came 5 s late failed.
    const why = await setup(t, [0, 400, 5000][i % 3] as number);
    if (why) failures.push(`set-up ${i}: ${why}`);
  }
  assert.deepEqual(failures, [], `${failures.length} of ${SETUPS} set-ups failed`);
});
