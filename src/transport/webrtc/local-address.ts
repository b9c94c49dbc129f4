// Which ICE candidate addresses are not reachable across the internet: private, loopback, link-local, shared (CGNAT)
// and documentation ranges, mDNS names. The answerer holds the offerer's host candidates on such addresses back
// (peer.ts); a host candidate on a public address goes at once, or a public offerer would wait out the hold.
import { BlockList, isIP } from 'node:net';

const NOT_GLOBAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['240.0.0.0', 4],
] as const) NOT_GLOBAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::1', 128], ['::', 128], ['fc00::', 7], ['fe80::', 10], ['2001:db8::', 32]] as const) {
  NOT_GLOBAL.addSubnet(net, bits, 'ipv6');
}

/** True when an address is not globally routable (or is a name, as mDNS candidates are, or is not an address). */
export function isLocalAddress(address: string): boolean {
  const v = isIP(address);
  if (v === 0) return true;
  return NOT_GLOBAL.check(address, v === 4 ? 'ipv4' : 'ipv6');
}
