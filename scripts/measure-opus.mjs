// Measures the two Opus packages installed (opusscript: libopus in WASM; @evan/opus: prebuilt native libopus, and its
// WASM build): ms per 20 ms 48 kHz mono frame to encode and decode, on espeak-ng speech. docs/audio.md quotes it.
// node scripts/measure-opus.mjs [file.wav]   (default: fixtures/speech.wav, or espeak-ng output made on the fly)
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
let file = process.argv[2] ?? 'fixtures/speech.wav';
if (!existsSync(file)) {
  const dir = mkdtempSync(join(tmpdir(), 'opus-'));
  execFileSync('espeak-ng', ['-w', join(dir, 's.wav'), 'Hello, this is termcall calling. Can you hear me now? The quick brown fox jumps over the lazy dog.']);
  execFileSync('sox', [join(dir, 's.wav'), '-r', '48000', '-c', '1', '-b', '16', join(dir, 's48.wav')]);
  file = join(dir, 's48.wav');
}
const pcm = readFileSync(file).subarray(44);
const frames = [];
for (let o = 0; o + 1920 <= pcm.length; o += 1920) frames.push(new Int16Array(Uint8Array.from(pcm.subarray(o, o + 1920)).buffer));

// Median of 7 passes over all frames: ms per frame for encode and decode, and the bitrate.
function measure(name, enc, dec) {
  const e = [], d = [];
  let bytes = 0;
  for (let pass = 0; pass < 7; pass++) {
    const t0 = performance.now();
    const packets = frames.map((f) => Uint8Array.from(enc(f)));
    const t1 = performance.now();
    for (const p of packets) dec(p);
    const t2 = performance.now();
    e.push((t1 - t0) / frames.length); d.push((t2 - t1) / frames.length);
    if (pass === 0) bytes = packets.reduce((s, p) => s + p.length, 0);
  }
  const med = (a) => a.sort((x, y) => x - y)[3];
  console.log(`| ${name} | ${med(e).toFixed(3)} | ${med(d).toFixed(3)} | ${(bytes * 8 / frames.length / 20).toFixed(1)} |`);
}

console.log(`${frames.length} frames of ${file}, 32 kbit/s VOIP`);
console.log('| codec | encode ms/frame | decode ms/frame | kbit/s |');
console.log('|---|---|---|---|');
const OpusScript = require('opusscript');
const oe = new OpusScript(48000, 1, OpusScript.Application.VOIP, { wasm: true });
oe.setBitrate(32000);
const od = new OpusScript(48000, 1, OpusScript.Application.VOIP, { wasm: true });
measure('opusscript (WASM)', (f) => oe.encode(Buffer.from(f.buffer), 960), (p) => od.decode(Buffer.from(p)));
const evan = require('@evan/opus');
const en = new evan.Encoder({ channels: 1, sample_rate: 48000, application: 'voip' });
en.bitrate = 32000;
const de = new evan.Decoder({ channels: 1, sample_rate: 48000 });
measure('@evan/opus (native)', (f) => en.encode(f), (p) => de.decode(p));
