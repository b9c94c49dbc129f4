// An in-memory peer for session tests: decodes what the session writes and feeds it scripted bytes.
import { Duplex } from 'node:stream';
import { encodeMessage, encodePreamble } from '../../src/protocol/codec.js';
import { WireDecoder } from '../../src/protocol/decoder.js';
import type { DecodedItem, VideoMsg } from '../../src/protocol/messages.js';

/** An in-memory peer: what the session writes is decoded; `reply` pushes bytes to the session. holdWrites keeps write callbacks pending. */
export function scriptedPeer(opts: { holdWrites?: () => boolean; onVideo?: (m: VideoMsg) => void }) {
  const dec = new WireDecoder();
  const held: (() => void)[] = [];
  const videos: VideoMsg[] = [];
  const all: DecodedItem[] = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      for (const m of dec.push(chunk)) {
        all.push(m);
        if (m.type === 'video') { videos.push(m); opts.onVideo?.(m); }
      }
      if (opts.holdWrites?.()) held.push(cb); else cb();
    },
  });
  const reply = (b: Buffer): void => { stream.push(b); };
  return { stream, reply, videos, held, all };
}

/** The listener side's opening: preamble, hello, accept. */
export function listenerOpening(): Buffer {
  return Buffer.concat([
    encodePreamble(),
    encodeMessage({ type: 'hello', name: 'script', renderer: '', paneWidth: 640, paneHeight: 480, features: 0 }),
    encodeMessage({ type: 'accept' }),
  ]);
}

