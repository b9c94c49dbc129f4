// Measures what congestion should give up first on a slow link: JPEG quality at the pane's size, or picture size at a
// sane quality. Encodes frames of fixtures/clip.mp4 through the media worker (the sender's own scale + JPEG path) at
// several sizes and qualities, scales each decoded picture back to the pane with the renderers' FrameScaler (what the
// receiver shows), and compares it with the source fitted to the pane: mean JPEG bytes, PSNR (RGB) and SSIM (luma).
// Needs a build (dist/). `node scripts/measure-size-floor.mjs [--source test|FILE] [--png DIR]` prints a table;
// --png writes PNGs of frame 60 as the pane shows it (with sharp) to look at.
import { Buffer } from 'node:buffer';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { media } from '../dist/src/media/media.js';
import { FrameScaler } from '../dist/src/render/scale.js';

const arg = (name, dflt) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : dflt);
const [paneW, paneH] = arg('--pane', '320x240').split('x').map(Number);
const PANE = { width: paneW, height: paneH };
const SIZES = [1, 0.875, 0.75, 0.625, 0.5].map((k) => [Math.round(paneW * k), Math.round(paneH * k)]);
const QUALITIES = [25, 30, 35, 40, 45, 50, 55, 60];
const EVERY = 4; // every 4th of 120 frames

// The luma (BT.601) of an RGB grid as floats.
function luma(rgb, n) {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = 0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2];
  return y;
}

// PSNR (dB) of two RGB buffers of the same size.
export function psnr(a, b) {
  let se = 0;
  for (let i = 0; i < a.length; i++) { const d = a[i] - b[i]; se += d * d; }
  const mse = se / a.length;
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}

// Mean SSIM of the luma of two RGB grids over 8x8 windows with stride 4 (Wang et al. 2004 constants).
export function ssim(a, b, w, h) {
  const ya = luma(a, w * h), yb = luma(b, w * h);
  const c1 = (0.01 * 255) ** 2, c2 = (0.03 * 255) ** 2;
  let sum = 0, count = 0;
  for (let y0 = 0; y0 + 8 <= h; y0 += 4) {
    for (let x0 = 0; x0 + 8 <= w; x0 += 4) {
      let ma = 0, mb = 0;
      for (let y = y0; y < y0 + 8; y++) for (let x = x0; x < x0 + 8; x++) { ma += ya[y * w + x]; mb += yb[y * w + x]; }
      ma /= 64; mb /= 64;
      let va = 0, vb = 0, cov = 0;
      for (let y = y0; y < y0 + 8; y++) {
        for (let x = x0; x < x0 + 8; x++) {
          const da = ya[y * w + x] - ma, db = yb[y * w + x] - mb;
          va += da * da; vb += db * db; cov += da * db;
        }
      }
      va /= 63; vb /= 63; cov /= 63;
      sum += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      count++;
    }
  }
  return sum / count;
}

// Bilinear upscale of a BGR frame to the pane, as RGB (what a smoother renderer scaling would show).
function bilinear(frame) {
  const { width: sw, height: sh, data } = frame;
  const out = new Uint8Array(PANE.width * PANE.height * 3);
  for (let y = 0; y < PANE.height; y++) {
    const fy = Math.max(0, Math.min(sh - 1, ((y + 0.5) * sh) / PANE.height - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(sh - 1, y0 + 1), wy = fy - y0;
    for (let x = 0; x < PANE.width; x++) {
      const fx = Math.max(0, Math.min(sw - 1, ((x + 0.5) * sw) / PANE.width - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(sw - 1, x0 + 1), wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const p = (yy, xx) => data[(yy * sw + xx) * 3 + c];
        const v = (p(y0, x0) * (1 - wx) + p(y0, x1) * wx) * (1 - wy) + (p(y1, x0) * (1 - wx) + p(y1, x1) * wx) * wy;
        out[(y * PANE.width + x) * 3 + (2 - c)] = Math.round(v);
      }
    }
  }
  return out;
}

// A copy of what a FrameScaler shows for this BGR frame in the pane (RGB).
function shown(frame) {
  return Uint8Array.from(new FrameScaler().scale(frame, PANE.width, PANE.height, 1).data);
}

// n full-size frames of the synthetic test pattern (the clock and the ball move between them).
async function testPatternFrames(mw, n) {
  const src = await mw.openSource('test');
  const out = [];
  let seq = -1;
  for (let i = 0; i < n; i++) {
    const p = await src.pull({ afterSeq: seq });
    seq = p.seq;
    out.push(p.frame);
  }
  await src.close();
  return out;
}

const m = media();
const sourceArg = arg('--source', 'fixtures/clip.mp4');
const all = sourceArg === 'test' ? await testPatternFrames(m, 120) : await m.readAllFrames(sourceArg);
const frames = all.filter((_f, i) => i % EVERY === 0);
// The reference: each source frame area-averaged into the pane, without JPEG loss (the best the pane can show).
const exact = frames.map((f) => shown(f));

console.log(`${sourceArg}: ${all.length} frames ${all[0].width}x${all[0].height}, ${frames.length} measured; pane ${PANE.width}x${PANE.height}`);
console.log('size     q   bytes/frame  PSNR(dB)  SSIM    | bilinear: PSNR  SSIM');
const rows = [];
for (const [w, h] of SIZES) {
  for (const q of QUALITIES) {
    let bytes = 0, p = 0, s = 0, pb = 0, sb = 0;
    for (let i = 0; i < frames.length; i++) {
      const enc = await m.encodeFrame(frames[i], { maxWidth: w, maxHeight: h }, q);
      bytes += enc.jpeg.length;
      const dec = await m.decodeJpeg(enc.jpeg);
      const pic = shown(dec);
      p += psnr(pic, exact[i]);
      s += ssim(pic, exact[i], PANE.width, PANE.height);
      const smooth = bilinear(dec);
      pb += psnr(smooth, exact[i]);
      sb += ssim(smooth, exact[i], PANE.width, PANE.height);
    }
    const row = { w, h, q, bytes: Math.round(bytes / frames.length), psnr: p / frames.length, ssim: s / frames.length, psnrB: pb / frames.length, ssimB: sb / frames.length };
    rows.push(row);
    console.log(`${`${w}x${h}`.padEnd(8)} ${String(q).padStart(2)}  ${String(row.bytes).padStart(11)}  ${row.psnr.toFixed(2).padStart(8)}  ${row.ssim.toFixed(4)}  |          ${row.psnrB.toFixed(2).padStart(5)}  ${row.ssimB.toFixed(4)}`);
  }
}

const pngDir = arg('--png', null);
if (pngDir) {
  const sharp = (await import('sharp')).default;
  mkdirSync(pngDir, { recursive: true });
  const f = all[60];
  const toPng = (rgb, name) => sharp(Buffer.from(rgb), { raw: { width: PANE.width, height: PANE.height, channels: 3 } })
    .resize(PANE.width * 2, PANE.height * 2, { kernel: 'nearest' }).png().toFile(join(pngDir, name));
  await toPng(shown(f), 'reference.png');
  const at = (k) => [Math.round(paneW * k), Math.round(paneH * k)];
  for (const [w, h, q] of [[...at(1), 25], [...at(1), 35], [...at(0.75), 45], [...at(0.75), 50], [...at(0.75), 60], [...at(0.5), 50], [...at(0.5), 60]]) {
    const enc = await m.encodeFrame(f, { maxWidth: w, maxHeight: h }, q);
    await toPng(shown(await m.decodeJpeg(enc.jpeg)), `${w}x${h}-q${q}-${enc.jpeg.length}B.png`);
  }
  console.log(`PNGs (2x nearest, as the pane shows them) in ${pngDir}`);
}
process.exit(0);
