// Public surface of the wire protocol and call session for the CLI and TUI.
export { Session } from './session.js';
export type { SessionOptions, SessionRole, SessionState, SessionEvents, PeerInfo, CloseInfo } from './session.js';
export { dial, listen, connectTcp, hostPort, CallListener } from './connect.js';
export type { CallOptions, ListenOptions } from './connect.js';
export type { RejectedInfo, ThrottledInfo } from './secure-listen.js';
export { formatStatsLine, writeStatsFile, statsToJson } from './stats.js';
export type { SessionStats, DirectionStats } from './stats.js';
export type { DecodeFn, RemoteFrameInfo } from './video-receiver.js';
