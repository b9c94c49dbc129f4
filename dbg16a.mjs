import { offerCall, answerCall } from './dist/src/transport/webrtc/call.js';
import { encodeCallCode, decodeCallCode } from './dist/src/transport/signal/call-code.js';
import { dial, listen } from './dist/src/transport/connect.js';
const offer = await offerCall({ ice: {}, call: { name: 'a', pane: { width: 0, height: 0 } } });
const ans = await answerCall(offer.blob, { ice: {}, call: { name: 'b', pane: { width: 0, height: 0 }, autoAccept: true } });
const oc = encodeCallCode('offer', offer.blob, { passphrase: true });
const ac = encodeCallCode('answer', ans.blob, { offer: decodeCallCode(oc, 'offer') });
console.log('offer blob', offer.blob.length, 'B -> code', oc.length, 'chars; answer blob', ans.blob.length, 'B -> code', ac.length, 'chars');
offer.cancel(); ans.cancel();
const secret = 'correct horse battery staple orbit';
const l = await listen({ port: 0, host: '127.0.0.1', call: { name: 'L', pane: { width: 0, height: 0 }, autoAccept: true }, secret });
const times = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  const d = await dial('127.0.0.1', l.address().port, { name: 'D', pane: { width: 0, height: 0 }, secret });
  times.push(performance.now() - t0);
  d.hangup();
}
times.sort((a, b) => a - b);
console.log('secure dial (TCP + CPace + TLS) ms: median', times[5].toFixed(1), 'min', times[0].toFixed(1), 'max', times[9].toFixed(1));
await l.close();
process.exit(0);
