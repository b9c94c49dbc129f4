// Wire message types of the termcall protocol (layouts in docs/protocol.md). Pure data: no I/O here.
import {
  MAX_BYE_TEXT_BYTES,
  MAX_CHAT_BYTES,
  MAX_HELLO_BYTES,
  MAX_JPEG_BYTES,
  MAX_OPUS_PACKET_BYTES,
} from '../shared/limits.js';

/** The port termcall listens on and calls when none is given. */
export const DEFAULT_PORT = 7878;

/** First 4 bytes each side sends: ASCII "TMCL". */
export const MAGIC = Uint8Array.of(0x54, 0x4d, 0x43, 0x4c);
/**
 * First 4 bytes a caller with a passphrase sends: ASCII "TMPK", then the PAKE (docs/security.md). It starts like MAGIC
 * so that a 0.1 listener with a passphrase answers it as a plain caller (preamble + BYE needsSecret), which tells the
 * caller it met a 0.1 peer.
 */
export const PAKE_MAGIC = Uint8Array.of(0x54, 0x4d, 0x50, 0x4b);
/** Bytes of the preamble: magic (4) + version u16 + reserved u16. Frozen across versions. */
export const PREAMBLE_BYTES = 8;
/** Fixed part of a VIDEO_FRAME payload before the JPEG bytes. */
export const VIDEO_FIXED_BYTES = 17;
/** Fixed part of an AUDIO payload before the Opus packet: u32 seq + f64 captureTs. */
export const AUDIO_FIXED_BYTES = 12;

/** Message type ids (one byte on the wire). Ids 0x01–0x03 and 0x7f are frozen across versions. */
export const MSG = {
  hello: 0x01,
  accept: 0x02,
  decline: 0x03,
  video: 0x10,
  ack: 0x11,
  ping: 0x20,
  pong: 0x21,
  resize: 0x30,
  videoState: 0x31,
  chat: 0x40,
  audio: 0x50,
  audioState: 0x51,
  bye: 0x7f,
} as const;
export type MsgName = keyof typeof MSG;

/** Smallest and largest payload length per message type, checked as soon as a header is read. */
export const PAYLOAD_LIMITS: Readonly<Record<number, { readonly name: MsgName; readonly min: number; readonly max: number }>> = {
  [MSG.hello]: { name: 'hello', min: 10, max: MAX_HELLO_BYTES },
  [MSG.accept]: { name: 'accept', min: 0, max: 0 },
  [MSG.decline]: { name: 'decline', min: 1, max: 1 },
  [MSG.video]: { name: 'video', min: VIDEO_FIXED_BYTES + 1, max: VIDEO_FIXED_BYTES + MAX_JPEG_BYTES },
  [MSG.ack]: { name: 'ack', min: 9, max: 9 },
  [MSG.ping]: { name: 'ping', min: 12, max: 12 },
  [MSG.pong]: { name: 'pong', min: 20, max: 20 },
  [MSG.resize]: { name: 'resize', min: 4, max: 4 },
  [MSG.videoState]: { name: 'videoState', min: 1, max: 1 },
  [MSG.chat]: { name: 'chat', min: 0, max: MAX_CHAT_BYTES },
  [MSG.audio]: { name: 'audio', min: AUDIO_FIXED_BYTES + 1, max: AUDIO_FIXED_BYTES + MAX_OPUS_PACKET_BYTES },
  [MSG.audioState]: { name: 'audioState', min: 1, max: 1 },
  [MSG.bye]: { name: 'bye', min: 1, max: 1 + MAX_BYE_TEXT_BYTES },
};

/** Optional features announced in HELLO (bit flags). Unknown bits are ignored. */
export const FEATURE = {
  chat: 1 << 0,
  /** The call runs inside TLS-PSK (docs/security.md): set by a side that was given a passphrase. */
  secure: 1 << 1,
  /** This side sends and plays audio (Opus, 48 kHz mono, 20 ms frames; docs/audio.md). */
  audio: 1 << 2,
} as const;

/** Bits of the audioState byte. */
export const AUDIO_STATE = {
  /** My microphone is muted (nothing is sent). */
  micMuted: 1 << 0,
  /** I have no working microphone (none, or it failed). */
  noMic: 1 << 1,
  /** My speaker is muted or I have none (you are not heard, informational). */
  speakerOff: 1 << 2,
} as const;

/** Why a side says goodbye (BYE reason byte). */
export const BYE_REASON = {
  hangup: 0,
  declined: 1,
  protocolError: 2,
  versionMismatch: 3,
  timeout: 4,
  busy: 5,
  goingAway: 6,
  /** A listener with a passphrase refusing a plain caller (the caller's error: ERR_PEER_NEEDS_SECRET). */
  needsSecret: 7,
} as const;
export type ByeReason = keyof typeof BYE_REASON;

/** Ack status: the receiver decoded the frame, or dropped it for a newer one (latest wins). */
export const ACK_STATUS = { decoded: 0, dropped: 1 } as const;
export type AckStatus = keyof typeof ACK_STATUS;

export interface PreambleMsg { readonly type: 'preamble'; readonly version: number }
export interface HelloMsg {
  readonly type: 'hello';
  readonly name: string;
  readonly renderer: string;
  /** Pixel size of the video pane the receiver wants frames for (0×0: send no video). */
  readonly paneWidth: number;
  readonly paneHeight: number;
  readonly features: number;
}
export interface AcceptMsg { readonly type: 'accept' }
/** Why a call is declined: the user said no, or another call is on. */
export type DeclineReason = 'declined' | 'busy';
export interface DeclineMsg { readonly type: 'decline'; readonly reason: DeclineReason }
export interface VideoMsg {
  readonly type: 'video';
  readonly seq: number;
  /** Capture time, epoch ms on the sender's clock. */
  readonly captureTs: number;
  readonly width: number;
  readonly height: number;
  readonly quality: number;
  readonly jpeg: Uint8Array;
}
export interface AckMsg {
  readonly type: 'ack';
  readonly seq: number;
  readonly status: AckStatus;
  /** Receiver's estimate capture → decoded in ms (NaN when unknown). */
  readonly latencyMs: number;
}
export interface PingMsg { readonly type: 'ping'; readonly id: number; readonly ts: number }
export interface PongMsg { readonly type: 'pong'; readonly id: number; readonly echoTs: number; readonly ts: number }
export interface ResizeMsg { readonly type: 'resize'; readonly paneWidth: number; readonly paneHeight: number }
export interface VideoStateMsg { readonly type: 'videoState'; readonly paused: boolean }
export interface AudioMsg {
  readonly type: 'audio';
  /** Frame number: +1 per 20 ms of captured audio (a gap is a frame not sent). */
  readonly seq: number;
  /** Capture time of the frame's first sample, epoch ms on the sender's clock. */
  readonly captureTs: number;
  /** One Opus packet (one 20 ms frame, 48 kHz mono). */
  readonly opus: Uint8Array;
}
export interface AudioStateMsg { readonly type: 'audioState'; readonly micMuted: boolean; readonly noMic: boolean; readonly speakerOff: boolean }
export interface ChatMsg { readonly type: 'chat'; readonly text: string }
export interface ByeMsg { readonly type: 'bye'; readonly reason: ByeReason; readonly text: string }

export type Message =
  | HelloMsg | AcceptMsg | DeclineMsg | VideoMsg | AckMsg | PingMsg | PongMsg
  | ResizeMsg | VideoStateMsg | ChatMsg | AudioMsg | AudioStateMsg | ByeMsg;
export type DecodedItem = Message | PreambleMsg;

/** Name of a BYE reason byte, or undefined when it is not known. */
export function byeReasonName(code: number): ByeReason | undefined {
  for (const [k, v] of Object.entries(BYE_REASON)) if (v === code) return k as ByeReason;
  return undefined;
}
