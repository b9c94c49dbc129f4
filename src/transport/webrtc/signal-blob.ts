// The signalling blob: a WebRTC offer or answer in a few dozen bytes (ICE credentials, the DTLS fingerprint, the
// candidates), and the SDP rebuilt from it. Pure: no sockets. Layout in docs/webrtc.md.
import { isIP } from 'node:net';
import { ProtocolError } from '../../shared/errors.js';
import { MAX_SIGNAL_BLOB_BYTES, MAX_SIGNAL_CANDIDATES } from '../../shared/limits.js';

/** What 16a's codes and SSH signalling carry: opaque bytes. */
export type SignalBlob = Uint8Array;

/** First bytes of every blob ("TW"), then the layout version. */
const BLOB_MAGIC = [0x54, 0x57] as const;
const BLOB_VERSION = 2;
/** Flag bits (version 2): the side carries video as RTP on a media track (see rtp-lane.ts). */
const FLAG_RTP_VIDEO = 1;
/** The RTP video section both termcall sides describe: its mid, payload type and codec name, and each role's SSRC. */
export const RTP_VIDEO_MID = '1';
export const RTP_PAYLOAD_TYPE = 96;
export const RTP_CODEC = 'termcall';
export const RTP_SSRC = { offer: 0x74630001, answer: 0x74630002 } as const;
const KINDS = ['offer', 'answer'] as const;
const SETUPS = ['actpass', 'active', 'passive'] as const;
const CAND_TYPES = ['host', 'srflx', 'prflx', 'relay'] as const;
/** ICE ufrag/pwd characters (RFC 8839 ice-char). */
const ICE_CHARS = /^[A-Za-z0-9+/]+$/;

export type CandidateType = (typeof CAND_TYPES)[number];

/** One UDP ICE candidate (component 1). */
export interface Candidate {
  readonly type: CandidateType;
  readonly address: string;
  readonly port: number;
  readonly priority: number;
  readonly foundation: string;
}

/** The parts of a description the other side needs. */
export interface SignalParts {
  readonly kind: (typeof KINDS)[number];
  readonly setup: (typeof SETUPS)[number];
  readonly ufrag: string;
  readonly pwd: string;
  /** SHA-256 fingerprint of the DTLS certificate, 32 bytes. */
  readonly fingerprint: Uint8Array;
  readonly maxMessageBytes: number;
  /** The side has an RTP media track for video (termcall only; a browser's description has none). */
  readonly rtpVideo: boolean;
  readonly candidates: readonly Candidate[];
}

/** Throw ERR_SIGNAL_BLOB. */
function bad(what: string): never {
  throw new ProtocolError('ERR_SIGNAL_BLOB', what);
}

/** The fingerprint as SDP writes it: "AB:CD:…". */
export function fingerprintText(fp: Uint8Array): string {
  return [...fp].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** Parse one "candidate:…" attribute (with or without "a="); null for what the blob does not carry (TCP, mDNS, RTCP). */
export function parseCandidate(line: string): Candidate | null {
  const f = line.replace(/^a=/, '').replace(/^candidate:/, '').trim().split(/\s+/);
  if (f.length < 8 || f[6] !== 'typ') bad(`candidate "${line.slice(0, 80)}" is malformed`);
  const [foundation, component, proto, prio, address, portText, , typ] = f as [string, string, string, string, string, string, string, string];
  const port = Number(portText);
  const priority = Number(prio);
  if (!Number.isInteger(port) || port < 0 || port > 65535) bad(`candidate port "${portText}" is out of range`);
  if (!Number.isInteger(priority) || priority < 0 || priority > 0xffffffff) bad(`candidate priority "${prio}" is out of range`);
  if (!(CAND_TYPES as readonly string[]).includes(typ)) bad(`candidate type "${typ}" is unknown`);
  if (!/^[A-Za-z0-9+/]{1,32}$/.test(foundation)) bad(`candidate foundation "${foundation.slice(0, 40)}" is malformed`);
  if (component !== '1' || proto.toUpperCase() !== 'UDP' || isIP(address) === 0) return null;
  return { type: typ as CandidateType, address, port, priority, foundation };
}

/** Pull the blob's parts out of a complete local description (after ICE gathering). */
export function partsFromSdp(sdp: string, kind: SignalParts['kind']): SignalParts {
  const attr = (name: string): string | undefined => sdp.match(new RegExp(`^a=${name}:(.+?)\\r?$`, 'm'))?.[1]?.trim();
  if (!/^m=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel/m.test(sdp)) bad('the description has no data channel (no m=application … webrtc-datachannel line)');
  const fp = attr('fingerprint');
  if (!fp || !/^sha-256 /i.test(fp)) bad('the description has no sha-256 DTLS fingerprint');
  const hex = fp.slice(8).replace(/:/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) bad('the DTLS fingerprint is not 32 hex bytes');
  const setup = attr('setup') ?? 'actpass';
  if (!(SETUPS as readonly string[]).includes(setup)) bad(`a=setup:${setup} is unknown`);
  const candidates: Candidate[] = [];
  for (const m of sdp.matchAll(/^a=(candidate:.+?)\r?$/gm)) {
    const c = parseCandidate(m[1] ?? '');
    if (c && candidates.length < MAX_SIGNAL_CANDIDATES) candidates.push(c);
  }
  return {
    kind, setup: setup as SignalParts['setup'], ufrag: attr('ice-ufrag') ?? bad('the description has no ICE ufrag'),
    pwd: attr('ice-pwd') ?? bad('the description has no ICE password'), fingerprint: Uint8Array.from(Buffer.from(hex, 'hex')),
    maxMessageBytes: Number(attr('max-message-size') ?? 65536), candidates,
    rtpVideo: new RegExp(`^a=rtpmap:${RTP_PAYLOAD_TYPE} ${RTP_CODEC}/90000\\r?$`, 'm').test(sdp),
  };
}

/** Check ufrag/pwd lengths and characters (RFC 8839: ufrag 4–256, pwd 22–256 ice-chars). */
function checkIce(ufrag: string, pwd: string): void {
  if (ufrag.length < 4 || ufrag.length > 255 || !ICE_CHARS.test(ufrag)) bad('the ICE ufrag is malformed');
  if (pwd.length < 22 || pwd.length > 255 || !ICE_CHARS.test(pwd)) bad('the ICE password is malformed');
}

/** Encode the parts as a blob. */
export function encodeSignal(p: SignalParts): SignalBlob {
  checkIce(p.ufrag, p.pwd);
  if (p.fingerprint.length !== 32) bad('the DTLS fingerprint must be 32 bytes (sha-256)');
  const out: number[] = [...BLOB_MAGIC, BLOB_VERSION, KINDS.indexOf(p.kind), SETUPS.indexOf(p.setup), p.rtpVideo ? FLAG_RTP_VIDEO : 0];
  const str = (s: string): void => { out.push(s.length, ...Buffer.from(s, 'latin1')); };
  const u32 = (v: number): void => { out.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255); };
  str(p.ufrag);
  str(p.pwd);
  out.push(...p.fingerprint);
  u32(Math.min(p.maxMessageBytes, 0xffffffff));
  const cands = p.candidates.slice(0, MAX_SIGNAL_CANDIDATES);
  out.push(cands.length);
  for (const c of cands) {
    const v4 = isIP(c.address) === 4;
    out.push(CAND_TYPES.indexOf(c.type), v4 ? 4 : 6, ...(v4 ? c.address.split('.').map(Number) : ipv6Bytes(c.address)));
    out.push((c.port >>> 8) & 255, c.port & 255);
    u32(c.priority);
    str(c.foundation);
  }
  return Uint8Array.from(out);
}

/** Decode a blob, checking every field; throws ERR_SIGNAL_BLOB naming what is wrong. */
export function decodeSignal(blob: Uint8Array): SignalParts {
  if (blob.length > MAX_SIGNAL_BLOB_BYTES) bad(`the signalling blob is ${blob.length} bytes, more than ${MAX_SIGNAL_BLOB_BYTES}`);
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.length);
  let o = 0;
  const need = (n: number): void => { if (o + n > b.length) bad('the signalling blob is cut short'); };
  const u8 = (): number => { need(1); return b[o++] ?? 0; };
  const take = (n: number): Buffer => { need(n); o += n; return b.subarray(o - n, o); };
  const str = (): string => take(u8()).toString('latin1');
  if (u8() !== BLOB_MAGIC[0] || u8() !== BLOB_MAGIC[1]) bad('this is not a termcall signalling blob');
  const version = u8();
  if (version !== BLOB_VERSION) bad(`signalling blob version ${version} is not understood (this side reads ${BLOB_VERSION})`);
  const kind = KINDS[u8()] ?? bad('the blob is neither an offer nor an answer');
  const setup = SETUPS[u8()] ?? bad('the blob\'s DTLS setup role is unknown');
  const flags = u8();
  if ((flags & ~FLAG_RTP_VIDEO) !== 0) bad(`the blob's flags ${flags} carry bits this side does not know`);
  const ufrag = str();
  const pwd = str();
  checkIce(ufrag, pwd);
  const fingerprint = Uint8Array.from(take(32));
  const maxMessageBytes = take(4).readUInt32BE(0);
  const n = u8();
  if (n > MAX_SIGNAL_CANDIDATES) bad(`the blob carries ${n} candidates, more than ${MAX_SIGNAL_CANDIDATES}`);
  const candidates: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const type = CAND_TYPES[u8()] ?? bad(`candidate ${i}'s type is unknown`);
    const fam = u8();
    if (fam !== 4 && fam !== 6) bad(`candidate ${i}'s address family ${fam} is unknown`);
    const ab = take(fam === 4 ? 4 : 16);
    const address = fam === 4 ? [...ab].join('.') : ipv6Text(ab);
    const port = take(2).readUInt16BE(0);
    const priority = take(4).readUInt32BE(0);
    const foundation = str();
    if (!/^[A-Za-z0-9+/]{1,32}$/.test(foundation)) bad(`candidate ${i}'s foundation is malformed`);
    candidates.push({ type, address, port, priority, foundation });
  }
  if (o !== b.length) bad(`the signalling blob has ${b.length - o} bytes too many`);
  return { kind, setup, ufrag, pwd, fingerprint, maxMessageBytes, rtpVideo: (flags & FLAG_RTP_VIDEO) !== 0, candidates };
}

/**
 * The SDP libdatachannel (or a browser) takes for these parts: a data-channel m-line, after the RTP video m-line when
 * the side has one (libdatachannel puts tracks first, and an answer keeps the offer's order), all candidates.
 */
export function sdpFromParts(p: SignalParts): string {
  const transport = [`a=setup:${p.setup}`, `a=ice-ufrag:${p.ufrag}`, `a=ice-pwd:${p.pwd}`];
  const video = p.rtpVideo ? [
    `m=video 9 UDP/TLS/RTP/SAVPF ${RTP_PAYLOAD_TYPE}`, 'c=IN IP4 0.0.0.0', `a=mid:${RTP_VIDEO_MID}`, 'a=sendrecv',
    `a=ssrc:${RTP_SSRC[p.kind]} cname:termcall`, 'a=rtcp-mux', `a=rtpmap:${RTP_PAYLOAD_TYPE} ${RTP_CODEC}/90000`, ...transport,
  ] : [];
  const lines = [
    'v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=-', 't=0 0', `a=group:BUNDLE ${p.rtpVideo ? `${RTP_VIDEO_MID} 0` : '0'}`, 'a=msid-semantic:WMS *',
    `a=fingerprint:sha-256 ${fingerprintText(p.fingerprint)}`, ...video,
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=sendrecv', 'a=sctp-port:5000',
    `a=max-message-size:${p.maxMessageBytes}`, ...transport,
    // No candidates: they follow one by one (trickled), so the end of candidates must not be announced yet.
    ...p.candidates.map((c) => `a=${candidateLine(c)}`), ...(p.candidates.length > 0 ? ['a=end-of-candidates'] : []),
  ];
  return lines.join('\r\n') + '\r\n';
}

/** One candidate as an SDP attribute value ("candidate:…"). */
export function candidateLine(c: Candidate): string {
  const rel = c.type === 'host' ? '' : ' raddr 0.0.0.0 rport 0';
  return `candidate:${c.foundation} 1 UDP ${c.priority} ${c.address} ${c.port} typ ${c.type}${rel}`;
}

/** The 16 bytes of an IPv6 address. */
function ipv6Bytes(a: string): number[] {
  const [head = '', tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = a.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => { const v = parseInt(g, 16); return [(v >>> 8) & 255, v & 255]; });
}

/** An IPv6 address from 16 bytes (uncompressed hex groups; every parser reads it). */
function ipv6Text(b: Buffer): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(b.readUInt16BE(i).toString(16));
  return g.join(':');
}

/** Blob ↔ text for files, pipes and terminals: base64url. */
export function blobToText(blob: SignalBlob): string {
  return Buffer.from(blob).toString('base64url');
}

/** Text → blob; whitespace is ignored; anything but base64url is refused. */
export function blobFromText(text: string): SignalBlob {
  const t = text.replace(/\s+/g, '');
  if (t.length === 0) bad('the signalling text is empty');
  if (!/^[A-Za-z0-9_-]+$/.test(t)) bad('the signalling text is not base64url');
  if (t.length > Math.ceil((MAX_SIGNAL_BLOB_BYTES * 4) / 3)) bad(`the signalling text is longer than a blob can be (${MAX_SIGNAL_BLOB_BYTES} bytes)`);
  return Uint8Array.from(Buffer.from(t, 'base64url'));
}
