// The far side of `termcall demo`: a listener on 127.0.0.1 (any free port) that streams the bundled clip, auto-accepts,
// and has no UI of its own.
import { media } from '../media/media.js';
import type { FrameSource } from '../shared/frame-source.js';
import { listen, type CallListener } from '../transport/connect.js';
import { fixtureClip, fixtureSpeech } from '../shared/paths.js';
import { AudioCall } from './audio-call.js';
import { openAudioInput } from '../audio/devices.js';
import { messageOf } from '../shared/errors.js';
import { DEFAULT_PANE_HEIGHT_PX, DEFAULT_PANE_WIDTH_PX } from '../shared/limits.js';
import type { Logger } from '../shared/log.js';

/** Size the demo peer asks the TUI's video at (it acks frames without decoding them). */
const DEMO_PEER_PANE = { width: DEFAULT_PANE_WIDTH_PX, height: DEFAULT_PANE_HEIGHT_PX } as const;

export interface DemoPeer {
  readonly port: number;
  close(): Promise<void>;
}

// Start the demo peer: open the clip, listen on 127.0.0.1:0 with auto-accept.
export async function startDemoPeer(fps: number, log: Logger): Promise<DemoPeer> {
  const source: FrameSource = await media().openSource(fixtureClip(), { fps, loop: true });
  let listener: CallListener;
  try {
    listener = await listen({
      port: 0, host: '127.0.0.1',
      call: { name: 'demo peer', renderer: 'none', pane: DEMO_PEER_PANE, source, decode: null, autoAccept: true, fps, audio: true },
    });
  } catch (err) {
    await source.close().catch(() => undefined);
    throw err;
  }
  // The demo peer speaks: the bundled speech, looped, as its microphone (it plays nothing).
  listener.on('session', (s) => s.once('connected', () => {
    try {
      new AudioCall(s, openAudioInput({ kind: 'wav', path: fixtureSpeech() }), null, { notice: (t) => log.warn(`demo peer: ${t}`) });
    } catch (err) {
      log.warn(`demo peer: no voice: ${messageOf(err)}`);
    }
  }));
  const port = listener.address().port;
  log.info(`demo peer streaming ${fixtureClip()} on 127.0.0.1:${port}`);
  return {
    port,
    async close(): Promise<void> {
      await listener.close().catch(() => undefined);
      await source.close().catch(() => undefined);
    },
  };
}
