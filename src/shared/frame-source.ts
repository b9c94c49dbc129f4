// What a frame source and the media worker offer the rest of termcall (main-thread side).
import type { Frame } from './frame.js';

export type SourceSpec =
  | { readonly kind: 'camera'; readonly index: number }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'test' };

/** What is known about an opened source. */
export interface SourceInfo {
  readonly kind: SourceSpec['kind'];
  /** Human label: "camera 0", the file name, the URL, "test pattern". */
  readonly label: string;
  readonly width: number;
  readonly height: number;
  /** The rate frames are delivered at: min(requested fps, the source's own fps; measured for a stream that states none). */
  readonly fps: number;
}

/** A frame scaled to fit a box (aspect kept, never enlarged) and JPEG-encoded. */
export interface EncodedFrame {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly quality: number;
  readonly seq: number;
  readonly captureTs: number;
}

/** Options for one pull from a source. */
export interface PullOptions {
  /** Only a frame with a greater seq is returned (waits for it). Default -1: any frame. */
  readonly afterSeq?: number;
  /** Also return the frame scaled into this box and JPEG-encoded. */
  readonly jpeg?: { readonly maxWidth: number; readonly maxHeight: number; readonly quality: number };
  /** Return raw pixels scaled to fit into this box (aspect kept, never enlarged). Omit for full size. */
  readonly raw?: { readonly maxWidth: number; readonly maxHeight: number } | false;
}

export interface PulledFrame {
  /** Raw BGR pixels (absent when raw: false was asked). */
  readonly frame?: Frame;
  readonly encoded?: EncodedFrame;
  readonly seq: number;
  readonly captureTs: number;
  /** Frames the source captured that this puller never saw (latest-frame-wins). */
  readonly skipped: number;
}

/** An open frame source living in the media worker. Latest frame wins: pulling never queues frames. */
export interface FrameSource {
  readonly info: SourceInfo;
  /** The newest frame after opts.afterSeq; resolves when one exists. Rejects with CaptureError if the source fails. */
  pull(opts?: PullOptions): Promise<PulledFrame>;
  close(): Promise<void>;
}
