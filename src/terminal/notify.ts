// Telling the user something happened while the window is not in front (pure): the terminal bell, and a desktop
// notification escape where the terminal has one — OSC 9 (iTerm2, WezTerm, Windows Terminal, ConEmu), OSC 777
// (VTE terminals, foot, rxvt-unicode, WezTerm), OSC 99 (kitty). Detected from the environment or configured
// (--notify); over plain tmux the desktop escape is off (tmux would swallow it), unless configured, when it is wrapped
// in tmux's passthrough.

/** What --notify accepts. */
export const NOTIFY_CHOICES = ['auto', 'bell', 'osc9', 'osc777', 'osc99', 'off'] as const;
export type NotifyMode = (typeof NOTIFY_CHOICES)[number];
/** The desktop notification escapes. */
export type DesktopKind = 'osc9' | 'osc777' | 'osc99';

/** Longest notification text, in characters (terminals cap or drop long ones). */
const MAX_NOTIFY_CHARS = 120;

/** What a run does for each event: ring the bell, and which desktop escape (null: none), wrapped for tmux or not. */
export interface NotifyPlan {
  readonly bell: boolean;
  readonly desktop: DesktopKind | null;
  readonly tmuxPassthrough: boolean;
}

// The desktop escape this terminal understands, from its environment, or null when unknown.
export function detectDesktop(env: Readonly<Record<string, string | undefined>>): DesktopKind | null {
  if (env['KITTY_WINDOW_ID'] || env['TERM'] === 'xterm-kitty') return 'osc99';
  const prog = env['TERM_PROGRAM'] ?? '';
  if (prog === 'iTerm.app' || prog === 'WezTerm' || env['WT_SESSION'] || env['ConEmuPID']) return 'osc9';
  if (env['VTE_VERSION'] || (env['TERM'] ?? '').startsWith('foot') || (env['TERM'] ?? '').startsWith('rxvt-unicode')) return 'osc777';
  return null;
}

/** The plan for a mode: auto = bell + the detected escape (none inside tmux); bell = bell only; oscN = bell + that escape. */
export function notifyPlan(mode: NotifyMode, env: Readonly<Record<string, string | undefined>>, inTmux: boolean): NotifyPlan {
  if (mode === 'off') return { bell: false, desktop: null, tmuxPassthrough: false };
  if (mode === 'bell') return { bell: true, desktop: null, tmuxPassthrough: false };
  if (mode === 'auto') return { bell: true, desktop: inTmux ? null : detectDesktop(env), tmuxPassthrough: false };
  return { bell: true, desktop: mode, tmuxPassthrough: inTmux };
}

// Notification text: no controls (the caller passes sanitised text; this is a second fence), no ';' where it separates.
function clean(text: string, semicolons: boolean): string {
  let t = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  if (!semicolons) t = t.replace(/;/g, ',');
  return t.length > MAX_NOTIFY_CHARS ? `${t.slice(0, MAX_NOTIFY_CHARS - 1)}…` : t;
}

/** The bytes of one desktop notification. */
export function desktopBytes(kind: DesktopKind, title: string, body: string): string {
  const ST = '\x1b\\';
  switch (kind) {
    case 'osc9': return `\x1b]9;${clean(`${title}: ${body}`, true)}${ST}`;
    case 'osc777': return `\x1b]777;notify;${clean(title, false)};${clean(body, false)}${ST}`;
    // kitty: title first (d=0: more to come), then the body (p=body, d=1: done), one notification id
    case 'osc99': return `\x1b]99;i=termcall:d=0;${clean(title, true)}${ST}\x1b]99;i=termcall:d=1:p=body;${clean(body, true)}${ST}`;
  }
}

// Wrap an escape for tmux's passthrough (DCS tmux; … ST, each ESC doubled); needs `allow-passthrough on` in tmux.
function passthrough(seq: string): string {
  return `\x1bPtmux;${seq.replace(/\x1b/g, '\x1b\x1b')}\x1b\\`;
}

/** Everything to write for one event under a plan ('' when nothing). */
export function notifyBytes(plan: NotifyPlan, title: string, body: string): string {
  let out = plan.bell ? '\x07' : '';
  if (plan.desktop) {
    const seq = desktopBytes(plan.desktop, title, body);
    out += plan.tmuxPassthrough ? passthrough(seq) : seq;
  }
  return out;
}

/** Sends each event's notification once, and only while the window is not known to be in front. */
export class Notifier {
  /** true: in front (focus report), false: not, null: unknown (the terminal does not report focus) — counts as not. */
  focused: boolean | null = null;
  private readonly done = new Set<string>();
  /** Notifications written (for the log and tests). */
  sent = 0;

  constructor(private readonly plan: NotifyPlan, private readonly write: (bytes: string) => void) {}

  /** Notify about the event with this id (a second call with the same id does nothing). */
  notify(id: string, title: string, body: string): boolean {
    if (this.done.has(id) || this.focused === true) return false;
    this.done.add(id);
    const bytes = notifyBytes(this.plan, title, body);
    if (bytes === '') return false;
    this.write(bytes);
    this.sent++;
    return true;
  }
}
