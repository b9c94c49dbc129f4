// Compares the two WebRTC stacks on loopback (connect time, throughput, CPU) so docs/webrtc.md can say why one was
// chosen. Usage: node scripts/webrtc-lib-bench.mjs [ndc|werift] (no argument: both, each in its own process).
import { spawnSync } from 'node:child_process';
/* global performance, Buffer, setInterval, clearInterval */
import { fileURLToPath } from 'node:url';

const TOTAL_BYTES = 32 * 1024 * 1024;
const MSG_BYTES = 16 * 1024;
const ROUNDS = 3;

// One connect + bulk transfer with node-datachannel's native API.
async function runNdc() {
  const ndc = (await import('node-datachannel')).default;
  const t0 = performance.now();
  const a = new ndc.PeerConnection('a', { iceServers: [] });
  const b = new ndc.PeerConnection('b', { iceServers: [] });
  a.onLocalDescription((sdp, type) => b.setRemoteDescription(sdp, type));
  a.onLocalCandidate((c, mid) => b.addRemoteCandidate(c, mid));
  b.onLocalDescription((sdp, type) => a.setRemoteDescription(sdp, type));
  b.onLocalCandidate((c, mid) => a.addRemoteCandidate(c, mid));
  let got = 0;
  let done;
  const finished = new Promise((r) => { done = r; });
  const keep = []; // a channel nothing references is garbage-collected and closes
  b.onDataChannel((dc) => { keep.push(dc); dc.onMessage((m) => { got += m.byteLength ?? m.length; if (got >= TOTAL_BYTES) done(); }); });
  const dc = a.createDataChannel('x');
  await new Promise((r) => dc.onOpen(r));
  const connectMs = performance.now() - t0;
  const buf = Buffer.alloc(MSG_BYTES, 7);
  const c0 = process.cpuUsage();
  const s0 = performance.now();
  dc.setBufferedAmountLowThreshold(256 * 1024);
  let sent = 0;
  const pump = () => { while (sent < TOTAL_BYTES && dc.bufferedAmount() < 1024 * 1024) { dc.sendMessageBinary(buf); sent += MSG_BYTES; } };
  dc.onBufferedAmountLow(pump);
  pump();
  const guard = setInterval(pump, 20);
  await finished;
  clearInterval(guard);
  const ms = performance.now() - s0;
  const cpu = process.cpuUsage(c0);
  dc.close(); for (const k of keep) k.close(); a.close(); b.close();
  return { connectMs, mbitPerS: (TOTAL_BYTES * 8) / 1e6 / (ms / 1000), cpuMsPerMB: (cpu.user + cpu.system) / 1000 / (TOTAL_BYTES / 1048576) };
}

// The same with werift's W3C-style API.
async function runWerift() {
  const { RTCPeerConnection } = await import('werift');
  const t0 = performance.now();
  const a = new RTCPeerConnection({});
  const b = new RTCPeerConnection({});
  a.onIceCandidate.subscribe((c) => { if (c) void b.addIceCandidate(c); });
  b.onIceCandidate.subscribe((c) => { if (c) void a.addIceCandidate(c); });
  let got = 0;
  let done;
  const finished = new Promise((r) => { done = r; });
  b.onDataChannel.subscribe((dc) => dc.onMessage.subscribe((m) => { got += m.length; if (got >= TOTAL_BYTES) done(); }));
  const dc = a.createDataChannel('x');
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  await new Promise((r) => dc.stateChanged.subscribe((s) => { if (s === 'open') r(); }));
  const connectMs = performance.now() - t0;
  const buf = Buffer.alloc(MSG_BYTES, 7);
  const c0 = process.cpuUsage();
  const s0 = performance.now();
  dc.bufferedAmountLowThreshold = 256 * 1024;
  let sent = 0;
  const pump = () => { while (sent < TOTAL_BYTES && dc.bufferedAmount < 1024 * 1024) { dc.send(buf); sent += MSG_BYTES; } };
  dc.bufferedAmountLow.subscribe(pump);
  pump();
  const guard = setInterval(pump, 20);
  await finished;
  clearInterval(guard);
  const ms = performance.now() - s0;
  const cpu = process.cpuUsage(c0);
  await a.close(); await b.close();
  return { connectMs, mbitPerS: (TOTAL_BYTES * 8) / 1e6 / (ms / 1000), cpuMsPerMB: (cpu.user + cpu.system) / 1000 / (TOTAL_BYTES / 1048576) };
}

const which = process.argv[2];
if (which) {
  const out = [];
  for (let i = 0; i < ROUNDS; i++) out.push(which === 'ndc' ? await runNdc() : await runWerift());
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
} else {
  const me = fileURLToPath(import.meta.url);
  for (const lib of ['ndc', 'werift']) {
    const r = spawnSync(process.execPath, [me, lib], { encoding: 'utf8', timeout: 180_000 });
    const rounds = JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]');
    const med = (k) => rounds.map((x) => x[k]).sort((x, y) => x - y)[Math.floor(rounds.length / 2)];
    process.stdout.write(`${lib}: connect ${med('connectMs').toFixed(0)} ms, ${med('mbitPerS').toFixed(0)} Mbit/s, ${med('cpuMsPerMB').toFixed(1)} CPU-ms per MB (median of ${rounds.length}) ${r.stderr.slice(0, 300)}\n`);
  }
}
