/**
 * The token-bucket rule both limiters apply (the Redis Lua script is the same arithmetic):
 *
 * - A bucket holds up to `burst` tokens and gains `ratePerSecond` per second, computed lazily from
 *   the time of its last update (no timer per key). A bucket never seen is full.
 * - A take of `cost` tokens passes when the bucket holds at least `cost`, and removes them.
 *   So over any window of t seconds at most `burst + ratePerSecond × t` tokens pass.
 * - A refused take changes nothing. Its `retryAfterSeconds` is when the bucket will hold `cost`
 *   if nobody else takes meanwhile (ms precision, rounded up; round up again for Retry-After).
 * - A cost above `burst` can never pass: refused with reason `exceeds_burst`, and a
 *   `retryAfterSeconds` that is only the time until the bucket is full (the caller should tell the
 *   client to split the batch, not to retry it).
 * - `ratePerSecond` 0 means unlimited. Time going backwards (another clock) refills nothing.
 */
import type { RateDecision, RateLimit } from './rate-limiter';

export interface BucketState {
  readonly tokens: number;
  /** When `tokens` was computed, ms on the limiter's clock. */
  readonly atMs: number;
}

/** Float slack so that waiting exactly `retryAfterSeconds` passes despite rounding in the refill. */
export const TOKEN_EPSILON = 1e-9;

export interface TakeResult {
  readonly decision: RateDecision;
  /** The bucket after the take; unchanged (null) when refused or unlimited. */
  readonly state: BucketState | null;
  /** When the bucket will be full again: from then on, forgetting it changes no decision. */
  readonly fullAtMs: number;
}

export const ALLOWED: RateDecision = Object.freeze({ allowed: true });

/** Tokens in the bucket at `nowMs`. */
export function refill(state: BucketState | undefined, limit: RateLimit, nowMs: number): number {
  if (state === undefined) return limit.burst;
  const elapsedMs = Math.max(0, nowMs - state.atMs);
  return Math.min(limit.burst, state.tokens + (elapsedMs * limit.ratePerSecond) / 1000);
}

/** Milliseconds until `tokens` grows to `wanted` at `ratePerSecond`, rounded up. */
function msUntil(tokens: number, wanted: number, ratePerSecond: number): number {
  return Math.max(0, Math.ceil(((wanted - tokens) * 1000) / ratePerSecond - TOKEN_EPSILON));
}

/** Applies one take of `cost` to `state` at `nowMs`. */
export function takeTokens(state: BucketState | undefined, cost: number, limit: RateLimit, nowMs: number): TakeResult {
  if (limit.ratePerSecond <= 0 || cost <= 0) return { decision: ALLOWED, state: null, fullAtMs: nowMs };
  const tokens = refill(state, limit, nowMs);
  if (cost > limit.burst) {
    const retryAfterSeconds = msUntil(tokens, limit.burst, limit.ratePerSecond) / 1000;
    return { decision: { allowed: false, retryAfterSeconds, reason: 'exceeds_burst' }, state: null, fullAtMs: nowMs + retryAfterSeconds * 1000 };
  }
  if (tokens + TOKEN_EPSILON < cost) {
    const retryAfterSeconds = msUntil(tokens, cost, limit.ratePerSecond) / 1000;
    return { decision: { allowed: false, retryAfterSeconds, reason: 'rate_limited' }, state: null, fullAtMs: nowMs + msUntil(tokens, limit.burst, limit.ratePerSecond) };
  }
  const left = Math.max(0, tokens - cost);
  return { decision: ALLOWED, state: { tokens: left, atMs: nowMs }, fullAtMs: nowMs + msUntil(left, limit.burst, limit.ratePerSecond) };
}
