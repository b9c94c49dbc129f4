// Temporary files for kitty's t=t transfer (a terminal on this machine): a frame's RGB bytes are written to one of a
// few files in tmpfs, kitty reads and deletes it. A small ring of names bounds what a vanished terminal can leave.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KITTY_FILE_RING } from '../shared/limits.js';
import type { KittyFileSink } from '../render/kitty.js';

/** Where the files go: /dev/shm (memory) when it is there and writable, else the system temp dir. */
function tempDir(): string {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

/** A sink for kitty t=t frames; `write` returns null (the renderer then sends inline) once writing fails. */
export function createKittyFileSink(dir = tempDir(), tag = `${process.pid}`): KittyFileSink {
  // kitty deletes a t=t file only when its path holds "tty-graphics-protocol" and it lies in a temp dir
  const names = Array.from({ length: KITTY_FILE_RING }, (_, i) => path.join(dir, `tty-graphics-protocol-termcall-${tag}-${i}.rgb`));
  let next = 0;
  let broken = false;
  return {
    write(rgb: Uint8Array): string | null {
      if (broken) return null;
      const file = names[next] as string;
      next = (next + 1) % names.length;
      const tmp = `${file}.part`;
      try {
        // write beside, then rename: kitty never reads a half-written frame
        fs.writeFileSync(tmp, rgb);
        fs.renameSync(tmp, file);
        return file;
      } catch {
        broken = true;
        return null;
      }
    },
    close(): void {
      for (const f of names) {
        fs.rmSync(f, { force: true });
        fs.rmSync(`${f}.part`, { force: true });
      }
    },
  };
}
