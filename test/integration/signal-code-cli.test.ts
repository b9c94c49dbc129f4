// Call codes between two real termcall processes through pipes: the offer code goes from the caller's stdout to
// `termcall answer CODE`, the answer code from its stdout to the caller's stdin; the WebRTC call connects with the
// passphrase proven, video flows both ways. A replayed, altered or expired code is refused with a clear message.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { packageRoot } from '../../src/shared/paths.js';
import { encodeCallCode } from '../../src/transport/signal/call-code.js';
import { TERMCALL, isolatedEnv, startTermcall } from '../helpers/termcall-process.js';

const SECRET = 'correct horse battery staple orbit';

/** `termcall call --code` with a stdin pipe; output collected. */
function caller(t: { after(fn: () => void): void }, env: NodeJS.ProcessEnv, args: string[]) {
  const child = spawn(process.execPath, [TERMCALL, 'call', '--code', ...args], { cwd: packageRoot(), env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr.setEncoding('utf8').on('data', (s: string) => { err += s; });
  const ended = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  return { child, out: () => out, err: () => err, ended };
}

/** Wait (bounded) until get() matches re. */
async function until(get: () => string, re: RegExp, ms: number, what: string): Promise<RegExpExecArray> {
  const end = Date.now() + ms;
  for (;;) {
    const m = re.exec(get());
    if (m) return m;
    if (Date.now() > end) throw new Error(`${what}: ${re} not seen within ${ms} ms:\n${get()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('call --code | answer CODE | back to the caller: a WebRTC call with the passphrase proven, frames both ways', { timeout: 90_000 }, async (t) => {
  const envA = isolatedEnv(t);
  const envB = isolatedEnv(t);
  const a = caller(t, envA, ['--source', 'test', '--name', 'alice', '--secret', SECRET, '--fps', '10']);
  const offer = (await until(a.out, /^(tco1[0-9a-z]+)$/m, 30_000, 'offer code'))[1] ?? '';
  assert.ok(offer.length < 400, `the offer code is ${offer.length} characters`);
  const b = startTermcall(t, envB, ['answer', offer, '--source', 'test', '--name', 'bob', '--secret', SECRET, '--fps', '10']);
  const answer = (await b.waitOut(/^(tca1[0-9a-z]+)$/m, 30_000))[1] ?? '';
  a.child.stdin.write(`${answer}\n`);
  await until(a.err, /connected to bob over WebRTC \(passphrase proven, encrypted\)/, 30_000, 'caller connected');
  await until(b.stderr, /connected to alice over WebRTC \(passphrase proven, encrypted\)/, 30_000, 'answerer connected');
  // Stats lines: both directions carry frames on the direct path.
  await until(a.err, /stats: tx [1-9][\d.]*fps.*\| rx [1-9][\d.]*fps.*direct/, 30_000, 'caller stats with frames both ways');
  await until(b.stderr, /stats: tx [1-9][\d.]*fps.*\| rx [1-9][\d.]*fps.*direct/, 30_000, 'answerer stats with frames both ways');
  a.child.kill('SIGTERM');
  assert.equal(await a.ended, 143);
  const endB = await b.waitEnd(20_000);
  assert.ok(endB.code === 0 || endB.code === 143, `answerer exit ${endB.code}`);

  // The same offer code again (replayed): refused, from the answered-codes file.
  const again = startTermcall(t, envB, ['answer', offer, '--source', 'test', '--secret', SECRET]);
  assert.equal((await again.waitEnd(20_000)).code, 1);
  assert.match(again.stderr(), /already answered .* ago: each code is good for one call.*ERR_CALL_CODE_REPLAYED/s);
});

test('answer refuses an altered code, an expired code and a passphrase mismatch, each with a clear message', { timeout: 60_000 }, async (t) => {
  const env = isolatedEnv(t);
  const code = encodeCallCode('offer', Uint8Array.from(Buffer.from('TW not a real offer')), { passphrase: true });
  const altered = code.slice(0, 12) + (code[12] === 'a' ? 'b' : 'a') + code.slice(13);
  const expired = encodeCallCode('offer', Uint8Array.of(1, 2, 3), { nowS: Math.floor(Date.now() / 1000) - 3600 });
  const cases: [string[], RegExp][] = [
    [['answer', altered, '--secret', SECRET], /damaged or was altered.*ERR_CALL_CODE/s],
    [['answer', expired], /expired 50 min ago.*ask for a new one.*ERR_CALL_CODE_EXPIRED/s],
    [['answer', code], /uses a passphrase: answer with the same --secret.*ERR_PEER_NEEDS_SECRET/s],
    [['answer', 'hello'], /not a termcall call code.*ERR_CALL_CODE/s],
  ];
  for (const [args, re] of cases) {
    const p = startTermcall(t, env, args);
    const end = await p.waitEnd(20_000);
    assert.equal(end.code, 1, `${args[1]?.slice(0, 10)}: exit ${end.code}\n${p.stderr()}`);
    assert.match(p.stderr(), re);
  }
});
