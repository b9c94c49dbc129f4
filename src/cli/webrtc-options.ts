// The options of calls over WebRTC (`termcall webrtc offer|answer`): ICE servers and how the blobs travel. Config
// keys of the same names ("stun", "turn", "turnUser", "turnPass") set them too; with none, no server is contacted.
import type { Argv } from 'yargs';
import type { IceConfig } from '../transport/webrtc/ice-servers.js';

/** Adds --stun, --turn, --turn-user, --turn-pass, --relay-only. */
export function iceOptions<T>(y: Argv<T>) {
  return y
    .option('stun', { type: 'array', string: true, describe: 'STUN server(s), stun:HOST[:PORT], to learn your public address (none by default: nothing is contacted)' })
    .option('turn', { type: 'array', string: true, describe: 'TURN relay(s), turn:[USER:PASS@]HOST[:PORT][?transport=tcp] or turns:…, for symmetric NATs' })
    .option('turn-user', { type: 'string', describe: 'TURN user name (for --turn URLs without one)' })
    .option('turn-pass', { type: 'string', describe: 'TURN password (for --turn URLs without one)' })
    .option('relay-only', { type: 'boolean', default: false, describe: 'offer only TURN-relayed candidates (hides your addresses from the peer)' });
}

/** The parsed ICE options. */
export interface IceArgs {
  stun?: string[] | undefined; turn?: string[] | undefined; turnUser?: string | undefined; turnPass?: string | undefined;
  relayOnly?: boolean | undefined;
}

/** ICE options → IceConfig. */
export function iceConfig(a: IceArgs): IceConfig {
  return {
    ...(a.stun?.length ? { stun: a.stun } : {}), ...(a.turn?.length ? { turn: a.turn } : {}),
    ...(a.turnUser !== undefined ? { turnUser: a.turnUser } : {}), ...(a.turnPass !== undefined ? { turnPass: a.turnPass } : {}),
    ...(a.relayOnly ? { relayOnly: true } : {}),
  };
}
