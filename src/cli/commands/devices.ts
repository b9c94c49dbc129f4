// `termcall devices`: the cameras that can be opened, and the sound devices (microphones and speakers).
import { media } from '../../media/media.js';
import { listAudioDevices } from '../../audio/device-admin.js';

/** Prints the cameras that deliver a picture (or says there are none and what to try), then the sound devices. */
export async function runDevices(json: boolean): Promise<number> {
  const devices = await media().listDevices();
  const audio = listAudioDevices();
  if (json) {
    process.stdout.write(JSON.stringify({ cameras: devices, audio }) + '\n');
    return 0;
  }
  if (devices.length === 0) {
    process.stdout.write('No camera could be opened on this machine.\n' +
      'If one is plugged in: check that /dev/video* exists and that you are in the "video" group ' +
      '(sudo usermod -aG video $USER, then log in again).\n' +
      'You can still call with --source FILE, --source http://PHONE:8080/video (Android "IP Webcam"), or --source test.\n');
  }
  for (const d of devices) {
    process.stdout.write(`camera:${d.index}  ${d.path}  ${d.width}x${d.height}  ${Math.round(d.fps)} fps\n`);
  }
  if (audio.length === 0) {
    process.stdout.write('No sound device: no PulseAudio/PipeWire server answers and no ALSA card is listed (audio is off in calls;\n' +
      '--audio-in FILE.wav / --audio-out FILE.wav still work).\n');
  }
  for (const a of audio) {
    process.stdout.write(`${a.kind === 'input' ? 'microphone' : 'speaker'}  ${a.spec}  ${a.description}\n`);
  }
  return 0;
}
