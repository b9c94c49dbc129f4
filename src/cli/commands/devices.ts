// `termcall devices`: the cameras that can be opened.
import { media } from '../../media/media.js';

/** Prints the cameras that deliver a picture, or says there are none and what to try. */
export async function runDevices(json: boolean): Promise<number> {
  const devices = await media().listDevices();
  if (json) {
    process.stdout.write(JSON.stringify({ cameras: devices }) + '\n');
    return 0;
  }
  if (devices.length === 0) {
    process.stdout.write('No camera could be opened on this machine.\n' +
      'If one is plugged in: check that /dev/video* exists and that you are in the "video" group ' +
      '(sudo usermod -aG video $USER, then log in again).\n' +
      'You can still call with --source FILE, --source http://PHONE:8080/video (Android "IP Webcam"), or --source test.\n');
    return 0;
  }
  for (const d of devices) {
    process.stdout.write(`camera:${d.index}  ${d.path}  ${d.width}x${d.height}  ${Math.round(d.fps)} fps\n`);
  }
  return 0;
}
