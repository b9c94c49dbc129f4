// The status panel's content (pure): call state, peer, renderer, rates, delays, skipped frames, encryption.
import type { CloseInfo } from '../call/session.js';
import type { SessionStats } from '../call/stats.js';
import type { PathInfo } from '../call/lanes.js';
import type { TutorialStats } from '../tutorial/link.js';
import { sparkline, StatsHistory } from './sparkline.js';
import type { Caps, RenderRequest } from '../render/caps.js';
import { sanitizeChat } from '../shared/chat-text.js';

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
  /** Why this renderer: "auto: COLORTERM=truecolor → 24-bit colour", "--render 256", "r key". */
  rendererWhy: string;
  /** Audio levels 0..1 (NaN: no voice in this call) and mute; the voice work fills them from CallSide events. */
  audioIn: number;
  audioOut: number;
  audioMuted: boolean;
  /** Speaker muted (M), the peer's microphone muted, and the audio figures line ('' without voice). */
  speakerMuted: boolean;
  peerMuted: boolean;
  audioInfo: string;
  /** The network path: "tcp", "direct host→host", "relayed relay→relay" ('' unknown); its transport RTT (NaN: none). */
  path: string;
  pathRttMs: number;
}

// A fresh model (no call).
export function emptyStatus(renderer: string, state: CallState = 'idle'): StatusModel {
  return {
    state, peerName: '', peerAddress: '', peerLabel: '', renderer, encrypted: false, sendPaused: false, peerPaused: false,
    fpsIn: Number.NaN, fpsOut: Number.NaN, kbpsIn: Number.NaN, kbpsOut: Number.NaN, rttMs: Number.NaN,
    latencyMs: Number.NaN, skippedNet: 0, skippedDraw: 0, decodeErrors: 0, framesIn: 0, frameWidth: 0, frameHeight: 0,
    rendererWhy: '', audioIn: Number.NaN, audioOut: Number.NaN, audioMuted: false,
    speakerMuted: false, peerMuted: false, audioInfo: '', path: '', pathRttMs: Number.NaN,
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
  if (s.path) applyPath(m, s.path);
  const a = s.audio;
  if (a) {
    // Levels as 0..1 over -60..0 dBFS (a side without that device: NaN, shown as '-').
    const level = (db: number, present: boolean): number => (present ? (Number.isFinite(db) ? Math.max(0, Math.min(1, (db + 60) / 60)) : 0) : Number.NaN);
    m.audioIn = level(a.inLevelDb, a.input !== 'none');
    m.audioOut = level(a.outLevelDb, a.output !== 'none');
    m.audioMuted = a.micMuted;
    m.speakerMuted = a.speakerMuted;
    m.peerMuted = a.peerMicMuted;
    m.audioInfo = `${num(a.rxKbps)}k jb ${a.jitterDepthMs}/${a.jitterTargetMs}ms loss ${num(a.lossPercent, 1)}% plc ${a.concealed}`;
  }
}

/** The call's network path into the model (from the stats, or from the call side when the call starts). */
export function applyPath(m: StatusModel, p: PathInfo): void {
  m.path = p.kind === 'tcp' ? 'tcp' : `${p.kind}${p.candidates ? ` ${p.candidates}` : ''}`;
  m.pathRttMs = p.rttMs;
}

/** How the call is protected, in words: a WebRTC call is always encrypted (DTLS); the passphrase authenticates the peer. */
export function securityText(encrypted: boolean, path: string): string {
  const webrtc = path !== '' && path !== 'tcp';
  if (encrypted) return webrtc ? 'encrypted, passphrase proven' : 'encrypted';
  return webrtc ? 'encrypted, not authenticated' : 'not encrypted';
}

// The path with its transport RTT: "direct host→host 0.4 ms", "tcp", '-' when unknown.
function pathText(m: StatusModel): string {
  if (!m.path) return '-';
  return Number.isFinite(m.pathRttMs) ? `${m.path} ${num(m.pathRttMs, 1)} ms` : m.path;
}

/** Mute state from the call side's 'audio' event (keys m/M, the peer muting). */
export function applyAudioState(m: StatusModel, a: { on: boolean; micMuted: boolean; speakerMuted: boolean; peerMicMuted: boolean }): void {
  m.audioMuted = a.micMuted;
  m.speakerMuted = a.speakerMuted;
  m.peerMuted = a.peerMicMuted;
  if (!a.on) m.audioInfo = '';
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

// Why the renderer in use was picked: the option, or auto and the deciding capability.
export function rendererWhy(caps: Pick<Caps, 'reasons' | 'colorDepth'>, requested: RenderRequest): string {
  if (requested !== 'auto') return `--render ${requested}`;
  // the last colour finding decides (a DECRQSS reply upgrades what TERM said): name where it came from
  const colour = [...caps.reasons].reverse().find((r) => /colou?r/i.test(r) && r.includes('→'));
  const from = colour ? ` (${(colour.split(/[:→]/)[0] ?? '').trim()})` : '';
  return `auto: ${caps.colorDepth}-bit colour${from}`;
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

// The pause flags that are set.
function pauseFlags(m: StatusModel): string[] {
  return [m.sendPaused ? 'sending paused' : '', m.peerPaused ? 'peer paused video' : ''].filter((f) => f !== '');
}

// The state word, with the pause flags.
function stateText(m: StatusModel): string {
  const flags = pauseFlags(m);
  return flags.length ? `${m.state} (${flags.join(', ')})` : m.state;
}

// A graph row: label, current value, sparkline of the last minute, in exactly cols cells.
function graphRow(label: string, value: string, values: readonly number[], cols: number, max?: number): string {
  const head = `${label.padEnd(5)}${value.padStart(6)} `;
  return head + sparkline(values, Math.max(0, cols - head.length), max);
}

// The four graph rows of one direction.
function directionRows(d: StatsHistory['in'], cols: number): string[] {
  const last = (a: readonly number[]): number => a.at(-1) ?? Number.NaN;
  return [
    graphRow('fps', num(last(d.fps), 1), d.fps, cols),
    graphRow('kbit', num(last(d.kbps)), d.kbps, cols),
    graphRow('ms', num(last(d.latency)), d.latency, cols),
    graphRow('loss', Number.isFinite(last(d.loss)) ? `${num(last(d.loss))}%` : '-', d.loss, cols, 100),
  ];
}

// The audio slot: levels when voice is on (issue 14 fills audioIn/audioOut), '-' otherwise.
function audioText(m: StatusModel): string {
  if (!Number.isFinite(m.audioIn) && !Number.isFinite(m.audioOut)) return 'audio     -';
  const bar = (v: number): string => (Number.isFinite(v) ? sparkline([Math.max(0, Math.min(1, v))], 1, 1) : '-');
  const flags = [m.audioMuted ? 'mic muted' : '', m.speakerMuted ? 'speaker muted' : '', m.peerMuted ? 'peer muted' : ''].filter(Boolean);
  return `audio     in ${bar(m.audioIn)} out ${bar(m.audioOut)}${flags.length ? ` (${flags.join(', ')})` : ''}` +
    (m.audioInfo ? ` ${m.audioInfo}` : '');
}

/** Lines for the panel beside the video (label, value; then graphs per direction), most important first. */
export function sideLines(m: StatusModel, hist: StatsHistory = new StatsHistory(), cols = 30): string[] {
  const lines = [
    `peer      ${peerText(m)}`,
    `state     ${m.state}`,
    ...pauseFlags(m).map((f) => `          ${f}`),
    `security  ${securityText(m.encrypted, m.path)}`,
    `path      ${pathText(m)}`,
    `renderer  ${m.renderer}`,
    ...(m.rendererWhy ? [`  why     ${m.rendererWhy}`] : []),
    `rtt       ${num(m.rttMs, 1)} ms`,
    `size      ${sizeText(m)}`,
    `skipped   ${m.skippedNet} net / ${m.skippedDraw} draw`,
    ...(m.decodeErrors > 0 ? [`errors    ${m.decodeErrors} undecodable`] : []),
    `↓ in    fps ${num(m.fpsIn, 1)} · ${num(m.latencyMs)} ms`,
    ...directionRows(hist.in, cols),
    `↑ out   fps ${num(m.fpsOut, 1)}`,
    ...directionRows(hist.out, cols),
    audioText(m),
  ];
  return lines;
}

// Two lines for a panel below the video; the most important facts come first, so cutting the end loses least.
// With rows > 2 (a tall window), a graph row per figure follows: in on the left half, out on the right.
export function bottomLines(m: StatusModel, hist?: StatsHistory, cols = 80, rows = 2): string[] {
  const lines = [
    `● ${stateText(m)} | ${peerText(m)} | ${pathText(m)} | ${securityText(m.encrypted, m.path)} | ${m.renderer}` +
      (Number.isFinite(m.audioIn) || Number.isFinite(m.audioOut) ? ` | ${audioText(m).replace(/^audio\s+/, 'audio ')}` : ''),
    `in ${num(m.fpsIn, 1)}fps ${sizeText(m)} ${num(m.kbpsIn)}kbit/s | out ${num(m.fpsOut, 1)}fps ${num(m.kbpsOut)}kbit/s | ` +
      `rtt ${num(m.rttMs, 1)}ms | latency ${num(m.latencyMs)}ms | skipped ${m.skippedNet}/${m.skippedDraw}` +
      (m.decodeErrors > 0 ? ` | ${m.decodeErrors} undecodable` : ''),
  ];
  if (hist && rows >= 6) {
    const half = Math.floor((cols - 3) / 2);
    const ins = directionRows(hist.in, half - 3);
    const outs = directionRows(hist.out, half - 4);
    for (let i = 0; i < 4; i++) lines.push(`in ${ins[i] ?? ''} | out ${outs[i] ?? ''}`);
  }
  return lines;
}

/** The key help line of the call screen. */
export const CALL_HELP = 'Enter chat | q quit | h hang up | f full | P corner | ? all keys';

/** The help overlay text: every key of the call screen (README's Keys table lists the same). */
export const HELP_TEXT = [
  'Keys in a call',
  '',
  '  Enter, c    open the chat input (Enter sends, Esc closes)',
  '  C           show / hide the chat pane (unread count when hidden)',
  '  q, Ctrl-C   quit termcall',
  '  h           hang up, back to the start screen',
  '  p           show / hide the local preview',
  '  P           move the preview to the next corner',
  '  f           full-window video (f or Esc back)',
  '  r           next renderer this terminal supports',
  '  v           pause / resume sending my video',
  '  m           mute / unmute my microphone (the peer sees "muted")',
  '  M           mute / unmute my speaker',
  '  ?           this help',
  '',
  'In the chat input: ←/→ Home/End (Ctrl-A/E), Backspace, Delete,',
  'Ctrl-U (to start), Ctrl-W (word); call keys are just text there.',
  '',
  'Any key closes this help.',
];

// Why a call ended, in words.
export function endedText(info: CloseInfo, peer: string): string {
  if (info.reason === 'declined') return info.byPeer ? `${peer} declined the call` : `you declined the call from ${peer}`;
  if (info.reason === 'busy') return `${peer} is busy with another call`;
  if (!info.byPeer) return info.error ? `call ended: ${info.error.message}` : 'call ended — you hung up';
  if (info.reason === 'hangup') return `${peer} hung up — call ended`;
  return `call ended: ${sanitizeChat(info.error?.message ?? info.text)}`;
}

// Escape text for a blessed box with tags on.
export function tagEscape(s: string): string {
  return s.replace(/[{}]/g, (c) => (c === '{' ? '{open}' : '{close}'));
}
