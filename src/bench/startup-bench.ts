// The `startup` section: process start → first remote frame drawn in `termcall demo`, inside a real pty (tmux).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../shared/median.js';

export interface StartupBench {
  /** Median over the runs of the time the demo itself logs: process start → first remote frame written to the terminal. */
  demoFirstFrameMs: number;
  runs: number[];
}

const FIRST_FRAME_RE = /first remote frame drawn (\d+) ms after process start/;

/** Runs `termcall demo` `runs` times in a detached tmux session (120x40) and reads the figure from its log. */
export async function benchStartup(runs = 5, log: (s: string) => void = () => {}): Promise<StartupBench | undefined> {
  if (spawnSync('tmux', ['-V']).status !== 0) { log('startup: tmux not found, section left out'); return undefined; }
  const bin = fileURLToPath(new URL('../../../bin/termcall', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'termcall-startup-'));
  const figures: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const logFile = join(dir, `demo-${i}.log`);
      const sock = `termcall-bench-${process.pid}-${i}`;
      const cmd = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} demo --log-file ${JSON.stringify(logFile)}`;
      spawnSync('tmux', ['-L', sock, '-f', '/dev/null', 'new-session', '-d', '-x', '120', '-y', '40', cmd], {
        env: { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor', TMUX: '' },
      });
      try {
        const deadline = Date.now() + 20_000;
        let ms: number | undefined;
        while (ms === undefined && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
          const m = existsSync(logFile) ? FIRST_FRAME_RE.exec(readFileSync(logFile, 'utf8')) : null;
          if (m) ms = Number(m[1]);
        }
        if (ms === undefined) throw new Error(`termcall demo drew no remote frame within 20 s (log: ${logFile})`);
        figures.push(ms);
        log(`startup: run ${i + 1}: ${ms} ms`);
      } finally {
        spawnSync('tmux', ['-L', sock, 'kill-server']);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { demoFirstFrameMs: median(figures), runs: figures };
}
