// One WebRTC peer connection for a call: the offer/answer exchange as signalling blobs, then a reliable ordered
// channel (the termcall stream) over ICE + DTLS + SCTP, and video on an RTP media track (termcall peers) or an
// unordered no-retransmit data channel (a browser).
import nodeDataChannel, { type DataChannel, type PeerConnection, type Track } from 'node-datachannel';
import type { Duplex } from 'node:stream';
import type { LossyLane, PathInfo } from '../../call/lanes.js';
import { ProtocolError, messageOf } from '../../shared/errors.js';
import { ICE_GATHER_TIMEOUT_MS, WEBRTC_CONNECT_TIMEOUT_MS, WEBRTC_HOST_CANDIDATE_HOLD_MS } from '../../shared/limits.js';
import { ChannelStream } from './channel-stream.js';
import { isLocalAddress } from './local-address.js';
import { iceServers, type IceConfig } from './ice-servers.js';
import { ChannelLane } from './lossy-lane.js';
import { RtpLane } from './rtp-lane.js';
import {
  RTP_CODEC, RTP_PAYLOAD_TYPE, RTP_SSRC, RTP_VIDEO_MID, candidateLine, decodeSignal, encodeSignal, fingerprintText, partsFromSdp,
  sdpFromParts, type Candidate, type SignalBlob, type SignalParts,
} from './signal-blob.js';

/** Negotiated channel ids (both sides create them; no in-band DCEP round trip). */
const RELIABLE_ID = 0;
const VIDEO_ID = 1;
/** Remote candidates that come before libdatachannel's ICE transport exists are retried this often, this many times. */
const CANDIDATE_RETRY_MS = 10;
const CANDIDATE_RETRIES = 200;

/** What a connected peer hands the call: the stream, the lossy lane, and the fingerprints for the PAKE to bind. */
export interface WebrtcLink {
  readonly stream: Duplex;
  readonly lane: LossyLane;
  /** DTLS certificate fingerprints ("AB:CD:…", sha-256): this side's and the peer's as signalled. */
  readonly fingerprints: { readonly local: string; readonly remote: string };
  /** Both fingerprints in a role-independent order (offerer's first): what the PAKE binds (issue 16a). */
  readonly binding: Uint8Array;
  path(): PathInfo;
  close(): void;
}

// DEBUG_TERMCALL_WEBRTC=1: libdatachannel's own log (ICE checks, DTLS) on stderr, for diagnosing a path that fails.
if (process.env.DEBUG_TERMCALL_WEBRTC) nodeDataChannel.initLogger(process.env.DEBUG_TERMCALL_WEBRTC === 'verbose' ? 'Verbose' : 'Debug', (level, msg) => void process.stderr.write(`libdatachannel ${level}: ${msg}\n`));

/** The RTP video section this side adds: termcall's own payload type, sent and received, with this side's SSRC. */
function rtpVideoMedia(ssrc: number): InstanceType<typeof nodeDataChannel.Video> {
  const v = new nodeDataChannel.Video(RTP_VIDEO_MID, 'SendRecv');
  v.addVideoCodec(RTP_PAYLOAD_TYPE, RTP_CODEC);
  v.addSSRC(ssrc, 'termcall');
  return v;
}

/** Peer connections open in this process (tests check that nothing leaks). */
let openPeers = 0;
/** How many peer connections are open right now. */
export function openPeerCount(): number {
  return openPeers;
}

/** A peer connection from offer or answer to open channels. */
export class WebrtcPeer {
  private readonly pc: PeerConnection;
  private readonly reliable: DataChannel;
  private readonly video: DataChannel;
  /** The RTP video track: added by an offerer, and by an answerer whose offer has one (never for a browser). */
  private readonly track: Track | null;
  private closed = false;
  private remote: SignalParts | null = null;
  private local: SignalParts | null = null;
  private failure: ((e: ProtocolError) => void) | null = null;
  /** ICE reached connected at some point (a later failure is then DTLS's or SCTP's, not the candidates'). */
  private iceConnected = false;

  private constructor(readonly role: 'offerer' | 'answerer', private readonly ice: IceConfig, rtpVideo: boolean) {
    this.pc = new nodeDataChannel.PeerConnection(role, {
      iceServers: iceServers(ice).map((s) => ({ ...s })),
      // Descriptions are made when asked (offer, then answer), never on the channels' creation: no glare.
      disableAutoNegotiation: true,
      ...(ice.relayOnly ? { iceTransportPolicy: 'relay' as const } : {}),
    });
    openPeers++;
    this.track = rtpVideo ? this.pc.addTrack(rtpVideoMedia(role === 'offerer' ? RTP_SSRC.offer : RTP_SSRC.answer)) : null;
    this.reliable = this.pc.createDataChannel('termcall', { negotiated: true, id: RELIABLE_ID });
    this.video = this.pc.createDataChannel('termcall-video', { negotiated: true, id: VIDEO_ID, unordered: true, maxRetransmits: 0 });
    this.pc.onStateChange((s) => {
      if (s === 'failed') this.failure?.(new ProtocolError('ERR_WEBRTC_FAILED', this.failedText()));
    });
    this.pc.onIceStateChange((s) => {
      if (s === 'connected' || s === 'completed') this.iceConnected = true;
    });
  }

  /** Start a call: a peer and the offer blob to send to the other side. */
  static async offer(ice: IceConfig): Promise<{ peer: WebrtcPeer; blob: SignalBlob }> {
    const peer = new WebrtcPeer('offerer', ice, true);
    try {
      peer.pc.setLocalDescription('offer');
      return { peer, blob: await peer.gathered('offer') };
    } catch (err) {
      peer.close();
      throw err;
    }
  }

  /** Answer an offer blob: a peer and the answer blob to send back. Malformed offers reject with ERR_SIGNAL_BLOB. */
  static async answer(ice: IceConfig, offer: SignalBlob): Promise<{ peer: WebrtcPeer; blob: SignalBlob }> {
    const parts = decodeSignal(offer);
    if (parts.kind !== 'offer') throw new ProtocolError('ERR_SIGNAL_BLOB', 'expected an offer, got an answer');
    const peer = new WebrtcPeer('answerer', ice, parts.rtpVideo);
    try {
      peer.setRemote(parts, true);
      peer.pc.setLocalDescription();
      return { peer, blob: await peer.gathered('answer') };
    } catch (err) {
      peer.close();
      throw err;
    }
  }

  /**
   * Answer a browser's full SDP offer (candidates gathered, not trickled): a peer and the full answer SDP. The offer
   * is checked like a blob (no data channel, malformed candidates: ERR_SIGNAL_BLOB) before a connection is made.
   */
  static async answerSdp(ice: IceConfig, sdp: string): Promise<{ peer: WebrtcPeer; sdp: string }> {
    const parts = partsFromSdp(sdp, 'offer');
    const peer = new WebrtcPeer('answerer', ice, false);
    try {
      peer.setRemote(parts);
      peer.pc.setLocalDescription();
      await peer.gathered('answer');
      return { peer, sdp: peer.pc.localDescription()?.sdp ?? '' };
    } catch (err) {
      peer.close();
      throw err;
    }
  }

  /** Offerer: take the answer blob. */
  acceptAnswer(answer: SignalBlob): void {
    const parts = decodeSignal(answer);
    if (parts.kind !== 'answer') throw new ProtocolError('ERR_SIGNAL_BLOB', 'expected an answer, got an offer');
    if (this.role !== 'offerer' || this.remote) throw new ProtocolError('ERR_SIGNAL_BLOB', 'an answer was already taken');
    this.setRemote(parts);
  }

  /** Wait for the channels (and the RTP track) to open (ICE, DTLS, SCTP); rejects with ERR_WEBRTC_FAILED and closes on failure or timeout. */
  connected(timeoutMs = WEBRTC_CONNECT_TIMEOUT_MS): Promise<WebrtcLink> {
    return new Promise<WebrtcLink>((resolve, reject) => {
      let open = 0;
      const timer = setTimeout(() => fail(new ProtocolError('ERR_WEBRTC_FAILED',
        `the WebRTC connection did not open within ${timeoutMs} ms (${this.failedText()})`)), timeoutMs);
      const fail = (e: ProtocolError): void => {
        clearTimeout(timer);
        this.failure = null;
        this.close();
        reject(e);
      };
      this.failure = fail;
      const rtp = this.rtpNegotiated() ? this.track : null;
      const onOpen = (): void => {
        if (++open < (rtp ? 3 : 2)) return;
        clearTimeout(timer);
        this.failure = null;
        resolve(this.link());
      };
      for (const dc of [this.reliable, this.video, ...(rtp ? [rtp] : [])]) {
        if (dc.isOpen()) onOpen();
        else dc.onOpen(onOpen);
      }
    });
  }

  /** Close channels and the connection (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    openPeers--;
    for (const c of [this.reliable, this.video, ...(this.track ? [this.track] : [])]) {
      try { c.close(); } catch { /* closed */ }
    }
    try { this.pc.close(); } catch { /* closed */ }
    // libdatachannel's threads keep the process alive after the last connection: stop them (they restart on demand).
    setImmediate(() => { if (openPeers === 0) nodeDataChannel.cleanup(); });
  }

  /** The selected pair: relayed when either end is a TURN candidate. */
  path(): PathInfo {
    let pair: ReturnType<PeerConnection['getSelectedCandidatePair']> = null;
    let rtt = Number.NaN;
    try {
      if (!this.closed) {
        pair = this.pc.getSelectedCandidatePair();
        const r = this.pc.rtt();
        rtt = r >= 0 ? r : Number.NaN;
      }
    } catch { /* closed meanwhile */ }
    const video = this.rtpNegotiated() ? 'rtp' as const : 'data-channel' as const;
    if (!pair) return { kind: 'direct', candidates: '?', rttMs: rtt, video };
    const relayed = pair.local.type === 'relay' || pair.remote.type === 'relay';
    return { kind: relayed ? 'relayed' : 'direct', candidates: `${pair.local.type}→${pair.remote.type}`, rttMs: rtt, video };
  }

  /**
   * Set the remote description from blob parts, then its candidates one by one: libdatachannel may create the ICE
   * transport a moment after the description ("remote candidate without ICE transport"), so those are retried briefly.
   * holdHost (the answerer of a blob offer): the offerer's host candidates wait WEBRTC_HOST_CANDIDATE_HOLD_MS.
   * Why: checks that reach the offerer before it has the answer leave it a validated pair, so when the answer comes
   * libdatachannel (0.24.5) connects ICE and runs the DTLS handshake on its ICE thread before setRemoteDescription
   * has stored the answer's fingerprint, and refuses our certificate ("certificate verify failed"; upstream
   * libdatachannel PR #1612). Held back, the direct pair forms from the offerer's own checks (a peer-reflexive
   * candidate here), which start only after its description is stored. Relayed and server-reflexive candidates go at
   * once: TURN and filtering NATs drop early checks, and our checks open this side's NAT for the offerer's. So does a
   * host candidate on a public address (isLocalAddress): an offerer with a public address, called by an answerer
   * behind a NAT, is reached only through the answerer's own checks; across the internet the race needs a round trip
   * shorter than the few instructions between the two steps of setRemoteDescription.
   */
  private setRemote(parts: SignalParts, holdHost = false): void {
    this.remote = parts;
    try {
      this.pc.setRemoteDescription(sdpFromParts({ ...parts, candidates: [] }), parts.kind);
    } catch (err) {
      throw new ProtocolError('ERR_SIGNAL_BLOB', `the peer's description was refused: ${messageOf(err)}`, { cause: err });
    }
    const held = holdHost ? parts.candidates.filter((c) => c.type === 'host' && isLocalAddress(c.address)) : [];
    this.addCandidates(parts.candidates.filter((c) => !held.includes(c)));
    if (held.length === 0) return;
    const timer = setTimeout(() => {
      const state = this.closed ? 'closed' : this.pc.iceState();
      if (state !== 'connected' && state !== 'completed' && state !== 'closed') this.addCandidates(held);
    }, WEBRTC_HOST_CANDIDATE_HOLD_MS);
    timer.unref();
  }

  /** Add remote candidates in order, retrying briefly while libdatachannel has no ICE transport yet. */
  private addCandidates(candidates: readonly Candidate[]): void {
    const pending = [...candidates];
    const addAll = (tries: number): void => {
      while (pending.length > 0 && !this.closed) {
        const c = pending[0] as Candidate;
        try {
          this.pc.addRemoteCandidate(candidateLine(c), '0');
        } catch (err) {
          if (/without ICE transport/.test(messageOf(err)) && tries > 0) {
            setTimeout(() => addAll(tries - 1), CANDIDATE_RETRY_MS);
            return;
          }
          // One unusable candidate must not sink the others (the connect timeout names the failure if none works).
        }
        pending.shift();
      }
    };
    addAll(CANDIDATE_RETRIES);
  }

  /** Wait for ICE gathering to finish (bounded), then encode the local description. */
  private async gathered(kind: SignalParts['kind']): Promise<SignalBlob> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ICE_GATHER_TIMEOUT_MS);
      const check = (): void => {
        if (this.pc.gatheringState() === 'complete') { clearTimeout(t); resolve(); }
      };
      this.pc.onGatheringStateChange(check);
      check();
    });
    const desc = this.pc.localDescription();
    if (!desc) throw new ProtocolError('ERR_WEBRTC_FAILED', 'no local description was produced');
    const parts = partsFromSdp(desc.sdp, kind);
    if (parts.candidates.length === 0) {
      throw new ProtocolError('ERR_WEBRTC_FAILED', this.ice.relayOnly
        ? 'no relayed candidate: the TURN server did not give an allocation (wrong credentials, refused, or unreachable)'
        : 'no ICE candidate was gathered (no usable network interface)');
    }
    this.local = parts;
    return encodeSignal(parts);
  }

  /** The link once the channels are open. */
  private link(): WebrtcLink {
    const stream = new ChannelStream(this.reliable);
    stream.once('close', () => this.close());
    this.pc.onStateChange((s) => {
      if (s === 'failed' || s === 'closed' || s === 'disconnected') stream.destroy();
    });
    const lane = this.track && this.rtpNegotiated()
      ? new RtpLane(this.track, this.role === 'offerer' ? RTP_SSRC.offer : RTP_SSRC.answer, () => this.path())
      : new ChannelLane(this.video, () => this.path(), this.remote?.maxMessageBytes ?? 65536);
    const local = this.local ? fingerprintText(this.local.fingerprint) : '';
    const remote = this.remote ? fingerprintText(this.remote.fingerprint) : '';
    const [a, b] = this.role === 'offerer' ? [local, remote] : [remote, local];
    return {
      stream, lane, fingerprints: { local, remote }, binding: Uint8Array.from(Buffer.from(`${a}|${b}`, 'latin1')),
      path: () => this.path(), close: () => this.close(),
    };
  }

  /** Both sides described the RTP video track. */
  private rtpNegotiated(): boolean {
    return this.track !== null && this.remote?.rtpVideo === true;
  }

  /** Why the connection failed, as far as can be told. */
  private failedText(): string {
    if (this.iceConnected) {
      return 'ICE connected, then the DTLS handshake failed (the peer\'s certificate did not match the fingerprint in ' +
        'its offer or answer, or the peer gave up): make a new offer';
    }
    const turn = (this.ice.turn?.length ?? 0) > 0;
    return `ICE state ${this.pc.iceState()}: no candidate pair worked` +
      (turn ? '' : '; behind a symmetric NAT a relay is needed: configure --turn');
  }
}
