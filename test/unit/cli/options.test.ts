// How parsed arguments become the TUI's options: the demo records nothing, peers are listed once, one secret policy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tuiOptions, type CallArgs } from '../../../src/cli/options.js';
import type { Config } from '../../../src/cli/config.js';
import { FormModel } from '../../../src/tui/form-model.js';
import { formLines } from '../../../src/tui/views.js';
import { UsageError } from '../../../src/shared/errors.js';

const args: CallArgs = { port: 7878, bind: '0.0.0.0', render: 'auto', fps: 30, preview: true, listen: true, autoAccept: false };
const cfg: Config = { defaults: {}, peers: { bob: { host: 'bob.example.org', port: 7878 } }, recent: [{ host: '127.0.0.1', port: 40123, at: '' }] };

test('the demo records no recent peer; other modes do', () => {
  assert.equal(tuiOptions(args, cfg, '/nonexistent/config.json', 'demo').onCallPlaced, undefined);
  assert.equal(typeof tuiOptions(args, cfg, '/nonexistent/config.json', 'start').onCallPlaced, 'function');
});

test('a recent peer without a name is listed by its address, once', () => {
  const o = tuiOptions(args, cfg, '/nonexistent/config.json', 'start');
  const form = new FormModel({ port: 7878, name: 'me' }, o.peers);
  const text = formLines(form, { listening: '', message: '' }, 80).join('\n');
  assert.equal(text.split('127.0.0.1:40123').length - 1, 1, text);
  assert.match(text, /bob +bob\.example\.org:7878/);
});

test('the TUI follows the passphrase policy: a short one warns, a long one does not, an empty one is an error', () => {
  assert.deepEqual(tuiOptions({ ...args, secret: 'a' }, cfg, '', 'start').warnings?.length, 1);
  const long = tuiOptions({ ...args, secret: 'correct horse battery staple' }, cfg, '', 'start');
  assert.equal(long.warnings, undefined);
  assert.equal(long.secret, 'correct horse battery staple');
  assert.throws(() => tuiOptions({ ...args, secret: '' }, cfg, '', 'start'), (e: unknown) => e instanceof UsageError);
});
