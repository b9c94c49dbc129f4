// Fuzz cases for the call session: a Session under test over an in-memory Duplex pair, its peer played by a script of
// plausible messages for the other role (preamble, HELLO, accept or decline, ringing and active traffic, a bye) with
// the wire mutations applied. Between chunks the test side accepts, declines, chats, resizes, pauses or hangs up.
// Checked: the session always closes once its peer is gone, with a coded TermcallError or none; what it writes is
// valid protocol (HELLO first, nothing after its BYE); an unmutated script reaches the state it should.
import { Duplex } from 'node:stream';
import { Session, type CloseInfo, type SessionRole, type SessionState } from '../../src/call/session.js';
import { encodePreamble } from '../../src/protocol/codec.js';
import { WireDecoder } from '../../src/protocol/decoder.js';
import type { DecodedItem, MsgName } from '../../src/protocol/messages.js';
import { ERROR_CODES, TermcallError } from '../../src/shared/errors.js';
import type { Frame } from '../../src/shared/frame.js';
import { chunked, FuzzFailure, int, maybeTruncate, pick, weighted, type Rand } from './net-fuzz-common.js';
import { messageSegment, mutateSegments, randomMessage, type Segment } from './net-fuzz-wire.js';

/** Two Duplex ends joined in memory: what one writes the other reads; ending or destroying one ends the other. */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const eof = [false, false];
  const make = (i: number): Duplex => new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      const other = ends[1 - i];
      if (other && !other.destroyed && !eof[1 - i]) other.push(chunk);
      cb();
    },
    final(cb) {
      const other = ends[1 - i];
      if (other && !other.destroyed && !eof[1 - i]) { eof[1 - i] = true; other.push(null); }
      cb();
    },
    destroy(err, cb) {
      const other = ends[1 - i];
      if (other && !other.destroyed) other.destroy();
      cb(err);
    },
  });
  ends.push(make(0), make(1));
  return [ends[0] as Duplex, ends[1] as Duplex];
}

const RINGING: MsgName[] = ['ping', 'pong', 'resize', 'videoState', 'chat'];
const ACTIVE: MsgName[] = ['video', 'ping', 'pong', 'resize', 'videoState', 'chat'];
const ALL: MsgName[] = ['hello', 'accept', 'decline', 'video', 'ack', 'ping', 'pong', 'resize', 'videoState', 'chat', 'bye'];

/** What the peer does about the call: the listener peer accepts, declines or never answers. */
type PeerAnswer = 'accept' | 'decline' | 'none';

/** A plausible stream from a peer of the given role. */
function peerScript(r: Rand, peerRole: SessionRole, answer: PeerAnswer): Segment[] {
  const segs: Segment[] = [{ kind: 'preamble', bytes: encodePreamble() }, messageSegment(randomMessage(r, 'hello'))];
  for (let n = int(r, 4); n > 0; n--) segs.push(messageSegment(randomMessage(r, pick(r, RINGING))));
  if (peerRole === 'listener' && answer !== 'none') segs.push(messageSegment(randomMessage(r, answer)));
  if (peerRole === 'dialer' || answer === 'accept') for (let n = int(r, 9); n > 0; n--) segs.push(messageSegment(randomMessage(r, pick(r, ACTIVE))));
  if (r() < 0.3) segs.push(messageSegment(randomMessage(r, 'bye')));
  return segs;
}

/** A stand-in for the media worker's JPEG decoder: a tiny frame, or a failure for JPEGs starting with 0xff. */
function fakeDecode(jpeg: Uint8Array): Promise<Frame> {
  if (jpeg[0] === 0xff) return Promise.reject(new Error('not a JPEG'));
  return Promise.resolve({ data: new Uint8Array(12), width: 2, height: 2, captureTs: 0, seq: 0 });
}

const ORDER: Record<SessionState, number> = { handshake: 0, ringing: 1, active: 2, closed: 3 };

/** Outcome of one session case: "<deepest state reached>→<close error code, or who ended it and why>". */
export async function runSessionCase(r: Rand, seed: number): Promise<{ outcome: string; detail?: string }> {
  const role: SessionRole = r() < 0.5 ? 'dialer' : 'listener';
  const peerRole: SessionRole = role === 'dialer' ? 'listener' : 'dialer';
  const autoAccept = role === 'listener' && r() < 0.4;
  const onIncoming = weighted(r, { acceptNow: 5, acceptLater: 2, decline: 2, ignore: 1 });
  const answer = weighted(r, { accept: 7, decline: 1.5, none: 1.5 }) as PeerAnswer;
  const mutate = r() >= 0.12;
  const script = peerScript(r, peerRole, answer);
  const segs = mutate ? mutateSegments(r, script, () => messageSegment(randomMessage(r, pick(r, ALL))), r() < 0.65 ? 2 : 1).segments : script;
  const { bytes, truncated } = mutate ? maybeTruncate(r, Buffer.concat(segs.map((s) => s.bytes)), segs[segs.length - 1]?.bytes.length ?? 0) : { bytes: Buffer.concat(segs.map((s) => s.bytes)), truncated: false };
  const end = weighted(r, { eof: 85, reset: 10, destroy: 5 });

  const [mine, theirs] = duplexPair();
  const out = new WireDecoder();
  const written: DecodedItem[] = [];
  let badOutput: unknown = null;
  theirs.on('data', (c: Buffer) => {
    try { written.push(...out.push(c)); } catch (err) { badOutput ??= err; }
  });
  theirs.on('error', () => undefined);
  const session = new Session(mine, { role, name: 'fuzz', pane: { width: 160, height: 120 }, decode: fakeDecode, autoAccept, label: `fuzz ${seed}` });
  let deepest = 'handshake' as SessionState;
  const reached = (): void => { if (session.state !== 'closed' && ORDER[session.state] > ORDER[deepest]) deepest = session.state; };
  session.on('ringing', reached).on('connected', reached).on('handshake', reached);
  session.on('incoming', () => {
    reached();
    if (onIncoming === 'acceptNow') session.accept();
    else if (onIncoming === 'decline') session.decline(r() < 0.5 ? 'busy' : 'declined');
    else if (onIncoming === 'acceptLater') setImmediate(() => session.accept());
  });
  let hungUp = false;
  // Half the time the peer writes message by message (as a real peer's socket often delivers them), else any chunking.
  const chunks = r() < 0.5 ? bySegment(bytes, segs) : chunked(r, bytes);
  for (const c of chunks) {
    if (session.isClosed()) break;
    theirs.write(c);
    const act = r();
    if (act < 0.03) session.sendChat('hi ✓');
    else if (act < 0.06) session.resize(int(r, 4097), int(r, 4097));
    else if (act < 0.08) session.setVideoPaused(r() < 0.5);
    else if (act < 0.085 && session.state !== 'handshake') { session.hangup('fuzz hangup'); hungUp = true; }
    if (r() < 0.25) await new Promise((res) => setImmediate(res));
  }
  if (end === 'eof') theirs.end();
  else if (end === 'reset') mine.destroy(new Error('read ECONNRESET'));
  else theirs.destroy();

  let guard: NodeJS.Timeout | undefined;
  const info = await Promise.race([session.closed, new Promise<null>((res) => { guard = setTimeout(() => res(null), 3_000); })]);
  clearTimeout(guard);
  if (info === null) throw new FuzzFailure(`session seed ${seed}: still ${session.state} 3 s after its peer went away`);
  await new Promise((res) => setImmediate(res));
  check(seed, session, info, written, badOutput);
  if (!mutate && !truncated && !hungUp && end === 'eof') {
    const want = role === 'dialer'
      ? (answer === 'accept' ? 'active' : 'ringing')
      : (autoAccept || onIncoming === 'acceptNow' ? 'active' : null);
    if (want !== null && deepest !== want) throw new FuzzFailure(`session seed ${seed}: a valid ${peerRole} peer left the ${role} in ${deepest}, not ${want}`);
  }
  const how = info.error ? info.error.code : `${info.byPeer ? 'peer' : 'local'} ${info.reason}`;
  return { outcome: `${deepest}→${how}`, ...(info.error ? { detail: info.error.message } : {}) };
}

/** Splits a (possibly truncated) stream at its segments' boundaries. */
function bySegment(bytes: Buffer, segs: readonly Segment[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const s of segs) {
    if (at >= bytes.length) break;
    out.push(bytes.subarray(at, at + s.bytes.length));
    at += s.bytes.length;
  }
  return out;
}

/** The invariants every session case must keep, whatever its peer sent. */
function check(seed: number, session: Session, info: CloseInfo, written: DecodedItem[], badOutput: unknown): void {
  const fail = (what: string): never => { throw new FuzzFailure(`session seed ${seed}: ${what}`); };
  if (session.state !== 'closed') fail(`state ${session.state} after close`);
  if (info.error && (!(info.error instanceof TermcallError) || !(info.error.code in ERROR_CODES))) fail(`closed with ${String(info.error)}`);
  if (badOutput) fail(`wrote bytes its own decoder refuses: ${String(badOutput)}`);
  if (written[0]?.type !== 'preamble' || written[1]?.type !== 'hello') fail('did not start with preamble + HELLO');
  const bye = written.findIndex((m) => m.type === 'bye');
  if (bye >= 0 && bye !== written.length - 1) fail(`wrote ${written[bye + 1]?.type} after its BYE`);
}
