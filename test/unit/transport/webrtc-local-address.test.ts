import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocalAddress } from '../../../src/transport/webrtc/local-address.js';

test('addresses not routable across the internet are local: private, loopback, link-local, CGNAT, documentation, names', () => {
  for (const a of ['10.1.2.3', '172.20.0.5', '192.168.1.10', '127.0.0.1', '169.254.3.4', '100.64.0.1', '192.0.2.2',
    '198.51.100.2', '203.0.113.10', '::1', 'fd12:3456::1', 'fe80::1', '2001:db8::5', '5b1c2d3e-0000-4000-8000-000000000000.local', 'junk']) {
    assert.equal(isLocalAddress(a), true, a);
  }
});

test('public addresses are not local: their host candidates go to ICE at once (no 30 s hold for a public offerer)', () => {
  for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2a00:1450:4001::1', '2606:4700::1111']) {
    assert.equal(isLocalAddress(a), false, a);
  }
});
