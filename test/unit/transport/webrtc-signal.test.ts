// The signalling blob: a real libdatachannel description round-trips into a few dozen bytes and back into SDP;
// malformed blobs, texts and candidates are refused with ERR_SIGNAL_BLOB; ICE server URLs parse or fail clearly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  blobFromText, blobToText, decodeSignal, encodeSignal, parseCandidate, partsFromSdp, sdpFromParts,
} from '../../../src/transport/webrtc/signal-blob.js';
import { parseStun, parseTurn } from '../../../src/transport/webrtc/ice-servers.js';
import { MAX_SIGNAL_BLOB_BYTES } from '../../../src/shared/limits.js';
import { rtpHeader, rtpPayload } from '../../../src/transport/webrtc/rtp-lane.js';

const SDP = [
  'v=0', 'o=rtc 1243534536 0 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'a=msid-semantic:WMS *',
  'a=ice-options:ice2,trickle',
  'a=fingerprint:sha-256 B2:7F:75:D3:61:9B:B0:10:20:D7:26:D5:FA:0E:C7:9F:A2:BB:7D:AB:D1:52:57:2B:8C:3F:88:C6:72:2E:84:36',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=sendrecv', 'a=sctp-port:5000',
  'a=max-message-size:262144', 'a=setup:actpass', 'a=ice-ufrag:G7Uj', 'a=ice-pwd:N4WSlt5gAxeiVwKrhMH5W3',
  'a=candidate:2 1 UDP 2116026111 fd00::2 57517 typ host', 'a=candidate:1 1 UDP 2114977791 192.0.2.2 57517 typ host',
  'a=candidate:3 1 UDP 1677722111 203.0.113.9 40000 typ srflx raddr 192.0.2.2 rport 57517',
  'a=candidate:4 1 TCP 1010 192.0.2.2 9 typ host tcptype active', 'a=end-of-candidates', '',
].join('\r\n');

test('a description becomes a blob of under 150 bytes and comes back as the same parts and a usable SDP', () => {
  const parts = partsFromSdp(SDP, 'offer');
  assert.equal(parts.candidates.length, 3, 'the TCP candidate is left out');
  const blob = encodeSignal(parts);
  assert.ok(blob.length < 150, `${blob.length} bytes`);
  const back = decodeSignal(blob);
  assert.equal(back.ufrag, 'G7Uj');
  assert.deepEqual(back.candidates.map((c) => [c.type, c.port]), [['host', 57517], ['host', 57517], ['srflx', 40000]]);
  assert.equal(back.candidates[0]?.address, 'fd00:0:0:0:0:0:0:2');
  const sdp = sdpFromParts(back);
  assert.match(sdp, /a=fingerprint:sha-256 B2:7F:75/);
  assert.match(sdp, /a=candidate:3 1 UDP 1677722111 203\.0\.113\.9 40000 typ srflx raddr 0\.0\.0\.0 rport 0/);
  assert.deepEqual(blobFromText(blobToText(blob)), blob);
});

test('a description with no data channel is refused with a clear error', () => {
  const audioOnly = SDP.replace('m=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'm=audio 9 UDP/TLS/RTP/SAVPF 111');
  assert.throws(() => partsFromSdp(audioOnly, 'offer'), { code: 'ERR_SIGNAL_BLOB', message: /no data channel/ });
});

test('every cut of a blob, a flipped magic, a bad version, trailing bytes and an oversized blob are refused', () => {
  const blob = encodeSignal(partsFromSdp(SDP, 'answer'));
  for (let n = 0; n < blob.length; n++) assert.throws(() => decodeSignal(blob.subarray(0, n)), { code: 'ERR_SIGNAL_BLOB' });
  const flip = (i: number, v: number): Uint8Array => { const c = Uint8Array.from(blob); c[i] = v; return c; };
  assert.throws(() => decodeSignal(flip(0, 0)), { code: 'ERR_SIGNAL_BLOB', message: /not a termcall/ });
  assert.throws(() => decodeSignal(flip(2, 9)), { code: 'ERR_SIGNAL_BLOB', message: /version 9/ });
  assert.throws(() => decodeSignal(flip(3, 7)), { code: 'ERR_SIGNAL_BLOB' });
  assert.throws(() => decodeSignal(Uint8Array.of(...blob, 0)), { code: 'ERR_SIGNAL_BLOB', message: /too many/ });
  assert.throws(() => decodeSignal(new Uint8Array(MAX_SIGNAL_BLOB_BYTES + 1)), { code: 'ERR_SIGNAL_BLOB', message: /more than/ });
  assert.throws(() => blobFromText('not base64!'), { code: 'ERR_SIGNAL_BLOB' });
  assert.throws(() => blobFromText('  '), { code: 'ERR_SIGNAL_BLOB' });
});

test('malformed candidates are refused; TCP, RTCP and hostname candidates are skipped', () => {
  assert.throws(() => parseCandidate('candidate:1 1 UDP'), { code: 'ERR_SIGNAL_BLOB' });
  assert.throws(() => parseCandidate('candidate:1 1 UDP 12 192.0.2.1 99999 typ host'), { code: 'ERR_SIGNAL_BLOB', message: /port/ });
  assert.throws(() => parseCandidate('candidate:1 1 UDP 12 192.0.2.1 9 typ bogus'), { code: 'ERR_SIGNAL_BLOB', message: /type/ });
  assert.equal(parseCandidate('candidate:1 2 UDP 12 192.0.2.1 9 typ host'), null);
  assert.equal(parseCandidate('candidate:1 1 UDP 12 abc.local 9 typ host'), null);
});

test('STUN and TURN URLs: defaults, credentials from the URL or the options, clear errors', () => {
  assert.deepEqual(parseStun('stun:203.0.113.1'), { hostname: '203.0.113.1', port: 3478 });
  assert.deepEqual(parseStun('stun:[2001:db8::1]:3479'), { hostname: '2001:db8::1', port: 3479 });
  assert.deepEqual(parseTurn('turn:u:p%40ss@203.0.113.1:3478'),
    { hostname: '203.0.113.1', port: 3478, username: 'u', password: 'p@ss', relayType: 'TurnUdp' });
  assert.equal(parseTurn('turn:203.0.113.1?transport=tcp', 'u', 'p').relayType, 'TurnTcp');
  assert.equal(parseTurn('turns:turn.example.org', 'u', 'p').port, 5349);
  assert.throws(() => parseTurn('turn:203.0.113.1'), { code: 'ERR_ICE_SERVER', message: /user name and password/ });
  assert.throws(() => parseStun('stun:bad host'), { code: 'ERR_ICE_SERVER' });
  assert.throws(() => parseStun('stun:203.0.113.1:0'), { code: 'ERR_ICE_SERVER', message: /out of range/ });
});

/** SDP with libdatachannel's RTP video section (as an offerer with termcall's track writes it) before the data channel. */
const RTP_SDP = SDP.replace('a=group:BUNDLE 0', 'a=group:BUNDLE 1 0').replace('m=application', [
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'c=IN IP4 0.0.0.0', 'a=mid:1', 'a=sendrecv', 'a=ssrc:1952645121 cname:termcall',
  'a=rtcp-mux', 'a=rtpmap:96 termcall/90000', 'a=setup:actpass', 'a=ice-ufrag:G7Uj', 'a=ice-pwd:N4WSlt5gAxeiVwKrhMH5W3', 'm=application',
].join('\r\n'));

test('a side with the RTP video track says so in its blob; the SDP rebuilt from it has the video section first', () => {
  const parts = partsFromSdp(RTP_SDP, 'offer');
  assert.equal(parts.rtpVideo, true);
  assert.equal(partsFromSdp(SDP, 'offer').rtpVideo, false, 'a browser-like description has no RTP track of ours');
  const back = decodeSignal(encodeSignal(parts));
  assert.equal(back.rtpVideo, true);
  const sdp = sdpFromParts(back);
  assert.match(sdp, /a=group:BUNDLE 1 0/);
  assert.ok(sdp.indexOf('m=video 9 UDP/TLS/RTP/SAVPF 96') < sdp.indexOf('m=application'), 'video first, as libdatachannel orders it');
  assert.match(sdp, /a=rtpmap:96 termcall\/90000/);
  assert.match(sdp, /a=ssrc:1952645121 cname:termcall/, 'the offerer\'s SSRC');
  assert.doesNotMatch(sdpFromParts(decodeSignal(encodeSignal(partsFromSdp(SDP, 'offer')))), /m=video/);
  const flagged = encodeSignal(parts);
  flagged[5] = 0x82;
  assert.throws(() => decodeSignal(flagged), { code: 'ERR_SIGNAL_BLOB', message: /flags 130/ });
});

test('RTP packets: our header round-trips; RTCP, other payload types, CSRCs, extensions, padding and short packets are handled', () => {
  const payload = Buffer.from('fragment bytes');
  const packet = Buffer.concat([rtpHeader(65537, 2 ** 33 + 5, 0x74630001), payload]);
  assert.equal(packet.readUInt16BE(2), 1, 'the sequence number wraps at 16 bits');
  assert.deepEqual(rtpPayload(packet), payload);
  const rtcp = Buffer.from([0x81, 201, 0, 1, 0, 0, 0, 1]);
  assert.equal(rtpPayload(rtcp), null, 'an RTCP receiver report');
  const otherPt = Buffer.from(packet);
  otherPt[1] = 111;
  assert.equal(rtpPayload(otherPt), null);
  assert.equal(rtpPayload(packet.subarray(0, 11)), null);
  const withCsrcAndExt = Buffer.concat([Buffer.from([0x91, 96]), packet.subarray(2, 12), Buffer.alloc(4), Buffer.from([0xbe, 0xde, 0, 1]), Buffer.alloc(4), payload]);
  assert.deepEqual(rtpPayload(withCsrcAndExt), payload);
  const padded = Buffer.concat([Buffer.from([0xa0, 96]), packet.subarray(2), Buffer.from([0, 0, 3])]);
  assert.deepEqual(rtpPayload(padded), payload);
  const overPadded = Buffer.concat([Buffer.from([0xa0, 96]), packet.subarray(2, 12), Buffer.from([200])]);
  assert.equal(rtpPayload(overPadded), null);
});
