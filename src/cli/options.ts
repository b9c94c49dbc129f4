// The options shared by the call commands, and how parsed argv + config become TuiOptions.
import type { Argv } from 'yargs';
import { SOURCE_HELP } from '../media/source-spec.js';
import type { TuiOptions, PeerEntry } from '../tui/options.js';
import { defaultLogFile, rememberRecent, type Config } from './config.js';
import { userInfo } from 'node:os';
import { DEFAULT_PORT } from '../protocol/messages.js';
import { TUTORIAL_WIRES } from '../tutorial/wire.js';
import { checkSecret } from '../transport/secure/policy.js';

import { RENDER_CHOICES } from '../render/table.js';
import { NOTIFY_CHOICES, type NotifyMode } from '../terminal/notify.js';
import { DEFAULT_SEND_FPS } from '../shared/limits.js';
import { AUDIO_SPEC_HELP, parseAudioSpec } from '../audio/audio-spec.js';
import type { AudioSettings } from '../calls/call-side.js';

/** Adds the options every call command takes (TERMCALL_* environment variables mirror them). */
export function callOptions<T>(y: Argv<T>) {
  return y
    .option('source', { type: 'string', describe: `video to send: ${SOURCE_HELP}`, defaultDescription: 'camera:0, else the bundled clip' })
    .option('audio', { type: 'boolean', default: true, describe: 'send and play audio (--no-audio: video only)' })
    .option('audio-in', { type: 'string', describe: `microphone: ${AUDIO_SPEC_HELP}`, defaultDescription: 'default' })
    .option('audio-out', { type: 'string', describe: `speaker: ${AUDIO_SPEC_HELP}`, defaultDescription: 'default' })
    .option('echo-cancel', { type: 'boolean', default: false, describe: 'cancel your speaker\'s echo in your microphone (PulseAudio/PipeWire module-echo-cancel, loaded for the call)' })
    .option('mute', { type: 'boolean', default: false, describe: 'start with the microphone muted (m toggles it)' })
    .option('port', { type: 'number', default: DEFAULT_PORT, describe: 'port to listen on and to call' })
    .option('bind', { type: 'string', default: '0.0.0.0', describe: 'listen address (every call still needs your accept)' })
    .option('name', { type: 'string', describe: 'your display name', defaultDescription: 'your user name' })
    .option('render', { type: 'string', choices: RENDER_CHOICES, default: 'auto' as const, describe: 'how video is drawn' })
    .option('fps', { type: 'number', default: DEFAULT_SEND_FPS, describe: 'capture and send frame rate' })
    .option('preview', { type: 'boolean', default: true, describe: 'show your own video (--no-preview hides it; p toggles)' })
    .option('listen', { type: 'boolean', default: true, describe: 'accept incoming calls while on the start screen (--no-listen)' })
    .option('auto-accept', { type: 'boolean', default: false, describe: 'accept incoming calls without asking (unsafe on open networks)' })
    .option('secret', { type: 'string', describe: 'shared passphrase for an encrypted call (docs/security.md)' })
    .option('stats-file', { type: 'string', describe: 'append call statistics as JSON lines to this file' })
    .option('chat-log', { type: 'string', describe: 'append the chat of every call to this file (off by default)' })
    .option('notify', { choices: NOTIFY_CHOICES, default: 'auto' as const,
      describe: 'incoming call / chat message while the window is not in front: bell and, where detected, a desktop notification (OSC 9/777/99; off over plain tmux unless named)' })
    .option('log-file', { type: 'string', describe: 'log file', defaultDescription: '$XDG_STATE_HOME/termcall/termcall.log' })
    .option('max-fps', { type: 'number', describe: 'cap on video paints per second' })
    .option('max-output-kbps', { type: 'number', describe: 'cap on video bytes written to the terminal (kbit/s), for slow SSH links' })
    .option('headless', { type: 'boolean', default: false, describe: 'no TUI: stream and print one stats line per second' })
    .option('wire', { choices: ['termcall', ...TUTORIAL_WIRES] as const, default: 'termcall' as const,
      describe: 'protocol: termcall, or the Python tutorials\' pickle (8-byte length + pickled numpy frame) or raw (unframed BGR) streams' })
    .option('raw-size', { type: 'string', default: '640x480', describe: 'frame size of the raw wire, WxH' })
    .option('send', { type: 'boolean', default: false, describe: 'with --wire pickle|raw: send your video to the tutorial program (it must read it); without it termcall only views' });
}

export interface CallArgs {
  source?: string | undefined; port: number; bind: string; name?: string | undefined; render: TuiOptions['render']; fps: number;
  preview: boolean; listen: boolean; autoAccept: boolean; secret?: string | undefined; statsFile?: string | undefined;
  logFile?: string | undefined; maxFps?: number | undefined; maxOutputKbps?: number | undefined;
  audio?: boolean | undefined; audioIn?: string | undefined; audioOut?: string | undefined; mute?: boolean | undefined; echoCancel?: boolean | undefined;
  chatLog?: string | undefined; notify?: NotifyMode | undefined;
}

/** The audio devices of a run (undefined with --no-audio). Throws ERR_AUDIO_SPEC for a spec it cannot read. */
export function audioSettings(a: CallArgs): AudioSettings | undefined {
  if (a.audio === false) return undefined;
  return { input: parseAudioSpec(a.audioIn), output: parseAudioSpec(a.audioOut), ...(a.mute ? { micMuted: true } : {}), ...(a.echoCancel ? { echoCancel: true } : {}) };
}

/** Builds the TUI's options from parsed arguments and the config file. */
export function tuiOptions(a: CallArgs, cfg: Config, cfgPath: string, mode: TuiOptions['mode'], target?: { host: string; port: number },
  tutorial?: Required<Pick<TuiOptions, 'wire' | 'rawSize' | 'send'>>): TuiOptions {
  const peers: PeerEntry[] = [
    ...Object.entries(cfg.peers).map(([name, p]) => ({ name, host: p.host, port: p.port })),
    // a recent peer without a name is listed by its address alone
    ...cfg.recent.map((r) => ({ name: r.name ?? '', host: r.host, port: r.port })),
  ];
  // tutorial wires carry no passphrase: it is not checked (nor used) there
  const secret = tutorial ? {} : checkSecret(a.secret);
  return {
    mode,
    ...(target ? { host: target.host } : {}),
    port: target?.port ?? a.port,
    bind: a.bind,
    listen: a.listen,
    name: a.name ?? cfg.name ?? defaultName(),
    ...(a.source !== undefined ? { source: a.source } : {}),
    render: a.render,
    fps: a.fps,
    preview: a.preview,
    autoAccept: a.autoAccept,
    ...(secret.secret ? { secret: secret.secret } : {}),
    ...(secret.warning ? { warnings: [secret.warning] } : {}),
    ...(a.statsFile ? { statsFile: a.statsFile } : {}),
    ...(audioSettings(a) ? { audio: audioSettings(a) } : {}),
    logFile: a.logFile ?? defaultLogFile(),
    ...(a.chatLog ? { chatLog: a.chatLog } : {}),
    ...(a.notify ? { notify: a.notify } : {}),
    ...(a.maxFps !== undefined ? { maxFps: a.maxFps } : {}),
    ...(a.maxOutputKbps !== undefined ? { maxOutputKbps: a.maxOutputKbps } : {}),
    peers,
    ...(tutorial ?? {}),
    // the demo's peer is a throwaway 127.0.0.1 port: the demo records nothing
    ...(mode === 'demo' ? {} : {
      onCallPlaced: (peer: { host: string; port: number; name?: string }) => {
        try { rememberRecent(cfgPath, peer); } catch { /* a broken config is reported at start; never overwritten */ }
      },
    }),
  };
}

/** The user name, as a default display name. */
export function defaultName(): string {
  try { return userInfo().username || 'me'; } catch { return 'me'; }
}

/** Options of the WebRTC calls signalled through ssh (call ssh://…); the ICE options come from iceOptions. */
export function signalOptions<T>(y: Argv<T>) {
  return y
    .option('ssh-command', { type: 'string', describe: 'the ssh program and its options for ssh:// calls (default "ssh")' })
    .option('ssh-remote-command', { type: 'string', describe: 'what ssh runs on the other machine (default "termcall signal-answer")' });
}
