// The throttling proxy for tests (it lives in src/bench, which uses it too).
export { startThrottleProxy, type ThrottleProxy } from '../../src/bench/throttle-proxy.js';
