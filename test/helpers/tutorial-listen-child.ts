// The tutorial listener in its own process, for the memory test: listenTutorial (pickle) taking one link like the
// headless command does. Over IPC it sends { port } once listening, and answers 'mem' with its memory and the
// bytes its taken link has received; 'exit' closes it.
import { listenTutorial, type TutorialLink } from '../../src/tutorial/link.js';

/** What the child reports for 'mem'. */
export interface ChildMemory {
  readonly rss: number;
  readonly arrayBuffers: number;
  /** Bytes received by the link taken with nextLink() (0 before one is taken). */
  readonly takenBytes: number;
}

const send = (m: unknown): void => {
  process.send?.(m);
};
const srv = await listenTutorial({ host: '127.0.0.1', port: 0, wire: 'pickle' });
let taken: TutorialLink | null = null;
srv.nextLink().then((link) => {
  taken = link;
  link.on('error', () => undefined);
}, () => undefined);
process.on('message', (m) => {
  if (m === 'mem') {
    const u = process.memoryUsage();
    send({ rss: u.rss, arrayBuffers: u.arrayBuffers, takenBytes: taken?.stats().bytesReceived ?? 0 } satisfies ChildMemory);
  } else if (m === 'exit') {
    void srv.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
send({ port: srv.port });
