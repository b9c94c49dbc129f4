// The status panel's content (pure): call state, peer, renderer, rates, delays, skipped frames, encryption.
import type { CloseInfo } from '../call/session.js';
import type { SessionStats } from '../call/stats.js';
import type { TutorialStats } from '../tutorial/link.js';

export type CallState = 'idle' | 'listening' | 'calling' | 'ringing' | 'connected' | 'reconnecting' | 'ended';

/** Everything the status panel shows. */
export interface StatusModel {
  state: CallState;
  peerName: string;
  peerAddress: string;
  /** Extra peer description, e.g. "tutorial (pickle)". */
  peerLabel: string;
  renderer: string;
  encrypted: boolean;
  sendPaused: boolean;
  peerPaused: boolean;
  fpsIn: number;
  fpsOut: number;
  kbpsIn: number;
  kbpsOut: number;
  rttMs: number;
  latencyMs: number;
  /** Frames skipped on the way (sender, receiver) and at drawing. */
  skippedNet: number;
  skippedDraw: number;
  /** Received frames that could not be decoded (dropped; the call goes on). */
  decodeErrors: number;
  /** Frames received in this call. */
  framesIn: number;
  /** Size of the received frames (0 before the first). */
  frameWidth: number;
  frameHeight: number;
}

// A fresh model (no call).
export function emptyStatus(renderer: string, state: CallState = 'idle'): StatusModel {
  return {
    state, peerName: '', peerAddress: '', peerLabel: '', renderer, encrypted: false, sendPaused: false, peerPaused: false,
    fpsIn: Number.NaN, fpsOut: Number.NaN, kbpsIn: Number.NaN, kbpsOut: Number.NaN, rttMs: Number.NaN,
    latencyMs: Number.NaN, skippedNet: 0, skippedDraw: 0, decodeErrors: 0, framesIn: 0, frameWidth: 0, frameHeight: 0,
  };
}

// Copy a session stats event into the model.
export function applyStats(m: StatusModel, s: SessionStats): void {
  m.fpsIn = s.rx.fps;
  m.fpsOut = s.tx.fps;
  m.kbpsIn = s.rx.kbps;
  m.kbpsOut = s.tx.kbps;
  m.rttMs = s.rttMs;
  m.latencyMs = s.rx.latencyMs;
  m.skippedNet = s.rx.skippedBySender + s.rx.skippedByReceiver;
  m.decodeErrors = s.rx.decodeErrors;
  m.framesIn = s.rx.frames;
  m.frameWidth = s.rx.width;
  m.frameHeight = s.rx.height;
}

// Copy a tutorial link's stats into the model: receive side only (no ping, no sender reports: rtt and latency stay '-').
export function applyTutorialStats(m: StatusModel, s: TutorialStats, fpsOut: number): void {
  m.fpsIn = s.fps;
  m.kbpsIn = (s.bytesPerSecond * 8) / 1000;
  m.fpsOut = fpsOut;
  m.kbpsOut = Number.NaN;
  m.rttMs = Number.NaN;
  m.latencyMs = Number.NaN;
  m.framesIn = s.framesReceived;
  m.frameWidth = s.width;
  m.frameHeight = s.height;
}

// A number, or '-' when unknown.
function num(v: number, digits = 0): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

// The frame size, or '-' before the first frame.
function sizeText(m: StatusModel): string {
  return m.frameWidth > 0 && m.frameHeight > 0 ? `${m.frameWidth}x${m.frameHeight}` : '-';
}

// The peer as one phrase: name label (address); the label first when there is no name, so cutting loses the address.
function peerText(m: StatusModel): string {
  const parts = [m.peerName || (m.peerAddress || m.peerLabel ? '' : '-'), m.peerLabel, m.peerAddress ? `(${m.peerAddress})` : ''];
  return parts.filter((p) => p !== '').join(' ');
}

// The state word, with the pause flags.
function stateText(m: StatusModel): string {
  const flags = [m.sendPaused ? 'sending paused' : '', m.peerPaused ? 'peer paused video' : ''].filter((f) => f !== '');
  return flags.length ? `${m.state} (${flags.join(', ')})` : m.state;
}

// Lines for a panel beside the video (label: value, one per line).
export function sideLines(m: StatusModel): string[] {
  const lines = [
    `state     ${stateText(m)}`,
    `peer      ${peerText(m)}`,
    `renderer  ${m.renderer}`,
    `fps       in ${num(m.fpsIn, 1)} / out ${num(m.fpsOut, 1)}`,
    `kbit/s    in ${num(m.kbpsIn)} / out ${num(m.kbpsOut)}`,
    `size      ${sizeText(m)}`,
    `rtt       ${num(m.rttMs, 1)} ms`,
    `latency   ${num(m.latencyMs)} ms`,
    `skipped   ${m.skippedNet} net / ${m.skippedDraw} draw`,
    `security  ${m.encrypted ? 'encrypted' : 'not encrypted'}`,
  ];
  if (m.decodeErrors > 0) lines.splice(9, 0, `errors    ${m.decodeErrors} undecodable`);
  return lines;
}

// Two lines for a panel below the video; the most important facts come first, so cutting the end loses least.
export function bottomLines(m: StatusModel): string[] {
  return [
    `● ${stateText(m)} | ${peerText(m)} | ${m.renderer} | ${m.encrypted ? 'encrypted' : 'not encrypted'}`,
    `in ${num(m.fpsIn, 1)}fps ${sizeText(m)} ${num(m.kbpsIn)}kbit/s | out ${num(m.fpsOut, 1)}fps ${num(m.kbpsOut)}kbit/s | ` +
      `rtt ${num(m.rttMs, 1)}ms | latency ${num(m.latencyMs)}ms | skipped ${m.skippedNet}/${m.skippedDraw}` +
      (m.decodeErrors > 0 ? ` | ${m.decodeErrors} undecodable` : ''),
  ];
}

/** The key help line of the call screen. */
export const CALL_HELP = 'q quit | p preview | r renderer | v pause video | h hang up | ? help';

/** The help overlay text. */
export const HELP_TEXT = [
  'Keys in a call',
  '',
  '  q, Ctrl-C   quit termcall',
  '  p           show / hide the local preview',
  '  r           next renderer this terminal supports',
  '  v           pause / resume sending my video',
  '  h           hang up, back to the start screen',
  '  ?           this help',
  '',
  'Any key closes this help.',
];

// Why a call ended, in words.
export function endedText(info: CloseInfo, peer: string): string {
  if (info.reason === 'declined') return info.byPeer ? `${peer} declined the call` : `you declined the call from ${peer}`;
  if (info.reason === 'busy') return `${peer} is busy with another call`;
  if (!info.byPeer) return info.error ? `call ended: ${info.error.message}` : 'call ended — you hung up';
  if (info.reason === 'hangup') return `${peer} hung up — call ended`;
  return `call ended: ${info.error?.message ?? info.text}`;
}

// Escape text for a blessed box with tags on.
export function tagEscape(s: string): string {
  return s.replace(/[{}]/g, (c) => (c === '{' ? '{open}' : '{close}'));
}
