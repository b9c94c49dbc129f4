// Where termcall's own files are, wherever it is installed or run from.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The package root (the folder with package.json), from dist/src/shared/. */
export function packageRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

/** The bundled demo clip. */
export function fixtureClip(): string {
  return join(packageRoot(), 'fixtures', 'clip.mp4');
}

/** The demo peer's voice (espeak-ng speech made by scripts/make-fixtures.sh). */
export function fixtureSpeech(): string {
  return join(packageRoot(), 'fixtures', 'speech.wav');
}
