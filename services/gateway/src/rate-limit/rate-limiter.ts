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

/**
 * Why a take was refused. `rate_limited`: retry after `retryAfterSeconds`. `exceeds_burst`: the
 * cost is larger than the bucket, so no wait makes it pass; tell the client to send fewer events
 * per request (its `retryAfterSeconds` is only when the bucket will be full).
 */
export type RateRefusalReason = 'rate_limited' | 'exceeds_burst';

export type RateDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** When the bucket will hold `cost` if nobody else takes meanwhile: seconds, ms precision (round up for Retry-After). */
      readonly retryAfterSeconds: number;
      /** Set by every limiter here; optional so other RateLimiters (fakes) need not. */
      readonly reason?: RateRefusalReason;
    };

export interface RateLimiter {
  /** Takes `cost` tokens from `key`'s bucket, or refuses with when enough will be there again. */
  take(key: string, cost: number, limit: RateLimit): Promise<RateDecision>;
  close(): Promise<void>;
}
