// One more attempt for a test whose WebRTC connection failed to come up. libdatachannel (node-datachannel 0.33.4)
// now and then fails a connection on loopback: ICE ends with no candidate pair, or the DTLS handshake refuses the
// peer's certificate (about one connection in ten under load; issue 16 keeps it open, docs/webrtc.md "open
// problems"). A second failure fails the test; the first one is reported as a diagnostic, never hidden.
import type { TestContext } from 'node:test';

/** Failures of the connection setup itself, not of what the test checks. */
const SETUP_FAILURE = /ERR_WEBRTC_FAILED|no candidate pair worked|certificate verify failed|DTLS handshake/;

/** Wraps a test body: when it fails because the WebRTC link never came up, it runs once more. */
export function retryWebrtcSetup(body: (t: TestContext) => Promise<void>): (t: TestContext) => Promise<void> {
  return async (t) => {
    try {
      await body(t);
    } catch (err) {
      const text = err instanceof Error ? `${err.message}\n${String(err.stack)}` : String(err);
      if (!SETUP_FAILURE.test(text)) throw err;
      t.diagnostic(`WebRTC setup failed (known libdatachannel flake), one more attempt: ${text.split('\n')[0]?.slice(0, 300)}`);
      await body(t);
    }
  };
}
