/**
 * Wrong-token attempts at `POST /api/session` are rate-limited per client address: after FAILURES_ALLOWED
 * failures within WINDOW_MS the address gets 429 with Retry-After until the window passes, so the 256-bit token
 * cannot be guessed through the sign-in form any faster than through /api. A success clears the address.
 * The table is bounded (the oldest address is forgotten first).
 */
export const FAILURES_ALLOWED = 5;
export const WINDOW_MS = 60_000;
const MAX_ADDRESSES = 10_000;

export interface SignInLimit {
  /** seconds to wait when the address is over the limit, else 0 */
  blockedFor(address: string, now: number): number;
  failed(address: string, now: number): void;
  succeeded(address: string): void;
}

export function createSignInLimit(allowed = FAILURES_ALLOWED, windowMs = WINDOW_MS): SignInLimit {
  const failures = new Map<string, { since: number; count: number }>();
  const current = (address: string, now: number) => {
    const f = failures.get(address);
    if (f && now - f.since >= windowMs) {
      failures.delete(address);
      return undefined;
    }
    return f;
  };
  return {
    blockedFor(address, now) {
      const f = current(address, now);
      return f && f.count >= allowed ? Math.max(1, Math.ceil((f.since + windowMs - now) / 1000)) : 0;
    },
    failed(address, now) {
      const f = current(address, now);
      if (f) f.count++;
      else {
        if (failures.size >= MAX_ADDRESSES) failures.delete(failures.keys().next().value!);
        failures.set(address, { since: now, count: 1 });
      }
    },
    succeeded: (address) => void failures.delete(address),
  };
}
