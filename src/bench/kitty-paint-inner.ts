// Runs inside a real kitty (started by kitty-paint.ts): paints frames from a raw BGR file with the kitty renderer as
// fast as kitty takes them (at most two unanswered), counts kitty's OK replies, and writes the figures as JSON.
import fs from 'node:fs';
import { createKittyRenderer, type KittyPayload } from '../render/kitty.js';
import { createKittyFileSink } from '../terminal/kitty-files.js';
import type { Frame } from '../shared/frame.js';

// Paint for `seconds`, then report painted frames per second and CPU per frame.
async function main(): Promise<void> {
  const [framesFile, w, h, payload, seconds, resultFile] = process.argv.slice(2);
  const width = Number(w);
  const height = Number(h);
  const raw = fs.readFileSync(framesFile as string);
  const size = width * height * 3;
  const frames: Frame[] = [];
  for (let o = 0; o + size <= raw.length; o += size) frames.push({ data: raw.subarray(o, o + size), width, height, captureTs: 0, seq: frames.length });
  const files = payload === 'file' ? createKittyFileSink() : null;
  const k = createKittyRenderer({ cellWidthPx: 8, cellHeightPx: 17, payload: payload as KittyPayload, files, replies: true });
  const rect = { col: 0, row: 0, cols: Math.ceil(width / 8), rows: Math.ceil(height / 17) };
  let acked = 0;
  let errors = 0;
  let sent = 0;
  let wake: (() => void) | null = null;
  process.stdin.setRawMode(true);
  process.stdin.on('data', (d: Buffer) => {
    const s = d.toString('latin1');
    acked += (s.match(/\x1b_Gi=\d+(?:,[^;]*)?;OK\x1b\\/g) ?? []).length;
    errors += (s.match(/\x1b_Gi=\d+(?:,[^;]*)?;E[A-Z]+/g) ?? []).length;
    wake?.();
  });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < Number(seconds) * 1000) {
    if (sent - acked - errors >= 2) {
      await new Promise<void>((r) => { wake = r; setTimeout(r, 200); });
      wake = null;
      continue;
    }
    process.stdout.write(k.render(frames[sent % frames.length] as Frame, rect));
    sent++;
  }
  const c = process.cpuUsage(c0);
  const secs = (performance.now() - t0) / 1000;
  process.stdout.write(k.clear());
  files?.close();
  fs.writeFileSync(resultFile as string, JSON.stringify({
    width, height, payload, seconds: secs, sent, painted: acked, errors, paintedFps: acked / secs, cpuMsPerFrame: (c.user + c.system) / 1000 / Math.max(1, sent),
  }));
  process.exit(0);
}

void main();
