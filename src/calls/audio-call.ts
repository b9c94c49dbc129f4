// The audio of one termcall call: microphone → Opus → session (sent ahead of video), and session → jitter buffer →
// Opus (PLC for late or lost frames) → speaker, paced by a play-out clock; mute both ways, levels and stats.
// Device failures end only the audio: the call goes on (a notice says so).
import type { Session } from '../call/session.js';
import { quantile, type AudioStats } from '../call/stats.js';
import { OpusDecoder, OpusEncoder } from '../audio/opus-codec.js';
import { JitterBuffer } from '../audio/jitter-buffer.js';
import { LevelMeter } from '../audio/levels.js';
import { LipSyncQueue, SyncClock } from '../audio/lip-sync.js';
import type { Frame } from '../shared/frame.js';
import type { AudioInput, AudioOutput } from '../audio/devices.js';
import type { AudioMsg } from '../protocol/messages.js';
import { messageOf } from '../shared/errors.js';
import { nowMs } from '../shared/frame.js';
import { AUDIO_DEVICE_LEAD_MS, AUDIO_FRAME_MS, AUDIO_FRAME_SAMPLES } from '../shared/limits.js';

/** Frames the play-out clock may fall behind (a blocked event loop) before it restarts from now. */
const MAX_BEHIND_FRAMES = 10;
/** How often the play-out clock checks for due frames. */
const PLAYOUT_TICK_MS = 5;

/** What the audio of a call reports to its owner. */
export interface AudioCallHooks {
  /** A device failed or something else worth a line on screen. */
  notice(text: string): void;
  /** A video frame's time has come (lip sync): show it. */
  show?(frame: Frame): void;
}

/** Mute state and devices of a call's audio; see the file comment. */
export class AudioCall {
  private readonly encoder: OpusEncoder | null;
  private readonly decoder = new OpusDecoder();
  private readonly jitter = new JitterBuffer();
  private readonly inMeter = new LevelMeter();
  private readonly outMeter = new LevelMeter();
  private seq = 0;
  private micMuted = false;
  private speakerMuted = false;
  private peerMicMuted = false;
  private peerNoMic = false;
  private input: AudioInput | null;
  private output: AudioOutput | null;
  private readonly timer: NodeJS.Timeout;
  private t0 = 0;
  private written = 0;
  private rxBytes = 0;
  private lastTxBytes = 0;
  private lastRxBytes = 0;
  private lastStatsAt = nowMs();
  private lastRxAt = 0;
  private longestGap = 0;
  private latencies: number[] = [];
  private stopped = false;
  /** What the speaker held at the last play-out tick (ms; null when it does not say). */
  private lastAheadMs: number | null = null;
  private playedAny = false;
  private missRun = 0;
  private longestPlayGap = 0;
  /** Lip sync: the audio play-out clock and the video frames waiting for it. */
  private readonly syncClock = new SyncClock();
  private readonly videoQueue = new LipSyncQueue<Frame>(this.syncClock);
  private videoTimer: NodeJS.Timeout | null = null;
  private syncOffsets: number[] = [];

  constructor(private readonly session: Session, input: AudioInput | null, output: AudioOutput | null, private readonly hooks: AudioCallHooks) {
    this.input = input;
    this.output = output;
    this.encoder = input ? new OpusEncoder() : null;
    input?.on('frame', (pcm, ts) => this.onCapture(pcm, ts));
    input?.on('error', (err) => {
      this.hooks.notice(`${err.message} — audio continues without a microphone`);
      this.input?.close();
      this.input = null;
      this.sendState();
    });
    output?.on('error', (err) => {
      this.syncClock.clear();
      this.hooks.notice(`${err.message} — audio continues without a speaker`);
      this.output?.close();
      this.output = null;
      this.sendState();
    });
    session.on('audio', (m) => this.onPacket(m));
    session.on('peerAudio', (st) => {
      this.peerMicMuted = st.micMuted;
      this.peerNoMic = st.noMic;
      // A pause while the peer was muted is not a gap.
      if (st.micMuted) this.playedAny = false;
    });
    session.once('close', () => this.stop());
    this.sendState();
    this.timer = setInterval(() => this.playout(), PLAYOUT_TICK_MS);
  }

  /** Mute or unmute my microphone (nothing is sent while muted; the peer is told). */
  setMicMuted(muted: boolean): void {
    this.micMuted = muted;
    this.sendState();
  }

  /** Mute or unmute my speaker (silence is played; the peer is told). */
  setSpeakerMuted(muted: boolean): void {
    this.speakerMuted = muted;
    if (muted) this.syncClock.clear();
    this.sendState();
  }

  get mic(): { muted: boolean; present: boolean } {
    return { muted: this.micMuted, present: this.input !== null };
  }

  get speaker(): { muted: boolean; present: boolean } {
    return { muted: this.speakerMuted, present: this.output !== null };
  }

  /** A decoded video frame (captureTs on the local clock): shown now or when its audio is heard (lip sync). */
  videoFrame(frame: Frame): void {
    if (this.stopped) {
      this.hooks.show?.(frame);
      return;
    }
    const out = this.videoQueue.push(frame, nowMs());
    if (out) this.showFrame(out);
    this.scheduleVideo();
  }

  /** Arm one timer for the next held frame (never blocks: frames go out from a timer callback). */
  private scheduleVideo(): void {
    if (this.videoTimer) return;
    const at = this.videoQueue.nextDueAt();
    if (at === null) return;
    this.videoTimer = setTimeout(() => {
      this.videoTimer = null;
      const out = this.videoQueue.due(nowMs());
      if (out) this.showFrame(out);
      this.scheduleVideo();
    }, Math.max(0, at - nowMs()));
  }

  /** Show a frame and note its lip-sync offset against the audio being heard now. */
  private showFrame(frame: Frame): void {
    const now = nowMs();
    const audioDelay = this.syncClock.audioDelayMs(now);
    if (audioDelay !== null) this.syncOffsets.push(now - frame.captureTs - audioDelay);
    this.hooks.show?.(frame);
  }

  /** Tell the peer the current state. */
  private sendState(): void {
    if (this.stopped) return;
    this.session.setAudioState({ micMuted: this.micMuted, noMic: this.input === null, speakerOff: this.speakerMuted || this.output === null });
  }

  /** A captured frame: meter it, and unless muted encode and send it. */
  private onCapture(pcm: Int16Array, captureTs: number): void {
    if (this.stopped || !this.encoder) return;
    this.inMeter.push(pcm);
    const seq = this.seq++;
    if (this.micMuted || !this.session.audioFlows()) return;
    try {
      this.session.sendAudio(seq, captureTs, this.encoder.encode(pcm));
    } catch (err) {
      this.hooks.notice(`audio frame not sent: ${messageOf(err)}`);
    }
  }

  /** A packet from the peer: into the jitter buffer. */
  private onPacket(m: AudioMsg): void {
    const now = nowMs();
    if (this.lastRxAt > 0) this.longestGap = Math.max(this.longestGap, now - this.lastRxAt);
    this.lastRxAt = now;
    this.rxBytes += m.opus.length;
    // Copy: the message's bytes are a view into the decoder's chunk.
    this.jitter.push({ seq: m.seq, captureTs: m.captureTs, opus: Uint8Array.from(m.opus) }, now);
  }

  /**
   * The play-out clock: frames go to the speaker so that it holds about AUDIO_DEVICE_LEAD_MS. A device that reports
   * its own play position (pacat) paces it — which follows its sound card's clock, so drift against the wall clock
   * cannot build up delay; others are paced by the wall clock.
   */
  private playout(): void {
    const now = nowMs();
    if (this.t0 === 0) this.t0 = now;
    const ahead = this.output?.aheadMs(now) ?? null;
    let due: number;
    let playAt: (i: number) => number;
    if (ahead !== null) {
      due = ahead < AUDIO_DEVICE_LEAD_MS ? Math.min(MAX_BEHIND_FRAMES, Math.ceil((AUDIO_DEVICE_LEAD_MS - ahead) / AUDIO_FRAME_MS)) : 0;
      playAt = (i) => now + ahead + i * AUDIO_FRAME_MS;
      this.t0 = now;
      this.written = 0;
    } else {
      due = Math.floor((now - this.t0 + AUDIO_DEVICE_LEAD_MS) / AUDIO_FRAME_MS) - this.written;
      if (due > MAX_BEHIND_FRAMES) {
        // The event loop was blocked: restart the clock instead of bursting (the device underran meanwhile).
        this.t0 = now;
        this.written = 0;
        due = Math.floor(AUDIO_DEVICE_LEAD_MS / AUDIO_FRAME_MS);
      }
      const base = this.t0 + this.written * AUDIO_FRAME_MS;
      playAt = (i) => base + i * AUDIO_FRAME_MS;
      this.written += Math.max(0, due);
    }
    this.lastAheadMs = ahead;
    for (let i = 0; i < due; i++) this.playFrame(playAt(i));
  }

  /** Take one frame from the jitter buffer (a packet, PLC or silence) and write it; it is heard at playAt. */
  private playFrame(playAt: number): void {
    const out = this.jitter.pull();
    let pcm: Int16Array;
    if (out.kind === 'packet') {
      // An audible gap: frames played without a packet between two packets (concealed or silent).
      if (this.playedAny) this.longestPlayGap = Math.max(this.longestPlayGap, this.missRun * AUDIO_FRAME_MS);
      this.playedAny = true;
      this.missRun = 0;
      pcm = this.decoder.decode(out.packet.opus);
      const localCapture = out.packet.captureTs - this.session.clockOffsetMs;
      this.latencies.push(playAt - localCapture);
      if (this.output && !this.speakerMuted) this.syncClock.heard(localCapture, playAt, nowMs());
    } else if (out.kind === 'conceal') {
      this.missRun++;
      pcm = this.decoder.conceal();
    } else {
      this.missRun++;
      pcm = new Int16Array(AUDIO_FRAME_SAMPLES);
    }
    if (this.speakerMuted) pcm = new Int16Array(AUDIO_FRAME_SAMPLES);
    this.outMeter.push(pcm);
    this.output?.write(pcm);
  }

  /** Audio stats since the last call (rates over the interval, counters totals). */
  stats(): AudioStats {
    const now = nowMs();
    const secs = Math.max(1, now - this.lastStatsAt) / 1000;
    const tx = this.session.audioBytesSent;
    if (this.lastRxAt > 0) this.longestGap = Math.max(this.longestGap, now - this.lastRxAt);
    const lat = this.latencies.sort((a, b) => a - b);
    const c = this.jitter.counters;
    const due = c.played + c.lost + c.late;
    const s: AudioStats = {
      input: this.input?.label ?? 'none', output: this.output?.label ?? 'none',
      micMuted: this.micMuted, speakerMuted: this.speakerMuted, peerMicMuted: this.peerMicMuted, peerNoMic: this.peerNoMic,
      inLevelDb: round1(this.inMeter.db), outLevelDb: round1(this.outMeter.db),
      txKbps: round1(((tx - this.lastTxBytes) * 8) / 1000 / secs), rxKbps: round1(((this.rxBytes - this.lastRxBytes) * 8) / 1000 / secs),
      jitterTargetMs: this.jitter.target, jitterDepthMs: this.jitter.depthMs,
      deviceAheadMs: this.lastAheadMs === null ? Number.NaN : Math.round(this.lastAheadMs),
      latencyMs: round1(quantile(lat, 0.5)), latencyP95Ms: round1(quantile(lat, 0.95)),
      longestGapMs: this.playedAny ? this.longestPlayGap : Number.NaN,
      arrivalGapMs: this.lastRxAt > 0 ? this.longestGap : Number.NaN,
      played: c.played, concealed: c.concealed, late: c.late, lost: c.lost, dropped: c.dropped, corrupt: this.decoder.corrupt,
      lossPercent: due > 0 ? round1(((c.lost + c.late) * 100) / due) : 0,
      lipSyncMs: round1(quantile(this.syncOffsets.sort((a, b) => a - b), 0.5)),
    };
    this.syncOffsets = [];
    this.lastStatsAt = now;
    this.lastTxBytes = tx;
    this.lastRxBytes = this.rxBytes;
    this.latencies = [];
    this.longestGap = 0;
    this.longestPlayGap = 0;
    return s;
  }

  /** Stop: close the devices (the call ended). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    if (this.videoTimer) clearTimeout(this.videoTimer);
    this.videoTimer = null;
    this.videoQueue.clear();
    this.input?.close();
    this.output?.close();
    this.input = null;
    this.output = null;
  }
}

/** Round to one decimal (keeps NaN and infinities). */
function round1(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 10) / 10 : v;
}
