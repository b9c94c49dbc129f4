// A peer in its own process for the kill-mid-frame test: dials argv[2] port, streams video, then on its first
// ack-after-2s starts writing a video message, sends half of it, prints "MID" and waits to be SIGKILLed.
import { connectTcp } from '../../src/transport/connect.js';
import { encodeMessage } from '../../src/protocol/codec.js';
import { Session } from '../../src/call/session.js';
import { makeTestSource } from './net-test-source.js';

const port = Number(process.argv[2]);
const sock = await connectTcp('127.0.0.1', port);
const source = makeTestSource({ width: 320, height: 240, fps: 30 });
const session = new Session(sock, { role: 'dialer', name: 'child', pane: { width: 160, height: 120 }, source });
await session.established;
process.stdout.write('CONNECTED\n');
setTimeout(() => {
  session.setVideoPaused(true);
  // Let frames in flight settle, then leave half a frame on the wire.
  setTimeout(() => {
    const whole = encodeMessage({ type: 'video', seq: 999_999, captureTs: Date.now(), width: 16, height: 16, quality: 50, jpeg: new Uint8Array(20_000) });
    sock.write(whole.subarray(0, 9_000), () => process.stdout.write('MID\n'));
  }, 300);
}, 1500);
