// The environment OpenCV reads when it loads and opens sources: set in the main thread before the media worker starts.

/** Sets the environment OpenCV reads at load and open time; call in the main thread before the worker starts. */
export function quietOpenCvEnv(env: NodeJS.ProcessEnv = process.env): void {
  env.OPENCV4NODEJS_DISABLE_AUTOBUILD = '1';
  env.OPENCV_LOG_LEVEL = 'OFF';
  env.OPENCV_VIDEOIO_DEBUG = '0';
  env.OPENCV_FFMPEG_LOGLEVEL = '-8';
  // Sockets under ffmpeg give up after 2 s instead of ~30 s (microseconds).
  env.OPENCV_FFMPEG_CAPTURE_OPTIONS ??= 'timeout;2000000|rw_timeout;2000000';
}
