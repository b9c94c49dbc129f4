// The command line: yargs commands and options; the only place that turns errors into messages and exit codes.
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { fixtureClip } from '../shared/paths.js';
import { SOURCE_HELP } from '../capture/source-spec.js';
import { EXIT, exitCodeFor, formatError } from './exit-codes.js';
import type { RenderRequest } from '../render/index.js';

const RENDERERS = ['auto', 'truecolor', '256', '16', 'ascii', 'sixel'] as const;

// Options shared by the commands that show or send video.
function videoOptions<T>(y: Argv<T>) {
  return y
    .option('source', { type: 'string', describe: `video to send: ${SOURCE_HELP}; default camera:0, else the bundled clip` })
    .option('render', { choices: RENDERERS, default: 'auto' as const, describe: 'how video is drawn' })
    .option('fps', { type: 'number', default: 30, describe: 'capture frame rate (at most the source\'s)' });
}

/** Parses argv, runs the command, and resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.OK;
  const run = (p: Promise<number>) => p.then((c) => { code = c; });
  const cli = yargs(argv)
    .scriptName('termcall')
    .env('TERMCALL')
    .usage('termcall — video chat in the terminal\n\nUsage: $0 <command> [options]')
    .command('devices', 'list the cameras that can be opened', (y) => y.option('json', { type: 'boolean', default: false }),
      async (a) => run((await import('./commands/devices.js')).runDevices(a.json)))
    .command('probe', 'show what this terminal can display (colour depth, sixel, cell size) and why',
      (y) => y.option('json', { type: 'boolean', default: false }).option('render', { choices: RENDERERS, default: 'auto' as const }),
      async (a) => run((await import('./commands/probe.js')).runProbe(a.json, a.render as RenderRequest)))
    .command('preview', 'show a source full-screen in this terminal (q quits)', (y) => videoOptions(y)
      .example('$0 preview --source camera:0', 'check the camera')
      .example('$0 preview --source http://192.168.1.20:8080/video', 'an Android "IP Webcam" stream'),
    async (a) => run((await import('./commands/preview.js')).runPreview({ ...(a.source ? { source: a.source } : {}), render: a.render as RenderRequest, fps: a.fps })))
    .command('demo', 'a demo on this machine with the bundled clip (no camera needed)', (y) => videoOptions(y),
      async (a) => run((await import('./commands/preview.js')).runPreview({ source: a.source ?? fixtureClip(), render: a.render as RenderRequest, fps: a.fps })))
    .command('bench', 'measure capture, rendering and the wire on a clip', (y) => y
      .option('source', { type: 'string', default: fixtureClip(), defaultDescription: 'the bundled clip', describe: 'video file to measure with' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON report on stdout (docs/bench.md)' })
      .option('frames', { type: 'number', describe: 'use at most this many frames of the clip' })
      .option('only', { type: 'array', string: true, describe: 'sections to run: capture render sixel' })
      .example('$0 bench --json > bench.json', 'the full report'),
    async (a) => run((await import('../bench/run-bench.js')).runBench({
      source: a.source, json: a.json, ...(a.frames ? { frames: a.frames } : {}), ...(a.only ? { only: a.only } : {}),
    })))
    .demandCommand(1, 'Give a command; see termcall --help.')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      throw Object.assign(new Error(msg), { usage: true });
    });
  try {
    await cli.parseAsync();
    return code;
  } catch (err) {
    if (err instanceof Error && (err as { usage?: boolean }).usage) {
      process.stderr.write(`termcall: ${err.message}\nRun "termcall --help" for usage.\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(formatError(err) + '\n');
    return exitCodeFor(err);
  }
}

// Runs when this file is the program (bin/termcall imports it).
const code = await main(hideBin(process.argv));
process.exitCode = code;
