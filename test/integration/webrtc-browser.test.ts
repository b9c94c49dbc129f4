// A browser joins `termcall listen --web`: Debian's chromium, headless, with a fake camera, opens the one-time link;
// frames flow both ways (the terminal side's stats count the browser's frames; the page counts the terminal side's)
// and a screenshot of the page shows the terminal side's test pattern. A wrong or already used token is refused.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import type { SessionStats } from '../../src/call/stats.js';
import { packageRoot } from '../../src/shared/paths.js';
import { needTools } from '../helpers/require-tool.js';

/** Poll until check() gives a value or ms pass. */
async function until<T>(check: () => T | undefined, ms: number): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('chromium joins through a one-time link: video both ways, the page shows the terminal side; wrong and reused tokens refused',
  { skip: needTools('chromium'), timeout: 90_000 }, async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'termcall-web-'));
    const statsFile = path.join(dir, 'stats.jsonl');
    const out = fs.openSync(path.join(dir, 'out'), 'w');
    const env = { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state') };
    const listener: ChildProcess = spawn(process.execPath, ['bin/termcall', 'listen', '--web', '0', '--auto-accept', '--source', 'test',
      '--stats-file', statsFile, '--log-file', path.join(dir, 'log')], { cwd: packageRoot(), env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    t.after(() => { listener.kill('SIGINT'); fs.rmSync(dir, { recursive: true, force: true }); });
    const link = await until(() => /join link: (http:\/\/\S+)/.exec(fs.readFileSync(path.join(dir, 'out'), 'utf8'))?.[1], 20_000);
    assert.ok(link, 'the listener printed a join link');
    const wrong = link.replace(/\/join\/[^/]+$/, '/join/AAAAAAAAAAAAAAAAAAAAAAAA');
    assert.equal((await fetch(wrong)).status, 403, 'a wrong token is refused');
    const shot = path.join(dir, 'shot.png');
    const r = spawnSync('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream', '--window-size=700,600', `--user-data-dir=${path.join(dir, 'profile')}`, `--screenshot=${shot}`,
      `${link}?hold=8`], { encoding: 'utf8', timeout: 45_000 });
    assert.ok(fs.existsSync(shot), `chromium wrote no screenshot: ${r.stderr?.slice(-500)}`);
    // The terminal side received the browser's frames (its rx) and sent its own (tx).
    const lines = fs.readFileSync(statsFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as SessionStats);
    assert.ok(lines.some((s) => s.rx.frames > 10), `the browser's frames arrived: ${JSON.stringify(lines.at(-1)?.rx)}`);
    assert.ok(lines.some((s) => s.tx.frames > 10), 'frames were sent to the browser');
    assert.equal(lines.at(-1)?.path?.video, 'data-channel', 'a browser gets video on the data channel (it has no RTP track of ours)');
    // The page's remote <img> (8,24 to 488,384) shows the test pattern's colour bars: many distinct saturated colours.
    const { data, info } = await sharp(shot).extract({ left: 8, top: 24, width: 480, height: 100 }).raw().toBuffer({ resolveWithObject: true });
    const colours = new Set<string>();
    for (let i = 0; i < data.length; i += info.channels * 97) colours.add(`${(data[i] ?? 0) >> 5},${(data[i + 1] ?? 0) >> 5},${(data[i + 2] ?? 0) >> 5}`);
    assert.ok(colours.size >= 6, `the remote video area shows the test pattern (${colours.size} colour bins)`);
    // The link was used: opening it again is refused.
    assert.equal((await fetch(link)).status, 403, 'a used token is refused');
  });
