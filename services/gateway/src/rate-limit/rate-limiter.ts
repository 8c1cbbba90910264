/**
 * Per-write-key rate limit, a token bucket counted in events (a 50-event batch costs 50).
 * In-process by default; shared through Redis when REDIS_URL is set, so every replica draws
 * from the same bucket.
 */

export interface RateLimit {
  /** Sustained events per second; 0 = unlimited. */
  readonly ratePerSecond: number;
  /** Bucket size: events that may arrive at once. */
  readonly burst: number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes `cost` tokens from `key`'s bucket, or refuses with when enough will be there again. */
  take(key: string, cost: number, limit: RateLimit): Promise<RateDecision>;
  close(): Promise<void>;
}
