/**
 * The token bucket (token-bucket.ts) in this process: one replica's own limit. No timer per key;
 * memory stays bounded with many keys because
 * - a bucket that has refilled to full is the same as no bucket (a new one starts full), so it
 *   can be forgotten without changing any decision. Buckets are kept in least-recently-used
 *   order, and each take looks at a few of the oldest and drops those that are full by now;
 * - beyond `maxKeys` live buckets the least recently used is dropped even if not full (it then
 *   starts full again: a key idle the longest gets a fresh burst, the only decision this changes).
 */
import type { RateDecision, RateLimit, RateLimiter } from './rate-limiter';
import { takeTokens, type BucketState } from './token-bucket';

export interface MemoryRateLimiterOptions {
  /** Live buckets kept at most (default 100,000: a few MB). */
  maxKeys?: number;
  /** The clock, ms (default `performance.now()`: monotonic). */
  now?: () => number;
}

export interface MemoryRateLimiter extends RateLimiter {
  /** Buckets held now (for tests and a gauge). */
  size(): number;
}

interface Bucket extends BucketState {
  readonly fullAtMs: number;
}

/** Oldest buckets examined per take: enough to keep up, since every take adds at most one. */
const SWEEP_PER_TAKE = 4;

/** A token-bucket limiter in process memory. */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): MemoryRateLimiter {
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? (() => performance.now());
  // A Map iterates in insertion order; re-inserting on every update keeps it least-recently-used first.
  const buckets = new Map<string, Bucket>();

  function sweep(at: number): void {
    let examined = 0;
    for (const [key, bucket] of buckets) {
      if (examined++ >= SWEEP_PER_TAKE) break;
      if (bucket.fullAtMs > at && buckets.size <= maxKeys) break;
      buckets.delete(key);
    }
  }

  return {
    async take(key: string, cost: number, limit: RateLimit): Promise<RateDecision> {
      const at = now();
      const result = takeTokens(buckets.get(key), cost, limit, at);
      if (result.state) {
        buckets.delete(key);
        buckets.set(key, { ...result.state, fullAtMs: result.fullAtMs });
      }
      sweep(at);
      return result.decision;
    },
    size: () => buckets.size,
    async close() {
      buckets.clear();
    },
  };
}
