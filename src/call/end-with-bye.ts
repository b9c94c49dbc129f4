// Ending a stream on our terms: write its last bytes (a BYE), then make sure it is gone even if the peer never reads.
import type { Duplex } from 'node:stream';

/** How long the last bytes (a BYE) get to leave before the stream is destroyed anyway. */
const BYE_GRACE_MS = 1000;

/** End the stream with these last bytes; destroy it BYE_GRACE_MS later at the latest. */
export function endWithBye(stream: Duplex, last: Uint8Array): void {
  try {
    stream.end(last);
  } catch {
    // The stream may refuse writes while it is failing; destroying it below is enough.
  }
  setTimeout(() => stream.destroy(), BYE_GRACE_MS).unref();
}
