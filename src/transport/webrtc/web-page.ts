// The page a browser opens to join a call: camera → canvas → JPEG frames over a data channel speaking the termcall
// protocol (preamble, hello, video, ack, ping/pong, chat, bye); the terminal side's frames drawn in an <img>.
// Plain browser JavaScript in a template; the token of the link is put in by the server.

/** The HTML of the join page for one token. */
export function joinPage(token: string, protocolVersion: number, holdS = 0): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>termcall</title>
<style>body{font:14px sans-serif;background:#111;color:#ddd;margin:8px}#remote{width:480px;height:360px;background:#000;display:block}
#me{width:160px;height:120px}#log{height:80px;overflow:auto;white-space:pre-wrap}</style></head><body>
<div id="status">starting…</div><img id="remote" alt="the terminal side's video"><video id="me" autoplay muted playsinline></video>
<div id="log"></div>${holdS > 0 ? `<img src="/hold/${token}?s=${holdS}" alt="" width="1" height="1">` : ''}<input id="chat" placeholder="chat" size="40"><span id="count"></span>
<script>
const TOKEN = ${JSON.stringify(token)}, VERSION = ${protocolVersion};
const $ = (id) => document.getElementById(id);
const say = (t) => { $('status').textContent = t; };
const log = (t) => { $('log').textContent += t + '\\n'; };
const T = { hello: 1, accept: 2, decline: 3, video: 0x10, ack: 0x11, ping: 0x20, pong: 0x21, resize: 0x30, chat: 0x40, bye: 0x7f };
const enc = new TextEncoder(), dec = new TextDecoder();
function msg(type, body) { const b = new Uint8Array(5 + body.length); const d = new DataView(b.buffer); d.setUint8(0, type); d.setUint32(1, body.length); b.set(body, 5); return b; }
let reliable, lane, active = false, seq = 0, fragId = 0, inFlight = 0, framesIn = 0, framesOut = 0;
function sendLane(m) { const room = 16384 - 8, n = Math.max(1, Math.ceil(m.length / room)), id = fragId++;
  for (let i = 0; i < n; i++) { const part = m.subarray(i * room, (i + 1) * room); const d = new Uint8Array(8 + part.length); const v = new DataView(d.buffer);
    v.setUint32(0, id); v.setUint16(4, i); v.setUint16(6, n); d.set(part, 8); if (lane.readyState === 'open') lane.send(d); } }
function hello() { const name = enc.encode('browser'), r = enc.encode('browser'); const b = new Uint8Array(10 + r.length + name.length); const d = new DataView(b.buffer);
  d.setUint16(0, 480); d.setUint16(2, 360); d.setUint32(4, 1); d.setUint8(8, r.length); b.set(r, 9); d.setUint8(9 + r.length, name.length); b.set(name, 10 + r.length); return msg(T.hello, b); }
let buf = new Uint8Array(0), gotPreamble = false;
function onReliable(data) { const c = new Uint8Array(data); const n = new Uint8Array(buf.length + c.length); n.set(buf); n.set(c, buf.length); buf = n;
  if (!gotPreamble) { if (buf.length < 8) return; gotPreamble = true; buf = buf.subarray(8); }
  while (buf.length >= 5) { const v = new DataView(buf.buffer, buf.byteOffset); const type = v.getUint8(0), len = v.getUint32(1); if (buf.length < 5 + len) return;
    const p = buf.slice(5, 5 + len); buf = buf.subarray(5 + len); handle(type, p); } }
function handle(type, p) { const v = new DataView(p.buffer);
  if (type === T.accept) { active = true; say('in the call'); }
  else if (type === T.decline) { say('the call was declined'); }
  else if (type === T.ping) { const b = new Uint8Array(20); const d = new DataView(b.buffer); d.setUint32(0, v.getUint32(0)); d.setFloat64(4, v.getFloat64(4)); d.setFloat64(12, performance.timeOrigin + performance.now()); reliable.send(msg(T.pong, b)); }
  else if (type === T.chat) { log('them: ' + dec.decode(p)); }
  else if (type === T.bye) { say('call ended: ' + dec.decode(p.subarray(3))); active = false; }
  else if (type === T.video) { onVideo(p); }
  else if (type === T.ack) { inFlight = Math.max(0, inFlight - 1); } }
const parts = new Map(); let lastDone = -1;
function onLane(data) { const d = new Uint8Array(data); if (d.length <= 8) return; const v = new DataView(d.buffer); const id = v.getUint32(0), i = v.getUint16(4), n = v.getUint16(6);
  if (id <= lastDone || i >= n) return; let e = parts.get(id); if (!e) { e = { got: 0, p: new Array(n) }; parts.set(id, e); }
  if (!e.p[i]) { e.p[i] = d.slice(8); e.got++; } if (e.got < n) return;
  for (const k of parts.keys()) if (k <= id) parts.delete(k); lastDone = id;
  let len = 0; for (const x of e.p) len += x.length; const m = new Uint8Array(len); let o = 0; for (const x of e.p) { m.set(x, o); o += x.length; }
  const mv = new DataView(m.buffer); const type = mv.getUint8(0); const body = m.subarray(5); if (type === T.video) onVideo(body); else if (type === T.ack) inFlight = Math.max(0, inFlight - 1); }
let lastUrl = null;
function onVideo(p) { const v = new DataView(p.buffer, p.byteOffset); const s = v.getUint32(0), ts = v.getFloat64(4); const jpeg = p.slice(17);
  const url = URL.createObjectURL(new Blob([jpeg], { type: 'image/jpeg' })); $('remote').src = url; if (lastUrl) URL.revokeObjectURL(lastUrl); lastUrl = url;
  framesIn++; $('count').textContent = ' frames in ' + framesIn + ', out ' + framesOut; document.title = 'termcall frames ' + framesIn;
  const a = new Uint8Array(9); const d = new DataView(a.buffer); d.setUint32(0, s); d.setUint8(4, 0); d.setFloat32(5, performance.timeOrigin + performance.now() - ts); sendLane(msg(T.ack, a)); }
async function sendFrames(video) { const c = document.createElement('canvas'); c.width = 320; c.height = 240; const g = c.getContext('2d');
  setInterval(() => { if (!active || inFlight >= 2 || video.readyState < 2) return; g.drawImage(video, 0, 0, 320, 240);
    c.toBlob(async (b) => { if (!b) return; const jpeg = new Uint8Array(await b.arrayBuffer()); const body = new Uint8Array(17 + jpeg.length); const d = new DataView(body.buffer);
      d.setUint32(0, seq++); d.setFloat64(4, performance.timeOrigin + performance.now()); d.setUint16(12, 320); d.setUint16(14, 240); d.setUint8(16, 60); body.set(jpeg, 17);
      inFlight++; framesOut++; sendLane(msg(T.video, body)); setTimeout(() => { inFlight = Math.max(0, inFlight - 1); }, 600); }, 'image/jpeg', 0.6); }, 66); }
async function start() {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: false });
  $('me').srcObject = stream;
  const pc = new RTCPeerConnection({ iceServers: [] });
  reliable = pc.createDataChannel('termcall', { negotiated: true, id: 0 });
  lane = pc.createDataChannel('termcall-video', { negotiated: true, id: 1, ordered: false, maxRetransmits: 0 });
  reliable.binaryType = lane.binaryType = 'arraybuffer';
  reliable.onmessage = (e) => onReliable(e.data); lane.onmessage = (e) => onLane(e.data);
  reliable.onopen = () => { const pre = new Uint8Array(8); pre.set([0x54, 0x4d, 0x43, 0x4c]); new DataView(pre.buffer).setUint16(4, VERSION); reliable.send(pre); reliable.send(hello()); say('ringing: the terminal side decides…'); };
  reliable.onclose = () => say('disconnected');
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((r) => { if (pc.iceGatheringState === 'complete') r(); pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') r(); }; setTimeout(r, 3000); });
  const res = await fetch('/join/' + TOKEN, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription.sdp });
  if (!res.ok) { say('refused: ' + await res.text()); return; }
  await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
  sendFrames($('me'));
}
$('chat').onkeydown = (e) => { if (e.key === 'Enter' && active) { reliable.send(msg(T.chat, enc.encode(e.target.value))); log('me: ' + e.target.value); e.target.value = ''; } };
start().catch((e) => say('error: ' + e.message));
</script></body></html>`;
}
