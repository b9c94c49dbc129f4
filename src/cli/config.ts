// The config file (~/.config/termcall/config.json): defaults, saved peers, recent peers. Read strictly, written safely.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { UsageError } from '../shared/errors.js';
import { MAX_RECENT_PEERS } from '../shared/limits.js';
import { DEFAULT_PORT } from '../protocol/messages.js';

export interface SavedPeer { host: string; port: number; secret?: string }
export interface RecentPeer { host: string; port: number; name?: string; at: string }
export interface Config {
  /** My display name. */
  name?: string;
  /** Option defaults, by option name (port, render, source, fps, preview, …). */
  defaults: Record<string, string | number | boolean>;
  peers: Record<string, SavedPeer>;
  recent: RecentPeer[];
}

/** The config path: --config, else $XDG_CONFIG_HOME/termcall/config.json, else ~/.config/termcall/config.json. */
export function configPath(env: NodeJS.ProcessEnv = process.env, explicit?: string): string {
  return explicit || join(xdgDir(env, 'XDG_CONFIG_HOME', ['.config']), 'termcall', 'config.json');
}

/** The default log file: $XDG_STATE_HOME/termcall/termcall.log, else ~/.local/state/termcall/termcall.log. */
export function defaultLogFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdgDir(env, 'XDG_STATE_HOME', ['.local', 'state']), 'termcall', 'termcall.log');
}

// An XDG base directory: the variable when it holds an absolute path (the spec ignores relative ones), else under home.
function xdgDir(env: NodeJS.ProcessEnv, name: 'XDG_CONFIG_HOME' | 'XDG_STATE_HOME', underHome: string[]): string {
  const v = env[name];
  return v && v.startsWith('/') ? v : join(env.HOME ?? homedir(), ...underHome);
}

/** Reads the config; a missing file is an empty config, a broken one a UsageError(ERR_CONFIG) naming path, line and column. */
export function loadConfig(path: string): Config {
  if (!existsSync(path)) return { defaults: {}, peers: {}, recent: [] };
  return parseConfig(readFileSync(path, 'utf8'), path);
}

/** Parses and validates config text (pure). */
export function parseConfig(text: string, path: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError('ERR_CONFIG', `${path}${jsonErrorPlace(text, err)}: not valid JSON (${(err as Error).message}). Fix or remove the file.`);
  }
  const bad = (where: string, what: string): never => {
    throw new UsageError('ERR_CONFIG', `${path}: "${where}" ${what}. Fix or remove it.`);
  };
  if (!isObject(raw)) bad('(top level)', 'must be an object like {"name": "…", "peers": {…}}');
  const o = raw as Record<string, unknown>;
  const cfg: Config = { defaults: {}, peers: {}, recent: [] };
  if (o.name !== undefined) cfg.name = typeof o.name === 'string' ? o.name : bad('name', 'must be a string');
  if (o.defaults !== undefined) {
    if (!isObject(o.defaults)) bad('defaults', 'must be an object of option values');
    for (const [k, v] of Object.entries(o.defaults as Record<string, unknown>)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') bad(`defaults.${k}`, 'must be a string, number or true/false');
      cfg.defaults[k] = v as string | number | boolean;
    }
  }
  if (o.peers !== undefined) {
    if (!isObject(o.peers)) bad('peers', 'must be an object of name → {"host", "port"}');
    for (const [name, p] of Object.entries(o.peers as Record<string, unknown>)) {
      if (!isObject(p)) bad(`peers.${name}`, 'must be an object like {"host": "10.0.0.5", "port": 7878}');
      const q = p as Record<string, unknown>;
      if (typeof q.host !== 'string' || q.host === '') bad(`peers.${name}.host`, 'must be a host name or address');
      const port = q.port ?? DEFAULT_PORT;
      if (!isPort(port)) bad(`peers.${name}.port`, 'must be a whole number from 1 to 65535');
      if (q.secret !== undefined && typeof q.secret !== 'string') bad(`peers.${name}.secret`, 'must be a string');
      cfg.peers[name] = { host: q.host as string, port: port as number, ...(typeof q.secret === 'string' ? { secret: q.secret } : {}) };
    }
  }
  if (o.recent !== undefined) {
    if (!Array.isArray(o.recent)) bad('recent', 'must be a list');
    (o.recent as unknown[]).forEach((r, i) => {
      if (!isObject(r)) bad(`recent[${i}]`, 'must be an object');
      const q = r as Record<string, unknown>;
      if (typeof q.host !== 'string' || !isPort(q.port)) bad(`recent[${i}]`, 'needs "host" and "port"');
      cfg.recent.push({ host: q.host as string, port: q.port as number, at: typeof q.at === 'string' ? q.at : '',
        ...(typeof q.name === 'string' ? { name: q.name } : {}) });
    });
  }
  return cfg;
}

/**
 * Records a call in the recent list. Re-reads the file first and changes only "recent", keeping every other key
 * (even unknown ones) as it was; a broken file is left untouched; the write is atomic (temp file + rename).
 */
export function rememberRecent(path: string, peer: { host: string; port: number; name?: string }, now = new Date()): void {
  let raw: Record<string, unknown> = {};
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8');
    parseConfig(text, path); // throws on a broken file: never overwrite it
    raw = JSON.parse(text) as Record<string, unknown>;
  }
  const old = Array.isArray(raw.recent) ? (raw.recent as RecentPeer[]) : [];
  const entry: RecentPeer = { host: peer.host, port: peer.port, ...(peer.name ? { name: peer.name } : {}), at: now.toISOString() };
  raw.recent = [entry, ...old.filter((r) => !(r.host === peer.host && r.port === peer.port))].slice(0, MAX_RECENT_PEERS);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(raw, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

/** Splits HOST[:PORT] (IPv6 as [addr]:port); a saved peer's name resolves to its address. */
export function resolvePeer(target: string, cfg: Config, defaultPort: number): { host: string; port: number; name?: string; secret?: string } {
  const saved = cfg.peers[target];
  if (saved) return { host: saved.host, port: saved.port, name: target, ...(saved.secret ? { secret: saved.secret } : {}) };
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(target);
  let host: string, portText: string | undefined;
  if (v6) { host = v6[1]!; portText = v6[2]; } else if ((target.match(/:/g) ?? []).length === 1) {
    [host, portText] = target.split(':') as [string, string];
  } else { host = target; }
  if (host === '') throw new UsageError('ERR_USAGE', `"${target}" has no host; write HOST, HOST:PORT, [IPv6]:PORT or a saved peer's name`);
  if (portText === undefined) return { host, port: defaultPort };
  const port = Number(portText);
  if (!isPort(port)) throw new UsageError('ERR_USAGE', `"${portText}" in "${target}" is not a port (1–65535)`);
  return { host, port };
}

// Turns a JSON.parse error into ":line:column" when it names a position.
function jsonErrorPlace(text: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : '';
  const lc = /line (\d+) column (\d+)/.exec(msg);
  if (lc) return `:${lc[1]}:${lc[2]}`;
  const pos = /position (\d+)/.exec(msg);
  let at = pos ? Number(pos[1]) : msg.includes('end of JSON') || msg.includes('Unexpected end') ? text.length : -1;
  if (at < 0) return '';
  at = Math.min(at, text.length);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const col = at - before.lastIndexOf('\n');
  return `:${line}:${col}`;
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPort = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
