// Preloaded with `node --import` in the crash test: an uncaught error $CRASH_TEST_AFTER_MS after start,
// so the test can check that the terminal is restored and the error printed.
const ms = Number(process.env.CRASH_TEST_AFTER_MS);
if (Number.isFinite(ms)) {
  setTimeout(() => {
    throw new Error('boom: deliberate test crash');
  }, ms).unref();
}
export {};
