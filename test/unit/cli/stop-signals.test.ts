// watchStopSignals: SIGINT, SIGTERM and SIGHUP each stop a headless command with their documented exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchStopSignals } from '../../../src/cli/stop-signals.js';
import { STOP_SIGNAL_EXIT as STOP_SIGNALS, type StopSignal } from '../../../src/shared/exit-codes.js';
import { EXIT } from '../../../src/cli/exit-codes.js';

const listeners = () => Object.fromEntries((Object.keys(STOP_SIGNALS) as StopSignal[]).map((s) => [s, process.listenerCount(s)]));

test('each stop signal has its documented code: SIGINT 130, SIGTERM 143, SIGHUP 129', () => {
  assert.deepEqual(STOP_SIGNALS, { SIGINT: EXIT.INTERRUPTED, SIGTERM: EXIT.TERMINATED, SIGHUP: EXIT.HANGUP });
  assert.deepEqual([EXIT.INTERRUPTED, EXIT.TERMINATED, EXIT.HANGUP], [130, 143, 129]);
});

for (const [sig, code] of Object.entries(STOP_SIGNALS) as [StopSignal, number][]) {
  test(`a real ${sig} settles stopped with ${code}; a later signal does not change it; dispose removes every handler`, async () => {
    const before = listeners();
    const s = watchStopSignals();
    assert.equal(s.code(), null);
    assert.equal(s.signal(), null);
    // Signal handlers keep no event loop alive: a bounded timer does while the signal is on its way.
    const guard = setTimeout(() => assert.fail(`${sig} never arrived`), 5_000);
    process.kill(process.pid, sig);
    await s.stopped;
    clearTimeout(guard);
    assert.equal(s.code(), code);
    assert.equal(s.signal(), sig);
    // A second signal (an ssh drop sends SIGHUP, then a shell may send SIGTERM) is swallowed: the first one decides.
    const other: StopSignal = sig === 'SIGTERM' ? 'SIGHUP' : 'SIGTERM';
    process.kill(process.pid, other);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(s.code(), code);
    s.dispose();
    assert.deepEqual(listeners(), before);
  });
}
