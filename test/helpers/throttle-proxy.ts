// The throttling proxy for tests (it lives in src/net so the bench can use it too).
export { startThrottleProxy, type ThrottleProxy } from '../../src/net/throttle-proxy.js';
