// The typed messages between the main thread and the media worker.
import type { PullOptions, SourceInfo, SourceSpec } from '../shared/frame-source.js';
import type { ErrorCode } from '../shared/errors.js';

export type MediaRequest =
  | { t: 'open'; id: number; sourceId: number; spec: SourceSpec; fps: number; loop: boolean }
  | { t: 'pull'; id: number; sourceId: number; opts: PullOptions }
  | { t: 'close'; id: number; sourceId: number }
  | { t: 'shutdown'; id: number }
  | { t: 'encode'; id: number; data: Uint8Array; width: number; height: number; maxWidth: number; maxHeight: number; quality: number }
  | { t: 'decode'; id: number; bytes: Uint8Array; maxWidth?: number; maxHeight?: number }
  | { t: 'devices'; id: number; maxIndex: number }
  | { t: 'bench-capture'; id: number; path: string; frames: number; maxWidth: number; maxHeight: number; quality: number }
  | { t: 'read-all'; id: number; path: string; maxFrames: number };

export interface WirePixels { data: Uint8Array; width: number; height: number }

export type MediaReply =
  | { t: 'ok'; id: number; result: unknown }
  | { t: 'err'; id: number; code: ErrorCode | undefined; message: string };

export interface OpenResult { info: SourceInfo }
export interface PullReply {
  seq: number; captureTs: number; skipped: number;
  /** The source's delivery rate now (a stream that states none is measured as it runs). */
  fps: number;
  raw?: WirePixels;
  jpeg?: { jpeg: Uint8Array; width: number; height: number; quality: number };
}
export interface DeviceInfo { index: number; path: string; width: number; height: number; fps: number }

/** What the worker measured of the capture pipeline (`termcall bench`). */
export interface CaptureBench {
  width: number;
  height: number;
  frames: number;
  /** Frames per second read + scaled into the box + JPEG-encoded, back to back, one thread. */
  framesPerSecond: number;
  readMs: number;
  scaleMs: number;
  encodeMs: number;
  jpegBytes: number;
}
