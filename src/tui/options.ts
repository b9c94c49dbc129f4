// The contract between the CLI (src/cli) and the TUI: everything runTui() needs, already parsed and validated.
import type { AudioSettings } from '../calls/call-side.js';
import type { RawSize } from '../tutorial/wire.js';
import type { RenderRequest } from '../render/caps.js';
import type { CallCode } from '../transport/signal/call-code.js';
import type { SshTarget } from '../transport/signal/ssh.js';
import type { IceConfig } from '../transport/webrtc/ice-servers.js';

/** How a WebRTC call starts in the TUI (the CLI checked the code and the target already). */
export type WebrtcStart =
  /** `call --code`: show my offer code, take the pasted answer code. */
  | { readonly kind: 'offer-code' }
  /** `answer CODE`: show the answer code to send back; the call connects by itself. */
  | { readonly kind: 'answer-code'; readonly offer: CallCode }
  /** `call ssh://…`: signal through the user's ssh, then connect peer to peer. */
  | { readonly kind: 'ssh-call'; readonly target: SshTarget; readonly sshCommand?: readonly string[]; readonly remoteCommand?: string }
  /** `answer` with no code: wait for calls signalled over ssh (each asks first). */
  | { readonly kind: 'answer-ssh' }
  /** `listen --web [PORT]`: serve one-time join links; each browser that joins asks first. */
  | { readonly kind: 'web'; readonly port: number };

/** A peer the start screen offers (saved in the config, or recently called). */
export interface PeerEntry {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** What `--render` accepts. */
export type RenderChoice = RenderRequest;

/** Options of one TUI run. */
export interface TuiOptions {
  /** start: the form; call: dial host:port at once; listen: wait for a call; demo: call a built-in peer over 127.0.0.1. */
  readonly mode: 'start' | 'call' | 'listen' | 'demo';
  /** Peer to dial (mode 'call'), or prefilled in the form. */
  readonly host?: string;
  /** Port to dial and to listen on (default 7878; 0 listens on any free port, shown on the start screen). */
  readonly port: number;
  /** Listen address (default '0.0.0.0'; every call is guarded by the accept prompt). */
  readonly bind: string;
  /** false = --no-listen (mode 'listen' listens anyway). */
  readonly listen: boolean;
  /** My display name. */
  readonly name: string;
  /** --source spec string; undefined = the default source (camera 0, else the bundled clip). */
  readonly source?: string;
  readonly render: RenderChoice;
  /** Capture and send frame rate. */
  readonly fps: number;
  /** Show the local preview (p toggles it). */
  readonly preview: boolean;
  /** Accept incoming calls without the prompt. */
  readonly autoAccept: boolean;
  /** Shared passphrase: calls are encrypted (TLS-PSK) and only peers with the same one get through. */
  readonly secret?: string;
  /** Append each call's stats as JSON lines to this file. */
  readonly statsFile?: string;
  /** Audio devices (absent: --no-audio). */
  readonly audio?: AudioSettings;
  /** Log file path (the CLI passes $XDG_STATE_HOME/termcall/termcall.log). */
  readonly logFile: string;
  /** Cap on video paints per second. */
  readonly maxFps?: number;
  /** Cap on video bytes written to the terminal, kbit/s. */
  readonly maxOutputKbps?: number;
  /** Warnings to show on the start screen and in the log (a short passphrase …). */
  readonly warnings?: readonly string[];
  /** Saved and recent peers for the start screen. */
  readonly peers: readonly PeerEntry[];
  /** termcall (default), or a Python tutorial program's stream: calls dial, and the listener accepts, that wire. */
  readonly wire?: 'termcall' | 'pickle' | 'raw';
  /** Frame size of the raw wire (default 640x480). */
  readonly rawSize?: RawSize;
  /** Tutorial wires: send my video too (default false: only view). */
  readonly send?: boolean;
  /** Append the conversation of every call to this file (off by default). */
  readonly chatLog?: string;
  /** Bell / desktop notifications for an incoming call or a chat message while the window is not in front. */
  readonly notify?: import('../terminal/notify.js').NotifyMode;
  /** A WebRTC call to start (call codes, ssh signalling, browsers joining). */
  readonly webrtc?: WebrtcStart;
  /** STUN/TURN servers of WebRTC calls. */
  readonly ice?: IceConfig;
  /** How ssh:// calls typed on the start screen run ssh (--ssh-command, --ssh-remote-command). */
  readonly ssh?: { readonly sshCommand?: readonly string[]; readonly remoteCommand?: string };
  /** Folder where my call / answer code is also written (call-code.txt, answer-code.txt) for copying. */
  readonly codeDir?: string;
  /** Refuse (throw) an offer code pasted on the start screen that was answered before; else remember it. */
  readonly claimOffer?: (offer: CallCode) => void;
  /** Called when a call is placed (the CLI records recent peers). */
  readonly onCallPlaced?: (peer: { host: string; port: number; name?: string }) => void;
}
