// The one picture type that flows between capture, network, renderers and the TUI.

/** A video frame: packed 8-bit BGR pixels (OpenCV's and the Python tutorials' order), row-major, no padding. */
export interface Frame {
  /** width * height * 3 bytes, B G R per pixel. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Capture time in milliseconds on the epoch clock of the capturing machine (fractional). */
  readonly captureTs: number;
  /** Sequence number from its source, starting at 0 and rising by one per captured frame. */
  readonly seq: number;
  /** The JPEG this frame was decoded from, when it came over the wire (renderers that take JPEG pass it through). */
  readonly jpeg?: Uint8Array;
}

/** Bytes needed for a BGR frame of this size. */
export function frameBytes(width: number, height: number): number {
  return width * height * 3;
}

/** Milliseconds on the epoch clock with sub-millisecond resolution. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
