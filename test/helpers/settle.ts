// Waits a bounded time for a promise and says how it ended, so a test can assert "it settled" without hanging.

/** How a promise ended within the wait: fulfilled, rejected, or still pending when the wait ran out. */
export type Settled<T> =
  | { readonly state: 'fulfilled'; readonly value: T }
  | { readonly state: 'rejected'; readonly reason: unknown }
  | { readonly state: 'pending' };

/** Resolves with how p ended, or { state: 'pending' } if it had not settled after ms (a hang guard, not a timing check). */
export function settleWithin<T>(p: Promise<T>, ms = 5_000): Promise<Settled<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ state: 'pending' }), ms);
    p.then(
      (value) => { clearTimeout(timer); resolve({ state: 'fulfilled', value }); },
      (reason: unknown) => { clearTimeout(timer); resolve({ state: 'rejected', reason }); },
    );
  });
}
