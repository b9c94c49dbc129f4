// --stun and --turn: parse the URLs (RFC 7064/7065) into what libdatachannel takes. Nothing is contacted unless the
// user configured a server: with none, only host candidates are gathered.
import { ProtocolError } from '../../shared/errors.js';

/** One STUN or TURN server, as node-datachannel's IceServer. */
export interface IceServerSpec {
  readonly hostname: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly relayType?: 'TurnUdp' | 'TurnTcp' | 'TurnTls';
}

/** What the user configured (options or config keys). */
export interface IceConfig {
  readonly stun?: readonly string[];
  readonly turn?: readonly string[];
  /** Credentials for TURN URLs that carry none. */
  readonly turnUser?: string;
  readonly turnPass?: string;
  /** Only relayed candidates (hide this side's addresses from the peer; tests use it to force TURN). */
  readonly relayOnly?: boolean;
}

/** Throw ERR_ICE_SERVER. */
function bad(url: string, why: string): never {
  throw new ProtocolError('ERR_ICE_SERVER', `ICE server "${url}": ${why}`);
}

/** "host", "host:port", "[v6]:port" → host and port (default def). */
function hostAndPort(url: string, rest: string, def: number): { hostname: string; port: number } {
  const m = rest.match(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/);
  if (!m || !m[1]) bad(url, 'expected HOST or HOST:PORT');
  const port = m[2] ? Number(m[2]) : def;
  if (port < 1 || port > 65535) bad(url, `port ${port} is out of range`);
  return { hostname: m[1].replace(/^\[|\]$/g, ''), port };
}

/** Parse "stun:HOST[:PORT]" (the "stun:" may be left out). */
export function parseStun(url: string): IceServerSpec {
  const rest = url.replace(/^stun:/i, '');
  if (/^[a-z]+:/i.test(rest) && !/^\[/.test(rest) && !/^[^:]+:\d+$/.test(rest)) bad(url, 'a STUN server is stun:HOST[:PORT]');
  return hostAndPort(url, rest, 3478);
}

/** Parse "turn[s]:[USER:PASS@]HOST[:PORT][?transport=udp|tcp]"; credentials from the URL or the options. */
export function parseTurn(url: string, user?: string, pass?: string): IceServerSpec {
  const m = url.match(/^(turns?):(?:([^:@]*):([^@]*)@)?([^?]+)(?:\?transport=(udp|tcp))?$/i);
  if (!m || !m[1] || !m[4]) bad(url, 'a TURN server is turn:[USER:PASS@]HOST[:PORT][?transport=udp|tcp]');
  const tls = m[1].toLowerCase() === 'turns';
  const { hostname, port } = hostAndPort(url, m[4], tls ? 5349 : 3478);
  const username = m[2] !== undefined ? decodeURIComponent(m[2]) : user;
  const password = m[3] !== undefined ? decodeURIComponent(m[3]) : pass;
  if (!username || password === undefined) bad(url, 'TURN needs a user name and password (in the URL or --turn-user/--turn-pass)');
  const relayType = tls ? 'TurnTls' : m[5]?.toLowerCase() === 'tcp' ? 'TurnTcp' : 'TurnUdp';
  return { hostname, port, username, password, relayType };
}

/** Every configured server, in order: STUN first, then TURN. */
export function iceServers(cfg: IceConfig): IceServerSpec[] {
  return [
    ...(cfg.stun ?? []).map((u) => parseStun(u)),
    ...(cfg.turn ?? []).map((u) => parseTurn(u, cfg.turnUser, cfg.turnPass)),
  ];
}
