// The error hierarchy: every error termcall raises on purpose has a stable code (listed in docs/errors.md).

export const ERROR_CODES = {
  // capture
  ERR_CAMERA_UNAVAILABLE: 'no camera could be opened at that index',
  ERR_SOURCE_NOT_FOUND: 'the source file does not exist',
  ERR_SOURCE_NOT_VIDEO: 'the source file could not be read as video',
  ERR_SOURCE_UNREACHABLE: 'the source URL could not be opened in time',
  ERR_SOURCE_SPEC: 'the --source string is not understood',
  ERR_SOURCE_ENDED: 'the source stopped producing frames',
  ERR_SOURCE_TOO_LARGE: 'the source delivers frames larger than termcall takes',
  ERR_OPENCV_MISSING: 'the OpenCV binding could not be loaded',
  ERR_WORKER_FAILED: 'the media worker stopped unexpectedly',
  ERR_IMAGE_DECODE: 'a received image could not be decoded',
  // protocol and session
  ERR_MESSAGE_TOO_LARGE: 'a message is longer than its type allows',
  ERR_UNKNOWN_MESSAGE: 'a message type is not known',
  ERR_BAD_MESSAGE: 'a message body does not match its layout',
  ERR_BAD_MAGIC: 'the peer is not speaking the termcall protocol',
  ERR_VERSION_MISMATCH: 'the peer speaks another protocol version',
  ERR_HANDSHAKE_TIMEOUT: 'the peer did not complete the handshake in time',
  ERR_PING_TIMEOUT: 'the peer stopped answering pings',
  ERR_CONNECT_REFUSED: 'nothing is listening at that address',
  ERR_CONNECT_FAILED: 'the address could not be reached',
  ERR_PEER_CLOSED: 'the peer closed the connection',
  ERR_UNEXPECTED_MESSAGE: 'a message arrived in a call state that does not allow it',
  ERR_CALL_DECLINED: 'the peer declined the call',
  ERR_RING_TIMEOUT: 'the peer did not accept the call in time',
  ERR_PICKLE_REJECTED: 'a pickle uses something other than a numpy array',
  ERR_LISTENER_CLOSED: 'the listener was closed while a call was still awaited from it',
  ERR_CHAT_UNAVAILABLE: 'a chat message cannot be sent now (no call, or a wire without chat)',
  // secure calls
  ERR_AUTH_FAILED: 'the passphrase does not match the peer\'s',
  ERR_PEER_NEEDS_SECRET: 'the peer requires a passphrase (an encrypted call) and this side has none',
  ERR_PEER_HAS_NO_SECRET: 'the peer does not use a passphrase and this side does',
  ERR_SECURE_HANDSHAKE: 'the encrypted handshake failed for another reason than the passphrase',
  // signalling
  ERR_CALL_CODE: 'a call code is malformed, damaged, or not the kind expected',
  ERR_CALL_CODE_EXPIRED: 'a call code is past its expiry time',
  ERR_CALL_CODE_REPLAYED: 'a call code was already used',
  ERR_SIGNAL: 'the SSH signalling exchange failed (ssh, the remote termcall, or its line protocol)',
  // audio
  ERR_AUDIO_CODEC: 'the Opus codec could not be loaded or refused a packet',
  ERR_AUDIO_DEVICE: 'a sound device could not be opened or stopped working',
  ERR_AUDIO_SPEC: 'the --audio-in / --audio-out string is not understood',
  ERR_BAD_WAV: 'an audio file is not a WAV file termcall can read (PCM, 8/16/24/32-bit)',
  // webrtc
  ERR_SIGNAL_BLOB: 'a WebRTC offer or answer (signalling blob) is malformed',
  ERR_WEBRTC_FAILED: 'the WebRTC connection (ICE, DTLS or the data channels) could not be set up',
  ERR_ICE_SERVER: 'a --stun or --turn server URL is not valid',
  // cli and config
  ERR_USAGE: 'the command line is not valid',
  ERR_NO_TTY: 'the terminal UI needs a terminal',
  ERR_CONFIG: 'the config file is broken',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base of every deliberate termcall error. */
export class TermcallError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A frame source could not be opened or read. */
export class CaptureError extends TermcallError {}
/** The peer broke the wire protocol, or the connection failed. */
export class ProtocolError extends TermcallError {}
/** The command line or config file is wrong. */
export class UsageError extends TermcallError {}
/** A sound device, an audio file or the Opus codec failed (the call goes on without audio). */
export class AudioError extends TermcallError {}
/** A listener was closed: nextSession() calls waiting on it (or asked after) reject with ERR_LISTENER_CLOSED. */
export class ListenerClosedError extends TermcallError {
  constructor(message: string) {
    super('ERR_LISTENER_CLOSED', message);
  }
}

/** OpenCV throws plain strings; turn anything thrown into a message. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return String(err);
}
