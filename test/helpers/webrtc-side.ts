// One side of a two-process WebRTC set-up for tests (node dist/test/helpers/webrtc-side.js offer|answer): blobs as
// "BLOB <base64url>" lines on stdout/stdin, then "OK <path>" once both channels are open or "FAIL <message>".
import readline from 'node:readline';
import { WebrtcPeer } from '../../src/transport/webrtc/peer.js';
import { messageOf } from '../../src/shared/errors.js';

/** Run one side: make or answer the offer, wait for the channels, report, close. */
async function main(role: string): Promise<void> {
  const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const next = async (): Promise<Uint8Array> => Buffer.from(String((await lines.next()).value ?? '').trim(), 'base64url');
  const out = (s: string): void => void process.stdout.write(`${s}\n`);
  let peer: WebrtcPeer | null = null;
  try {
    if (role === 'offer') {
      const o = await WebrtcPeer.offer({});
      peer = o.peer;
      out(`BLOB ${Buffer.from(o.blob).toString('base64url')}`);
      peer.acceptAnswer(await next());
    } else {
      const a = await WebrtcPeer.answer({}, await next());
      peer = a.peer;
      out(`BLOB ${Buffer.from(a.blob).toString('base64url')}`);
    }
    const link = await peer.connected();
    out(`OK ${link.path().candidates}`);
    await new Promise((r) => setTimeout(r, 300)); // let the other side see its channels open too
  } catch (err) {
    out(`FAIL ${messageOf(err)}`);
    process.exitCode = 1;
  } finally {
    peer?.close();
    lines.return?.(undefined).catch(() => undefined);
    setTimeout(() => process.exit(), 200).unref();
  }
}

void main(process.argv[2] ?? '');
