// The commands that look at or measure things rather than make calls: preview, devices, probe, render, bench, and
// signal-answer (run by ssh). Each loads its module only when it runs.
import type { Argv } from 'yargs';
import { BENCH_SECTIONS } from '../bench/sections.js';
import { RENDER_CHOICES } from '../render/table.js';
import type { RenderRequest } from '../render/caps.js';
import { fixtureClip } from '../shared/paths.js';
import { DEFAULT_CELL_HEIGHT_PX, DEFAULT_CELL_WIDTH_PX, DEFAULT_SEND_FPS, SIXEL_MAX_REGISTERS } from '../shared/limits.js';

/** Add the tool commands to the parser; run(p) records the exit code p resolves with. */
export function addToolCommands<T>(y0: Argv<T>, run: (p: Promise<number>) => Promise<void>, env: NodeJS.ProcessEnv): Argv<T> {
  return y0
      .command('preview', 'show a source full-screen in this terminal (q quits)', (y) => y
        .option('source', { type: 'string', describe: 'the source to show' })
        .option('render', { type: 'string', choices: RENDER_CHOICES, default: 'auto' as const })
        .option('fps', { type: 'number', default: DEFAULT_SEND_FPS })
        .example('$0 preview --source camera:0', 'check the camera')
        .example('$0 preview --source http://192.168.1.20:8080/video', 'an Android "IP Webcam" stream'),
      async (a) => run(import('./commands/preview.js').then((m) => m.runPreview({ ...(a.source ? { source: a.source } : {}), render: a.render as RenderRequest, fps: a.fps }))))
      .command('devices', 'list the cameras and sound devices that can be opened', (y) => y.option('json', { type: 'boolean', default: false }),
        async (a) => run(import('./commands/devices.js').then((m) => m.runDevices(a.json))))
      .command('probe', 'show what this terminal can display (colour depth, sixel, cell size) and why',
        (y) => y.option('json', { type: 'boolean', default: false }).option('render', { type: 'string', choices: RENDER_CHOICES, default: 'auto' as const })
          .example('$0 probe --json', 'machine-readable'),
        async (a) => run(import('./commands/probe.js').then((m) => m.runProbe(a.json, a.render as RenderRequest))))
      .command('signal-answer', 'the other end of "termcall call ssh://HOST": relays the offer to the termcall listening on this machine (run by ssh, not by hand)',
        (y) => y, async () => run(import('./commands/signal.js').then((m) => m.runSignalAnswer(env))))
      .command('render <file>', 'write the terminal bytes of one frame of an image or video to stdout (no terminal needed)', (y) => y
        .positional('file', { type: 'string', demandOption: true, describe: 'an image (PNG, JPEG, …) or a video file' })
        .option('render', { type: 'string', choices: RENDER_CHOICES, default: 'auto' as const, describe: 'the renderer (auto: from COLORTERM/TERM)' })
        .option('size', { type: 'string', default: '80x24', describe: 'the pane in cells, COLSxROWS' })
        .option('cell', { type: 'string', default: `${DEFAULT_CELL_WIDTH_PX}x${DEFAULT_CELL_HEIGHT_PX}`, describe: 'pixel size of one cell, WxH' })
        .option('frame', { type: 'number', default: 0, describe: 'which frame of a video (0-based)' })
        .option('sixel-registers', { type: 'number', default: SIXEL_MAX_REGISTERS, describe: 'colour registers of the sixel terminal (termcall probe shows them; a VT340 has 16)' })
        .example('$0 render photo.jpg --render sixel --size 80x30 > photo.six', 'a sixel picture to a file')
        .example('$0 render fixtures/clip.mp4 --frame 30 --size 128x48', 'frame 30 of the clip as cells'),
      async (a) => run(import('./commands/render.js').then((m) => m.runRender({
        file: a.file, render: a.render as RenderRequest, size: a.size, cell: a.cell, frame: a.frame, sixelRegisters: a['sixel-registers'],
      }))))
      .command('bench', 'measure capture, rendering and the wire on a clip', (y) => y
        .option('source', { type: 'string', default: fixtureClip(), defaultDescription: 'the bundled clip', describe: 'video file to measure with' })
        .option('json', { type: 'boolean', default: false, describe: 'one JSON report on stdout (docs/bench.md)' })
        .option('frames', { type: 'number', describe: 'use at most this many frames of the clip' })
        .option('only', { type: 'array', string: true, choices: BENCH_SECTIONS, describe: 'sections to run (reach: only by name, as root)' })
        .option('soak', { type: 'number', describe: 'instead: a two-way call between two termcall processes for MINUTES (default 10); RSS/fd growth' })
        .option('faults', { type: 'boolean', describe: 'instead: inject --count faults (kills, half-open links, garbage…) and report detection' })
        .option('count', { type: 'number', default: 100, describe: 'faults to inject with --faults' })
        .example('$0 bench --json > bench.json', 'the full report'),
      async (a) => (Object.hasOwn(a, 'soak') ? run(import('../bench/soak.js').then((m) => m.runSoak({ minutes: a.soak ?? 10, json: a.json, source: a.source })))
        : a.faults ? run(import('../bench/faults.js').then((m) => m.runFaults({ count: a.count, json: a.json, source: a.source })))
        : run(import('../bench/run-bench.js').then((m) => m.runBench({
        source: a.source, json: a.json, ...(a.frames ? { frames: a.frames } : {}), ...(a.only ? { only: a.only } : {}),
      })))));
}
