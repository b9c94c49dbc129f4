// The private PulseAudio rig for tests (it lives in src/bench, which uses it too).
export { playInto, recordSource, startPulse, type PulseServer, type Recording } from '../../src/bench/pulse-rig.js';
