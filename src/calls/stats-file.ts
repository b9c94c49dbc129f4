// --stats-file: one JSON object per line per second of every call, the same shape for every wire.
import { createWriteStream } from 'node:fs';
import { statsToJson, type SessionStats } from '../call/stats.js';
import type { TutorialStats } from '../tutorial/link.js';
import type { CallSide } from './call-side.js';

/** A tutorial link's stats in the termcall stats shape: what these wires cannot measure is NaN (null in JSON). */
export function tutorialSessionStats(s: TutorialStats, fpsOut: number, ts: number): SessionStats {
  const unknown = Number.NaN;
  return {
    ts, peer: s.peer, rttMs: unknown, clockOffsetMs: unknown,
    tx: {
      fps: fpsOut, kbps: unknown, latencyMs: unknown, latencyP95Ms: unknown, skippedBySender: s.framesDropped,
      skippedByReceiver: 0, frames: s.framesSent, quality: unknown, width: 0, height: 0, bytesPerFrame: unknown,
      decodeErrors: 0, targetFps: unknown, inFlight: unknown,
    },
    rx: {
      fps: s.fps, kbps: Math.round((s.bytesPerSecond * 8) / 100) / 10, latencyMs: unknown, latencyP95Ms: unknown,
      skippedBySender: 0, skippedByReceiver: 0, frames: s.framesReceived, quality: unknown, width: s.width,
      height: s.height, bytesPerFrame: s.frameWireBytes, decodeErrors: 0,
    },
  };
}

/** Appends the side's stats to path until the side stops; a file that cannot be written is given up silently. */
export function recordStats(side: CallSide, path: string): { close(): Promise<void> } {
  const out = createWriteStream(path, { flags: 'a' });
  let broken = false;
  out.on('error', () => { broken = true; });
  const write = (s: SessionStats): void => {
    if (!broken) out.write(statsToJson(s) + '\n');
  };
  const onStats = (s: SessionStats): void => write(s);
  const onLinkStats = (s: TutorialStats, fpsOut: number): void => write(tutorialSessionStats(s, fpsOut, Date.now()));
  side.on('stats', onStats);
  side.on('linkStats', onLinkStats);
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      side.off('stats', onStats);
      side.off('linkStats', onLinkStats);
      if (broken) return resolve();
      out.end(() => resolve());
    });
    return closing;
  };
  side.once('stopped', () => void close());
  return { close };
}
