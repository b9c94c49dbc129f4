// Rate-distortion painting of the truecolor cell renderers (sub-cell symbols and half-blocks): repaints priced in bytes (λ), cheaper renderings that
// keep the SGR colours already set, and the byte costs that pricing relies on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderer } from '../../../src/render/table.js';
import { cellViewer } from '../../../src/bench/fidelity-viewers.js';
import { blurLumaPsnr, psnrRgb } from '../../../src/bench/fidelity-metrics.js';
import { referencePicture } from '../../../src/bench/fidelity-reference.js';
import { ByteWriter } from '../../../src/render/byte-writer.js';
import { CursorTracker } from '../../../src/render/cursor.js';
import { MODE_16, MODE_256, MODE_TC, writeSgr } from '../../../src/render/sgr.js';
import { cursorBytes, sgrBytes, slopeAt } from '../../../src/render/rd-cost.js';
import type { Frame } from '../../../src/shared/frame.js';

const COLS = 40;
const ROWS = 15;
const W = 320;
const H = 240;
const RECT = { col: 0, row: 0, cols: COLS, rows: ROWS };

// A camera-like moving picture: a lit wall whose 16x16-px blocks drift by ±1 level a frame (as a video codec's
// blocks do), sensor noise, and a disc moving 2 px a frame: everything changes a little in every frame.
function cameraLikeFrames(n: number): Frame[] {
  let s = 12345;
  const rnd = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
  const dc = new Float32Array((W / 16) * (H / 16) * 3);
  const out: Frame[] = [];
  for (let t = 0; t < n; t++) {
    for (let k = 0; k < dc.length; k++) dc[k] = Math.max(-6, Math.min(6, (dc[k] as number) + (rnd() < 0.5 ? -1 : 1)));
    const data = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const inside = (x - 100 - 2 * t) ** 2 + (y - 130) ** 2 < 45 * 45;
        const base = inside ? [200, 150, 120] : [120 + y / 3, 150 + y / 4, 170 + y / 5];
        const b = ((y >> 4) * (W / 16) + (x >> 4)) * 3;
        for (let c = 0; c < 3; c++) {
          const v = (base[c] as number) + (dc[b + c] as number) + (rnd() + rnd() - 1) * 4;
          data[(y * W + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    out.push({ data, width: W, height: H, seq: t, captureTs: 0 });
  }
  return out;
}

/** What a viewer sees over frames 4.. (mean figures against each frame), and the bytes and SGRs of frames 1... */
interface Seen {
  psnr: number;
  blur: number;
  bytesPerFrame: number;
  sgrs: number;
  cells: number;
}

// Render the frames in order with a table renderer at the default budget and measure.
function seen(kind: 'sextants' | 'symbols' | 'truecolor', frames: readonly Frame[]): Seen {
  const r = createRenderer(kind, { width: 8, height: 16 });
  const v = cellViewer({ cols: COLS, rows: ROWS, cellWidthPx: 8, cellHeightPx: 16 });
  let bytes = 0, psnr = 0, blur = 0, n = 0, sgrs = 0, cells = 0;
  frames.forEach((f, i) => {
    const out = r.render(f, RECT);
    v.write(out);
    if (i > 0) {
      bytes += out.length;
      const s = out.toString('utf8');
      sgrs += (s.match(/\x1b\[[0-9;]*m/g) ?? []).length - 1; // less the reset at the end
      cells += Array.from(s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')).length;
    }
    if (i >= 4) {
      const ref = referencePicture(f, COLS * 8, ROWS * 16);
      const pic = v.picture();
      psnr += psnrRgb(pic, ref);
      blur += blurLumaPsnr(pic, ref);
      n++;
    }
  });
  return { psnr: psnr / n, blur: blur / n, bytesPerFrame: bytes / (frames.length - 1), sgrs, cells };
}

test('sextants on a camera-like moving picture: sharper in fewer bytes than the gain-ordered budget (35.58 / 41.31 dB at 1147 B)', () => {
  const s = seen('sextants', cameraLikeFrames(16));
  const say = `${s.psnr.toFixed(2)} / ${s.blur.toFixed(2)} dB at ${Math.round(s.bytesPerFrame)} B/frame`;
  assert.ok(s.psnr >= 35.7, say);
  assert.ok(s.blur >= 41.5, say);
  assert.ok(s.bytesPerFrame <= 1000, say);
});

test('quadrant symbols likewise (35.36 / 40.98 dB at 1138 B before)', () => {
  const s = seen('symbols', cameraLikeFrames(16));
  const say = `${s.psnr.toFixed(2)} / ${s.blur.toFixed(2)} dB at ${Math.round(s.bytesPerFrame)} B/frame`;
  assert.ok(s.psnr >= 35.42, say);
  assert.ok(s.blur >= 41.1, say);
  assert.ok(s.bytesPerFrame <= 1000, say);
});

test('truecolor half-blocks likewise (34.26 / 39.54 dB at 1171 B before)', () => {
  const s = seen('truecolor', cameraLikeFrames(16));
  const say = `${s.psnr.toFixed(2)} / ${s.blur.toFixed(2)} dB at ${Math.round(s.bytesPerFrame)} B/frame`;
  assert.ok(s.psnr >= 34.33, say);
  assert.ok(s.blur >= 39.65, say);
  assert.ok(s.bytesPerFrame <= 1050, say);
});

test('repaints keep SGR colours already set where that is worth it: more painted cells per SGR than before (1.02)', () => {
  const s = seen('sextants', cameraLikeFrames(16));
  assert.ok(s.cells / s.sgrs >= 1.15, `${s.cells} cells painted with ${s.sgrs} SGRs`);
});

// A smooth wall (a vertical gradient) that fades by one level a frame for three frames, then holds.
function fadingWall(t: number): Frame {
  const fade = t < 2 ? 0 : Math.min(t - 1, 3);
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const k = (y * W + x) * 3;
      data[k] = 140 + (y >> 2) - fade;
      data[k + 1] = 160 + (y >> 2) - fade;
      data[k + 2] = 180 + (y >> 2) - fade;
    }
  }
  return { data, width: W, height: H, seq: t, captureTs: 0 };
}

test('a fade too small for any cell to pay for an SGR of its own is repainted in runs that share one: the picture follows it', () => {
  // (before the runs were priced: sextants stayed at 50.1 dB, half-blocks at 44.9 dB, mended only by the drift band)
  for (const kind of ['sextants', 'truecolor'] as const) {
    const r = createRenderer(kind, { width: 8, height: 16 });
    const v = cellViewer({ cols: COLS, rows: ROWS, cellWidthPx: 8, cellHeightPx: 16 });
    let sgrs = 0, cells = 0, psnr = 0;
    for (let t = 0; t < 12; t++) {
      const f = fadingWall(t);
      const out = r.render(f, RECT);
      v.write(out);
      if (t >= 2 && out.length > 0) {
        const s = out.toString('utf8');
        sgrs += (s.match(/\x1b\[[0-9;]*m/g) ?? []).length - 1;
        cells += Array.from(s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')).length;
      }
      psnr = psnrRgb(v.picture(), referencePicture(f, COLS * 8, ROWS * 16));
    }
    assert.ok(psnr >= 49, `${kind}: ${psnr.toFixed(2)} dB once the fade holds`);
    assert.ok(cells >= 20 * sgrs, `${kind}: ${cells} cells repainted with ${sgrs} SGRs`);
  }
});

test('the byte costs the pricing uses are what the cursor and SGR writers write', () => {
  const w = new ByteWriter();
  let seed = 7;
  const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  const c = new CursorTracker();
  for (let i = 0; i < 2000; i++) {
    const row = rnd(3) === 0 ? c.row : rnd(120);
    const col = rnd(300);
    const predicted = cursorBytes(c, row, col);
    const before = w.len;
    w.ensure(32);
    c.moveTo(w, row, col);
    assert.equal(w.len - before, predicted, `move to ${row},${col}`);
  }
  for (const mode of [MODE_TC, MODE_256, MODE_16]) {
    for (let i = 0; i < 2000; i++) {
      const code = (): number => (rnd(4) === 0 ? -1 : mode === MODE_TC ? rnd(0x1000000) : mode === MODE_256 ? rnd(256) : rnd(16));
      const fg = code(), bg = code();
      if (fg < 0 && bg < 0) continue;
      const reset = rnd(2) === 0;
      w.reset();
      w.ensure(64);
      writeSgr(w, mode, fg, bg, reset);
      assert.equal(w.len, sgrBytes(mode, fg, bg, reset), `mode ${mode} fg ${fg} bg ${bg} reset ${reset}: ${w.buf.subarray(0, w.len).toString('latin1')}`);
    }
  }
});

test('slopeAt: the slope at which repaints bought best-first spend the allowance (to 1/1024), as a full sort finds it', () => {
  let seed = 11;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  for (let trial = 0; trial < 50; trial++) {
    const n = 1 + Math.floor(rnd() * 3000);
    const slope = Float32Array.from({ length: n }, () => Math.exp(rnd() * 12 - 2));
    const cost = Float32Array.from({ length: n }, () => 1 + Math.floor(rnd() * 60));
    const allowance = rnd() * n * 20;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (slope[b] as number) - (slope[a] as number));
    let want = 0;
    for (let i = 0, sum = 0; i < n; i++) {
      sum += cost[order[i] as number] as number;
      if (sum > allowance) {
        want = slope[order[i] as number] as number;
        break;
      }
    }
    const got = slopeAt(slope, cost, n, allowance);
    assert.ok(Math.abs(got - want) <= 1 / 1024 + 1e-9, `trial ${trial}: ${got} vs ${want}`);
  }
});
