// The command line: yargs commands and options; the only place that turns errors into messages and exit codes.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError } from '../shared/errors.js';
import { MAX_FPS } from '../shared/limits.js';
import { EXIT, exitCodeFor, formatError } from './exit-codes.js';
import { configPath, loadConfig, resolvePeer, type Config } from './config.js';
import { iceOptions, type IceArgs } from './webrtc-options.js';
import { callOptions, signalOptions, tuiOptions, type CallArgs } from './options.js';
import { addToolCommands } from './tool-commands.js';
import type { TuiOptions, WebrtcStart } from '../tui/options.js';

const EPILOG = 'Exit codes: 0 ok, 1 runtime failure (peer unreachable, camera missing), 2 usage error or no terminal, 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP.\n' +
  'Config: ~/.config/termcall/config.json (defaults, saved peers). Docs: README.md, docs/.';

/** Parses argv, runs the command, and resolves with the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code: number = EXIT.OK;
  const run = (p: Promise<number>) => p.then((c) => { code = c; });
  let cfg: Config = { defaults: {}, peers: {}, recent: [] };
  let cfgPath = '';
  const tui = (a: CallArgs, mode: TuiOptions['mode'], target?: { host: string; port: number }) =>
    run(import('../tui/app.js').then((m) => m.runTui(tuiOptions(a, cfg, cfgPath, mode, target))));
  // A WebRTC call on the call screen (call --code, answer, call ssh://, listen --web).
  const rtcTui = (a: CallArgs & IceArgs, mode: TuiOptions['mode'], start: WebrtcStart) => run(Promise.all([import('../tui/app.js'),
    import('./commands/signal-call.js')]).then(([m, sig]) => m.runTui(sig.webrtcTuiOptions(tuiOptions(a, cfg, cfgPath, mode), a, start, env))));

  // The Python tutorial wires (issue: talk to the tutorial programs).
  // Without --headless the TUI shows the program's video: `call` dials it, `listen` waits for it (each connection asks first).
  const tutorial = (a: CallArgs & { wire: 'termcall' | 'pickle' | 'raw'; rawSize: string; send: boolean; headless: boolean }, target?: { host: string; port: number }, mode?: 'start') => {
    if (a.wire === 'termcall') throw new UsageError('ERR_USAGE', 'not a tutorial wire');
    const wire = a.wire;
    return run(import('../tutorial/wire.js').then(async (w) => {
      const rawSize = w.parseRawSize(a.rawSize);
      if (!a.headless) {
        const m = await import('../tui/app.js');
        return m.runTui(tuiOptions(a, cfg, cfgPath, mode ?? (target ? 'call' : 'listen'), target, { wire, rawSize, send: a.send }));
      }
      const m = await import('./commands/headless.js');
      return m.runHeadless(a, cfg, target, { wire, rawSize, send: a.send });
    }));
  };

  try {
    // The config is read before parsing so its "defaults" sit under flags and TERMCALL_* variables.
    cfgPath = configPath(env, explicitConfig(argv) ?? env.TERMCALL_CONFIG);
    cfg = loadConfig(cfgPath);
    const cli = yargs(argv)
      .scriptName('termcall')
      .env('TERMCALL')
      .config(cfg.defaults)
      .option('config', { type: 'string', describe: 'config file', defaultDescription: '~/.config/termcall/config.json' })
      .usage('termcall — video chat in the terminal\n\nUsage: $0 [command] [options]')
      .command('$0', 'the start screen: call a peer from the form, or wait for a call', (y) => signalOptions(iceOptions(callOptions(y)))
        .example('$0', 'open the start screen (listening on 7878)')
        .example('$0 --no-listen --source test', 'only call out, sending the test pattern')
        .example('$0 --ssh-command "ssh -J jump"', 'ssh://USER@HOST typed into the form signals through ssh -J jump'),
      async (a) => (a.wire !== 'termcall' ? tutorial(a, undefined, 'start') : run(Promise.all([import('../tui/app.js'), import('./commands/signal-call.js')])
        .then(([m, sig]) => m.runTui(sig.startTuiOptions(tuiOptions(a, cfg, cfgPath, 'start'), a))))))
      .command('call [peer]', 'call HOST[:PORT] or a saved peer at once; ssh://USER@HOST or --code: over WebRTC', (y) => signalOptions(iceOptions(callOptions(y)))
        .positional('peer', { type: 'string', describe: 'HOST, HOST:PORT, [IPv6]:PORT, a name from the config, or ssh://[USER@]HOST[:PORT]' })
        .option('code', { type: 'boolean', default: false, describe: 'make a call code (WebRTC offer) to send by any channel: shown in a dialog with a field for the answer code (headless: stdout, answer on stdin)' })
        .example('$0 call 192.168.1.20', 'call a machine on the LAN (port 7878)')
        .example('$0 call alice', 'call a peer saved in the config')
        .example('$0 call localhost', 'through an SSH tunnel opened with: ssh -L 7878:localhost:7878 you@server')
        .example('$0 call ssh://me@box', 'signal through your ssh to termcall answer there; the call screen shows the path (direct/relayed)')
        .example('$0 call --code', 'a dialog shows a call code to send by chat; paste their answer code into it')
        .example('$0 call --code --headless', 'for scripts: the code on stdout, the answer code read from stdin'),
      async (a) => {
        const sig = await import('./commands/signal-call.js');
        sig.usageCheck(a.code, a.peer);
        // With a terminal (and no --headless) WebRTC calls get the call screen, like TCP calls.
        if (a.code) return sig.wantsTui(a) ? rtcTui(a, 'call', { kind: 'offer-code' }) : run(sig.runCodeCall(a));
        if (!a.peer) throw new UsageError('ERR_USAGE', 'call needs a PEER (HOST, a saved name, ssh://HOST) or --code');
        if (a.peer.startsWith('ssh://')) {
          const { parseSshTarget } = await import('../transport/signal/ssh.js');
          const t = parseSshTarget(a.peer);
          if (!t) throw new UsageError('ERR_USAGE', `"${a.peer}" is not an ssh://[USER@]HOST[:PORT] address`);
          return sig.wantsTui(a) ? rtcTui(a, 'call', { kind: 'ssh-call', target: t, ...sig.sshCallOptions(a) }) : run(sig.runSshCall(a, t));
        }
        const target = resolvePeer(a.peer, cfg, a.port);
        const args = { ...a, ...(target.secret && !a.secret ? { secret: target.secret } : {}) };
        if (a.wire !== 'termcall') return tutorial(a, target);
        if (a.headless) return run(import('./commands/headless.js').then((m) => m.runHeadless(args, cfg, target)));
        return tui(args, 'call', target);
      })
      .command('listen', 'wait for a call', (y) => callOptions(y)
        .example('$0 listen', 'wait for a call on port 7878; you accept each call with y')
        .example('$0 listen --headless --source camera:0 --secret "long passphrase"', 'a camera box with no screen')
        .option('web', { type: 'string', describe: 'let a browser join: serve one-time join links on 127.0.0.1:PORT (default 8080; docs/webrtc.md); each join asks y/n' })
        .example('$0 listen --web 8080', 'show a one-time link; a browser that opens it asks to join (y/n)')
        .example('$0 listen --web 8080 --auto-accept --headless', 'print the link; whoever opens it joins, no prompt'),
      async (a) => (a.web !== undefined ? (!a.headless && process.stdin.isTTY && process.stdout.isTTY
        ? rtcTui(a, 'listen', { kind: 'web', port: (await import('./commands/web-listen.js')).webPort(a.web) })
        : run(import('./commands/web-listen.js').then((m) => m.runWebListen(a, cfg, a.web ?? ''))))
        : a.wire !== 'termcall' ? tutorial(a)
        : a.headless ? run(import('./commands/headless.js').then((m) => m.runHeadless(a, cfg))) : tui(a, 'listen')))
      .command('answer [code]', 'answer a call code (prints the answer code), or with no code wait for calls signalled over ssh', (y) => signalOptions(iceOptions(callOptions(y)))
        .positional('code', { type: 'string', describe: 'the call code (tco1…) the caller sent' })
        .example('$0 answer tco1…', 'answer a call code: a dialog shows the answer code to send back, then the call screen')
        .example('$0 answer tco1… --headless', 'the same for scripts: the answer code on stdout')
        .example('$0 answer --secret "…"', 'wait for termcall call ssh://this-machine (each call asks y/n)'),
      async (a) => {
        const sig = await import('./commands/signal-call.js');
        if (sig.wantsTui(a)) return rtcTui(a, a.code ? 'call' : 'listen', a.code ? { kind: 'answer-code', offer: sig.checkOfferCode(a, a.code, env) } : { kind: 'answer-ssh' });
        return run(a.code ? sig.runAnswerCode(a, a.code, env) : sig.runAnswerSsh(a, env));
      })
      .command('webrtc <role>', 'a headless call over WebRTC; the offer and answer travel as text (files or stdin/stdout)', (y) => iceOptions(callOptions(y))
        .positional('role', { choices: ['offer', 'answer'] as const, demandOption: true, describe: 'offer: start the call; answer: take it' })
        .option('in', { type: 'string', describe: 'read the other side\'s blob from this file (waits for it) or - for stdin', default: '-' })
        .option('out', { type: 'string', describe: 'write this side\'s blob to this file or - for stdout', default: '-' })
        .example('$0 webrtc offer --out offer.txt --in answer.txt', 'start a call; send offer.txt to the other side, put its answer in answer.txt')
        .example('$0 webrtc answer --auto-accept --in offer.txt --out answer.txt --stun stun:stun.example.org', 'take that call'),
      async (a) => run(import('./commands/webrtc.js').then((m) => m.runWebrtc(a as unknown as import('./commands/webrtc.js').WebrtcArgs, cfg))))
      .command('demo', 'a real call over 127.0.0.1 with the bundled clip: no camera, no second machine', (y) => callOptions(y)
        .example('$0 demo', 'the remote side streams the bundled clip; your preview shows the test pattern'),
      async (a) => tui(a, 'demo'));
    addToolCommands(cli, run, env)
      .check((a) => {
        if (typeof a.port === 'number' && !(Number.isInteger(a.port) && a.port >= 0 && a.port <= 65535)) throw new UsageError('ERR_USAGE', `--port ${String(a.port)} is not a port (0–65535)`);
        if (typeof a.fps === 'number' && !(a.fps >= 1 && a.fps <= MAX_FPS)) throw new UsageError('ERR_USAGE', `--fps ${String(a.fps)} must be from 1 to ${MAX_FPS}`);
        return true;
      })
      .epilog(EPILOG)
      .strict()
      .help()
      .alias('h', 'help')
      .version()
      .wrap(Math.min(110, process.stdout.columns || 100))
      .exitProcess(false)
      .fail((msg, err) => {
        if (err) throw err;
        throw new UsageError('ERR_USAGE', msg);
      });
    await cli.parseAsync();
    return code;
  } catch (err) {
    if (err instanceof UsageError && err.code === 'ERR_USAGE') {
      process.stderr.write(`termcall: ${err.message}\nRun "termcall --help" for usage.\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(formatError(err) + '\n');
    return exitCodeFor(err);
  }
}

// Finds --config PATH / --config=PATH before yargs runs (the config supplies yargs' defaults).
function explicitConfig(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--config') return argv[i + 1];
    if (a.startsWith('--config=')) return a.slice('--config='.length);
  }
  return undefined;
}

/** How long a finished command may take to flush its output before the process exits anyway. */
const EXIT_FLUSH_MS = 1_000;

// Exits with code once the media worker is idle (see shutdownMedia).
async function exitAfterMedia(code: number): Promise<never> {
  await (await import('../media/media.js')).shutdownMedia().catch(() => undefined);
  process.exit(code);
}

/** The program: bin/termcall calls this. A closed stdout (termcall … | head) ends quietly, a closed terminal as a hang-up. */
export async function runCli(): Promise<void> {
  // Headless WebRTC calls: the media worker (and OpenCV in it) starts while the arguments are parsed (first frame).
  if (['webrtc', 'answer'].includes(process.argv[2] ?? '')) void import('../media/media.js').then((m) => m.media());
  // A terminal that went away under a write (its window closed, the ssh session dropped: EIO) is a hang-up: the
  // command's SIGHUP handling stops it in order (the kernel's own SIGHUP may come later, or not at all under nohup).
  let hungUp = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') void exitAfterMedia(EXIT.OK);
    else if (err.code === 'EIO') {
      if (!hungUp) process.kill(process.pid, 'SIGHUP');
      hungUp = true;
    } else throw err;
  });
  const code = await main(hideBin(process.argv));
  process.exitCode = code;
  // The media worker must be idle before the process ends (a read in flight aborts or crashes the exit).
  await (await import('../media/media.js')).shutdownMedia();
  // Everything is closed by now; should a stray handle remain, do not hang after the command has finished.
  setTimeout(() => process.exit(code), EXIT_FLUSH_MS).unref();
}
