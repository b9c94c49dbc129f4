// Loads the OpenCV binding quietly. Only the media worker calls this (one JS environment per process: field notes).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CaptureError, messageOf } from '../../shared/errors.js';
import { packageRoot } from '../../shared/paths.js';
import { quietOpenCvEnv } from '../opencv-env.js';

/** The slice of the @u4/opencv4nodejs API termcall uses (its own typings are too heavy to compile against). */
export interface CvMat {
  readonly rows: number;
  readonly cols: number;
  readonly empty: boolean;
  readonly channels: number;
  getData(): Buffer;
  resize(rows: number, cols: number, fx?: number, fy?: number, interpolation?: number): CvMat;
  cvtColor(code: number): CvMat;
  release(): void;
}
export interface CvCapture {
  read(): CvMat;
  readAsync(): Promise<CvMat>;
  get(prop: number): number;
  set(prop: number, value: number): boolean;
  release(): void;
}
export interface Cv {
  Mat: new (data: Buffer, rows: number, cols: number, type: number) => CvMat;
  VideoCapture: new (source: string | number, api?: number) => CvCapture;
  imencode(ext: string, mat: CvMat, params?: number[]): Buffer;
  imdecode(buf: Buffer, flags?: number): CvMat;
  CV_8UC3: number;
  CAP_FFMPEG: number;
  CAP_V4L2: number;
  CAP_ANY: number;
  CAP_PROP_FPS: number;
  CAP_PROP_FRAME_COUNT: number;
  CAP_PROP_POS_FRAMES: number;
  CAP_PROP_BUFFERSIZE: number;
  IMWRITE_JPEG_QUALITY: number;
  IMREAD_COLOR: number;
  IMREAD_REDUCED_COLOR_2: number;
  IMREAD_REDUCED_COLOR_4: number;
  IMREAD_REDUCED_COLOR_8: number;
  INTER_AREA: number;
  COLOR_GRAY2BGR: number;
  COLOR_BGRA2BGR: number;
}

let loaded: Cv | undefined;


/** Returns the loaded binding, loading it on first use; throws CaptureError(ERR_OPENCV_MISSING) with what to do. */
export function loadOpenCv(): Cv {
  if (loaded) return loaded;
  quietOpenCvEnv();
  const require = createRequire(import.meta.url);
  try {
    // The binding is CommonJS and uses the CommonJS copy of @u4/opencv-build: silence that copy's logger.
    const build = require('@u4/opencv-build') as { Log?: { silence: boolean } };
    if (build.Log) build.Log.silence = true;
    const mod = require('@u4/opencv4nodejs') as { default?: Cv; cv?: Cv };
    loaded = mod.cv ?? mod.default ?? (mod as unknown as Cv);
    return loaded;
  } catch (err) {
    throw new CaptureError('ERR_OPENCV_MISSING', `could not load OpenCV (${firstLine(messageOf(err))}). ${opencvAdvice()}`, { cause: err });
  }
}

// The loader's message is many lines with colours; the first says what failed.
function firstLine(message: string): string {
  return message.replace(/\x1b\[[0-9;]*m/g, '').split('\n')[0]?.trim() ?? '';
}

/** What to do when the binding will not load: in a checkout, the setup; in an installed package, install and rebuild. */
export function opencvAdvice(root: string = packageRoot()): string {
  if (existsSync(join(root, 'scripts', 'setup.sh'))) return 'Run "npm run setup" (it installs libopencv-dev and rebuilds the binding).';
  return 'termcall needs the system OpenCV 4 and a binding built against it. Install OpenCV (Debian/Ubuntu: ' +
    '"sudo apt-get install libopencv-dev"; macOS: "brew install opencv"), then build the binding: ' +
    `"cd ${root} && OPENCV4NODEJS_DISABLE_AUTOBUILD=1 npm rebuild @u4/opencv4nodejs" (or reinstall termcall with ` +
    'OPENCV4NODEJS_DISABLE_AUTOBUILD=1 set; README, "Installing as a package").';
}
