// A FrameSource for network tests: a moving generated picture at a steady rate, JPEG-encoded with sharp.
import sharp from 'sharp';
import type { EncodedFrame, FrameSource, PullOptions, PulledFrame } from '../../src/shared/frame-source.js';
import type { Frame } from '../../src/shared/frame.js';
import { nowMs } from '../../src/shared/frame.js';

/** Build a source of width×height frames at fps; latest frame wins (pulls never queue). */
export function makeTestSource(opts: { width?: number; height?: number; fps?: number } = {}): FrameSource & { pulls: number } {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const fps = opts.fps ?? 30;
  const interval = 1000 / fps;
  const t0 = nowMs();
  // A fixed texture twice as wide as a frame; each frame is a window sliding across it.
  const texW = width * 2;
  const tex = Buffer.alloc(texW * height * 3);
  let rnd = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < texW; x++) {
      rnd = (rnd * 1103515245 + 12345) & 0x7fffffff;
      const i = (y * texW + x) * 3;
      const n = (rnd >> 16) & 7;
      tex[i] = (x * 255 / texW + n) & 255;
      tex[i + 1] = (y * 255 / height + n) & 255;
      tex[i + 2] = ((((x >> 5) ^ (y >> 5)) & 1) * 160 + n) & 255;
    }
  }
  let closed = false;
  const src = {
    pulls: 0,
    info: { kind: 'test' as const, label: 'net test pattern', width, height, fps },
    /** Newest frame after afterSeq, scaled and JPEG-encoded when asked. */
    async pull(o: PullOptions = {}): Promise<PulledFrame> {
      if (closed) throw new Error('source closed');
      src.pulls++;
      const after = o.afterSeq ?? -1;
      let seq = Math.floor((nowMs() - t0) / interval);
      if (seq <= after) {
        seq = after + 1;
        await new Promise((r) => setTimeout(r, Math.max(0, t0 + seq * interval - nowMs())));
      }
      const captureTs = t0 + seq * interval;
      const off = (seq * 4) % width;
      const data = Buffer.alloc(width * height * 3);
      for (let y = 0; y < height; y++) tex.copy(data, y * width * 3, (y * texW + off) * 3, (y * texW + off + width) * 3);
      const frame: Frame = { data, width, height, captureTs, seq };
      let encoded: EncodedFrame | undefined;
      if (o.jpeg) {
        const { data: jpeg, info } = await sharp(data, { raw: { width, height, channels: 3 } })
          .resize(o.jpeg.maxWidth, o.jpeg.maxHeight, { fit: 'inside', withoutEnlargement: true })
          .jpeg({ quality: o.jpeg.quality })
          .toBuffer({ resolveWithObject: true });
        encoded = { jpeg, width: info.width, height: info.height, quality: o.jpeg.quality, seq, captureTs };
      }
      return {
        ...(o.raw === false ? {} : { frame }),
        ...(encoded ? { encoded } : {}),
        seq, captureTs, skipped: after >= 0 ? seq - after - 1 : 0,
      };
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
  return src;
}

/** Decode a JPEG to packed 3-channel pixels with sharp (libuv thread pool, off the main thread). */
export async function sharpDecode(jpeg: Uint8Array): Promise<Frame> {
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, captureTs: 0, seq: 0 };
}
