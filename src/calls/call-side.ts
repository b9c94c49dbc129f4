// The one call controller's contract: what the TUI and the headless commands use of a call, for every wire.
// createCallSide() picks the termcall side (Calls) or a Python tutorial program's side (TutorialCalls); both emit the
// same events, write the same --stats-file lines and report the same way.
import type { EventEmitter } from 'node:events';
import type { FrameSource } from '../shared/frame-source.js';
import type { CloseInfo, PeerInfo } from '../call/session.js';
import type { SessionStats } from '../call/stats.js';
import type { TutorialStats } from '../tutorial/link.js';
import type { RawSize, TutorialWire } from '../tutorial/wire.js';
import type { DecodeFn } from '../call/video-receiver.js';
import type { Frame } from '../shared/frame.js';
import { messageOf } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { AudioSpec } from '../audio/audio-spec.js';
import type { PathInfo } from '../call/lanes.js';
import type { IceConfig } from '../transport/webrtc/ice-servers.js';
import type { WebrtcCalls } from './webrtc-calls.js';

/** Audio of the termcall wire (tutorial wires carry none). */
export interface AudioSettings {
  readonly input: AudioSpec;
  readonly output: AudioSpec;
  /** Cancel the echo of my speaker in my microphone (--echo-cancel: the sound server's module-echo-cancel). */
  readonly echoCancel?: boolean;
  /** Start with the microphone muted (--mute). */
  readonly micMuted?: boolean;
  /** Environment for the sound tools (PULSE_SERVER …); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Audio state a call side reports (for the status panel; the stats carry levels and figures). */
export interface AudioState {
  readonly on: boolean;
  readonly micMuted: boolean;
  readonly speakerMuted: boolean;
  readonly peerMicMuted: boolean;
}

/** The tutorial wire settings of a run. */
export interface TutorialSettings {
  readonly wire: TutorialWire;
  readonly rawSize: RawSize;
  /** Send our source too (the two-way variant); false: only view. */
  readonly send: boolean;
}

/** What the call side needs from the app, read at the moment a call starts (so HELLO carries current values). */
export interface CallContext {
  name(): string;
  renderer(): string;
  /** Pixel size of my remote-video pane. */
  pane(): { width: number; height: number };
  source(): FrameSource | null;
  readonly decode: DecodeFn;
  readonly fps: number;
  /** Append each call's stats as JSON lines to this file (every wire, the same shape). */
  readonly statsFile?: string;
  /** Shared passphrase: calls run over TLS-PSK and only peers with the same one get through. */
  readonly secret?: string;
  /** Audio devices (absent or both none: no audio; the tutorial wires ignore it). */
  readonly audio?: AudioSettings;
  /** Talk to a Python tutorial program on this wire instead of a termcall peer. */
  readonly tutorial?: TutorialSettings;
  /** STUN/TURN servers of WebRTC calls (none: only host candidates, nothing contacted). */
  readonly ice?: IceConfig;
}

export interface CallEvents {
  /** A caller finished the handshake and waits for accept/decline. */
  incoming: [peer: PeerInfo, address: string];
  /** Dialing: TCP is up, waiting for the listener to pick up. */
  ringing: [peer: PeerInfo, address: string];
  connected: [peer: PeerInfo, address: string];
  frame: [frame: Frame];
  /** Once a second during a call, both directions (tutorial links: their stats in this shape, unknowns NaN). */
  stats: [stats: SessionStats];
  /** Receive-side stats of a tutorial link, with my send rate (NaN when not sending); also a last one at its end. */
  linkStats: [stats: TutorialStats, fpsOut: number];
  peerVideo: [paused: boolean];
  /** A chat message from the peer, as received (raw: whoever shows it sanitises it, see shared/chat-text.ts). */
  chat: [text: string];
  /** Audio state changed (mine or the peer's): mute keys, the peer muting, a device failing. */
  audio: [state: AudioState];
  /** The call (or call attempt) is over. */
  ended: [info: CloseInfo, wasConnected: boolean];
  /** Something worth a line in the log and on screen (source failed …). */
  notice: [text: string];
  /** stop() finished: nothing more will be emitted. */
  stopped: [];
}

/** What the app uses of the network side: termcall calls (Calls) or a tutorial program's link (TutorialCalls). */
export interface CallSide extends EventEmitter<CallEvents> {
  readonly busy: boolean;
  /** Extra peer description for the status panel ('' for termcall peers, "tutorial (pickle)" …). */
  readonly label: string;
  /** Is the current call encrypted (and the peer authenticated by the passphrase)? */
  readonly encrypted: boolean;
  /** The current call's network path (tcp, WebRTC direct/relayed), null with no call or on a tutorial link. */
  readonly path: PathInfo | null;
  /** Calls over WebRTC (call codes, ssh signalling, browsers); null on the tutorial wires. */
  readonly webrtc: WebrtcCalls | null;
  /** While set, incoming calls are turned away as busy without a prompt (we are calling a lost peer back). */
  refuseIncoming: boolean;
  listen(port: number, bind: string, autoAccept: boolean): Promise<{ host: string; port: number }>;
  dial(host: string, port: number): Promise<void>;
  accept(): void;
  decline(): void;
  hangup(): void;
  setPaused(paused: boolean): void;
  /** Why a chat message cannot be sent now ("no call", "chat is not available on this wire …"), or null when it can. */
  readonly chatUnavailable: string | null;
  /**
   * Send a chat message in the current call. Throws TermcallError ERR_CHAT_UNAVAILABLE (see chatUnavailable) or
   * ProtocolError ERR_MESSAGE_TOO_LARGE (over MAX_CHAT_BYTES): nothing is cut or sent then.
   */
  sendChat(text: string): void;
  /** Mute my microphone (the peer sees "muted") / my speaker; kept across calls. */
  setMicMuted(muted: boolean): void;
  setSpeakerMuted(muted: boolean): void;
  /** Current audio state. */
  readonly audioState: AudioState;
  resize(size: { width: number; height: number }): void;
  stop(): Promise<void>;
}

// My video source failed: log it, and tell the app (a line on screen).
export function reportSourceError(side: EventEmitter<CallEvents>, log: Logger, err: unknown): void {
  log.error('local source failed', err);
  side.emit('notice', `my video stopped: ${messageOf(err)}`);
}
