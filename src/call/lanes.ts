// The seam between a call and its transport: the reliable ordered byte stream (a Duplex: TCP, TLS, a WebRTC
// reliable data channel) always, plus an optional lossy lane for video and its acks (a WebRTC unordered data channel
// with no retransmission). Without a lossy lane everything rides the stream, as on TCP.

/** The network path of a call, as the transport sees it (stats and the status panel). */
export interface PathInfo {
  /** 'tcp' (one stream), 'direct' (WebRTC host or server-reflexive candidates), 'relayed' (through TURN). */
  readonly kind: 'tcp' | 'direct' | 'relayed';
  /** Candidate types of the selected pair, e.g. "srflx→host" (empty for TCP). */
  readonly candidates: string;
  /** The transport's own round-trip estimate (ICE/SCTP), ms; NaN when it has none. */
  readonly rttMs: number;
  /** WebRTC: what carries the video, an RTP media track (termcall peers) or an unordered data channel (a browser). */
  readonly video?: 'rtp' | 'data-channel';
}

/** Whole messages that may be lost or reordered but never stall each other. */
export interface LossyLane {
  /** Send one whole encoded termcall message; it may be dropped (counted by the lane). */
  send(encoded: Buffer): void;
  /** Bytes queued and not yet handed to the network (feeds the sender's backlog check). */
  backlogBytes(): number;
  /** Deliver each whole message that arrives (fragments reassembled; incomplete ones dropped). */
  onMessage(cb: (encoded: Buffer) => void): void;
  /** Where the call's packets go, for stats. */
  path(): PathInfo;
  /** Messages given up on receive (incomplete, malformed, late), total. */
  droppedCount(): number;
}
