// Failed sign-ins counted per account (the normalised e-mail typed, whether or not such an account
// exists, so the answer never tells which exist). After `limit` failures within the window, the
// account is held for a time that doubles with each further failure, up to a cap: an attacker can
// slow a member of staff down but never lock them out for good, and an admin can clear it.
// In memory for one instance; in Redis when REDIS_URL is set, so every instance counts together.
import type { Redis } from "ioredis";

export interface ThrottlePolicy {
  /** Failures allowed within the window before the account is held. */
  limit: number;
  windowSeconds: number;
  /** The first hold; each failure after it doubles the hold, up to `maxHoldSeconds`. */
  firstHoldSeconds: number;
  maxHoldSeconds: number;
}

export const defaultThrottlePolicy: ThrottlePolicy = { limit: 10, windowSeconds: 15 * 60, firstHoldSeconds: 30, maxHoldSeconds: 15 * 60 };

export interface AccountThrottle {
  /** Seconds the account is held for, or 0 when a sign-in may be tried. */
  heldFor(key: string): Promise<number>;
  /** Counts a failure; holds the account once the limit is reached. */
  failed(key: string): Promise<void>;
  /** A successful sign-in, or an admin clearing the hold. */
  clear(key: string): Promise<void>;
  close(): Promise<void>;
}

/** How long the n-th failure in the window holds the account (0 below the limit). */
export function holdSeconds(failures: number, p: ThrottlePolicy): number {
  if (failures < p.limit) return 0;
  return Math.min(p.maxHoldSeconds, p.firstHoldSeconds * 2 ** Math.min(failures - p.limit, 30));
}

export function memoryThrottle(p: ThrottlePolicy = defaultThrottlePolicy, now: () => number = Date.now): AccountThrottle {
  const accounts = new Map<string, { failures: number; windowEnds: number; heldUntil: number }>();
  return {
    async heldFor(key) {
      const a = accounts.get(key);
      return a ? Math.max(0, Math.ceil((a.heldUntil - now()) / 1000)) : 0;
    },
    async failed(key) {
      const t = now();
      const a = accounts.get(key);
      const failures = a && a.windowEnds > t ? a.failures + 1 : 1;
      // Each failure keeps the window open, so a patient attacker keeps the holds growing.
      accounts.set(key, { failures, windowEnds: t + p.windowSeconds * 1000, heldUntil: t + holdSeconds(failures, p) * 1000 });
      if (accounts.size > 100_000) for (const [k, v] of accounts) if (v.windowEnds <= t) accounts.delete(k);
    },
    async clear(key) {
      accounts.delete(key);
    },
    async close() {},
  };
}

/**
 * Counts in Redis through the caller's client, which should queue nothing while Redis is away,
 * so each call then fails at once (the caller decides). The client stays the caller's to close.
 */
export function redisThrottle(redis: Redis, p: ThrottlePolicy = defaultThrottlePolicy): AccountThrottle {
  const failuresKey = (key: string) => `gatekeeper:signin:failures:${key}`;
  const heldKey = (key: string) => `gatekeeper:signin:held:${key}`;
  return {
    async heldFor(key) {
      return Math.max(0, await redis.ttl(heldKey(key)));
    },
    async failed(key) {
      const [[, failures]] = (await redis.multi().incr(failuresKey(key)).expire(failuresKey(key), p.windowSeconds).exec()) as [
        [null, number],
        [null, number],
      ];
      const hold = holdSeconds(failures, p);
      if (hold > 0) await redis.set(heldKey(key), "1", "EX", hold);
    },
    async clear(key) {
      await redis.del(failuresKey(key), heldKey(key));
    },
    async close() {},
  };
}
