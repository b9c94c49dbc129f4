// Types of the call session: options, peer info, close info, events, and which messages each state accepts.
import type { FrameSource } from '../shared/frame-source.js';
import type { ProtocolError } from '../shared/errors.js';
import type { Frame } from '../shared/frame.js';
import type { AudioMsg, ByeReason, Message } from '../protocol/messages.js';
import type { SessionStats } from './stats.js';
import type { DecodeFn, RemoteFrameInfo } from './video-receiver.js';

export type SessionRole = 'dialer' | 'listener';
export type SessionState = 'handshake' | 'ringing' | 'active' | 'closed';

/** What the peer announced in its HELLO. */
export interface PeerInfo {
  readonly name: string;
  readonly renderer: string;
  readonly paneWidth: number;
  readonly paneHeight: number;
  readonly features: number;
  readonly version: number;
}

/** How a session ended. error is absent for a normal hangup (either side). */
export interface CloseInfo {
  readonly reason: ByeReason;
  /** True when the peer said bye (or vanished); false when this side ended the call. */
  readonly byPeer: boolean;
  readonly text: string;
  readonly error?: ProtocolError;
}

export interface SessionOptions {
  readonly role: SessionRole;
  /** My display name (sent in HELLO). */
  readonly name: string;
  /** My renderer (e.g. "truecolor", "sixel"), informational for the peer. */
  readonly renderer?: string;
  /** Pixel size of my video pane: the peer sends frames that fit it. 0×0 asks for no video. */
  readonly pane: { readonly width: number; readonly height: number };
  /** My video (null or absent: receive only). */
  readonly source?: FrameSource | null;
  /** Decodes received JPEGs (the media worker's decodeJpeg). Absent: frames are acked but not decoded. */
  readonly decode?: DecodeFn | null;
  /** Listener only: accept as soon as the handshake is done instead of emitting 'incoming'. */
  readonly autoAccept?: boolean;
  /** Starting (and highest) JPEG quality, 1..100. */
  readonly quality?: number;
  /** Highest send frame rate. */
  readonly fps?: number;
  /** "host:port" of the peer, used in error messages. */
  readonly label?: string;
  /** How long to wait for acceptance (default RING_TIMEOUT_MS). */
  readonly ringTimeoutMs?: number;
  /** Protocol version to announce (tests of the mismatch path only). */
  readonly protocolVersion?: number;
  /** This side sends and plays audio (HELLO announces FEATURE.audio; audio flows when both sides do). */
  readonly audio?: boolean;
  /** The stream is TLS-PSK (set by dial/listen with a secret): HELLO announces FEATURE.secure. */
  readonly secure?: boolean;
}

/** What the peer said about its audio (audioState message). */
export interface PeerAudioState {
  readonly micMuted: boolean;
  readonly noMic: boolean;
  readonly speakerOff: boolean;
}

export interface SessionEvents {
  handshake: [peer: PeerInfo];
  /** Listener: a call waits for accept() or decline(). */
  incoming: [peer: PeerInfo];
  /** Dialer: the listener has not picked up yet. */
  ringing: [peer: PeerInfo];
  /** Both sides agreed: video flows. */
  connected: [peer: PeerInfo];
  frame: [frame: Frame, info: RemoteFrameInfo];
  chat: [text: string];
  /** One Opus frame from the peer (active calls with audio on both sides). */
  audio: [msg: AudioMsg];
  /** The peer's microphone/speaker state changed. */
  peerAudio: [state: PeerAudioState];
  peerResize: [size: { width: number; height: number }];
  peerVideo: [state: { paused: boolean }];
  stats: [stats: SessionStats];
  /** The local source failed; video stops until setSource() is called again. */
  sourceError: [err: Error];
  /** A received frame could not be decoded: dropped and counted (stats rx.decodeErrors); the call goes on. */
  decodeError: [err: unknown, total: number];
  close: [info: CloseInfo];
}

/** Message types allowed per state (besides bye, always allowed after the preamble). */
export const ALLOWED: Record<SessionState, ReadonlySet<Message['type']>> = {
  handshake: new Set(['hello']),
  ringing: new Set(['accept', 'decline', 'ping', 'pong', 'resize', 'videoState', 'chat', 'audioState']),
  active: new Set(['video', 'ack', 'ping', 'pong', 'resize', 'videoState', 'chat', 'audio', 'audioState']),
  closed: new Set(),
};

