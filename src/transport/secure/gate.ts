// Listener-side admission limits: a small cap on pending handshakes and a per-address slowdown after failed attempts.
import net from 'node:net';
import {
  FAILED_ATTEMPT_BASE_DELAY_MS, FAILED_ATTEMPT_MAX_DELAY_MS, FAILED_ATTEMPT_MEMORY_MS, FREE_FAILED_ATTEMPTS,
  MAX_PENDING_CONNECTIONS, MAX_TRACKED_ADDRESSES,
} from '../../shared/limits.js';

/** The key an address is tracked under: IPv4 as is (also when IPv4-mapped), IPv6 by its /64 network. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (net.isIPv4(ip) || !net.isIPv6(ip)) return ip;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

// The eight hextets of an IPv6 address (zone id dropped).
function expandIPv6(ip: string): string[] {
  const bare = ip.split('%')[0] ?? ip;
  const [head = '', tail] = bare.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0');
  return [...h, ...fill, ...t].map((x) => x.toLowerCase().replace(/^0+(?=.)/, ''));
}

interface FailureEntry { failures: number; lastFailureAt: number; notBefore: number }

/** Failed attempts per address, bounded in size; answers how long the next attempt from an address must wait. */
export class FailureTable {
  private readonly entries = new Map<string, FailureEntry>();

  constructor(private readonly now: () => number = Date.now, private readonly maxEntries = MAX_TRACKED_ADDRESSES) {}

  /** Addresses currently remembered. */
  get size(): number {
    return this.entries.size;
  }

  /** Failed attempts remembered for an address key. */
  failures(key: string): number {
    return this.live(key)?.failures ?? 0;
  }

  /** The delay that failures attract: none for the first FREE_FAILED_ATTEMPTS, then doubling up to the maximum. */
  static delayFor(failures: number): number {
    if (failures <= FREE_FAILED_ATTEMPTS) return 0;
    const doublings = Math.min(30, failures - FREE_FAILED_ATTEMPTS - 1);
    return Math.min(FAILED_ATTEMPT_MAX_DELAY_MS, FAILED_ATTEMPT_BASE_DELAY_MS * 2 ** doublings);
  }

  /** Record a failed attempt (the newest failing address moves to the back; the oldest is forgotten when full). */
  recordFailure(key: string): number {
    const e = this.live(key) ?? { failures: 0, lastFailureAt: 0, notBefore: 0 };
    e.failures++;
    e.lastFailureAt = this.now();
    e.notBefore = Math.max(e.notBefore, e.lastFailureAt + FailureTable.delayFor(e.failures));
    this.entries.delete(key);
    this.entries.set(key, e);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return e.failures;
  }

  /** A successful handshake from the address: forget its failures. */
  recordSuccess(key: string): void {
    this.entries.delete(key);
  }

  /**
   * How long an attempt from key must wait before it is served (0: serve now): a delay after the last failure.
   * Taking a slot (wait 0) reserves the next one a full delay later, so parallel attempts are served one per delay.
   */
  takeSlot(key: string): number {
    const e = this.live(key);
    if (!e) return 0;
    const delay = FailureTable.delayFor(e.failures);
    if (delay === 0) return 0;
    const t = this.now();
    if (t < e.notBefore) return e.notBefore - t;
    e.notBefore = t + delay;
    return 0;
  }

  /** The entry for key unless it has expired (expired entries are dropped). */
  private live(key: string): FailureEntry | undefined {
    const e = this.entries.get(key);
    if (e && this.now() - e.lastFailureAt > FAILED_ATTEMPT_MEMORY_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
}

/** One connection that has not finished its handshake; drop() ends it. */
export interface PendingEntry { readonly drop: () => void }

/** Connections still in their handshake, at most `max`; adding one when full drops the oldest. */
export class PendingSet {
  private readonly items = new Set<PendingEntry>();

  constructor(private readonly max = MAX_PENDING_CONNECTIONS) {}

  /** Connections currently pending. */
  get size(): number {
    return this.items.size;
  }

  /** Track a new pending connection; returns how many old ones were dropped to make room. */
  add(entry: PendingEntry): number {
    let dropped = 0;
    while (this.items.size >= this.max) {
      const oldest = this.items.values().next().value;
      if (!oldest) break;
      this.items.delete(oldest);
      oldest.drop();
      dropped++;
    }
    this.items.add(entry);
    return dropped;
  }

  /** The connection finished its handshake (or ended). */
  remove(entry: PendingEntry): void {
    this.items.delete(entry);
  }

  /** Drop every pending connection (listener closing). */
  dropAll(): void {
    for (const e of [...this.items]) e.drop();
    this.items.clear();
  }
}
