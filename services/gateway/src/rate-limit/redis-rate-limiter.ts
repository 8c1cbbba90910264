/**
 * The token bucket shared through Redis: every gateway replica draws from the same bucket per
 * key. One Lua script per take (take-tokens.lua.ts), run by EVALSHA and, when Redis does not
 * have it cached (a restart, SCRIPT FLUSH, a failover), by EVAL, which caches it again. Buckets
 * are hashes that expire when they would be full again, so idle keys cost Redis nothing.
 *
 * Redis down → fail open: the take is allowed and `onError` is told. Why: the limit protects the
 * pipeline from one noisy write key, while refusing everything because the limiter's store is
 * down would turn a Redis outage into an ingestion outage (SDKs drop events after their retries).
 * Kafka and the per-request size limits still bound what one request can do. To keep a dead or
 * hanging Redis from adding latency to every request:
 * - commands never wait for a connection (no offline queue) and time out after `commandTimeoutMs`;
 * - while the connection is not ready, takes do not call Redis at all;
 * - after a failure the circuit opens for `openMs`: takes are allowed without calling Redis; then
 *   one take probes, and its success closes the circuit.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RateDecision, RateLimit, RateLimiter, RateRefusalReason } from './rate-limiter';
import { TAKE_TOKENS_LUA } from './take-tokens.lua';
import { ALLOWED } from './token-bucket';

export interface RedisRateLimiterOptions {
  /** Prefix of every bucket key (default `stratum:rate:`). */
  keyPrefix?: string;
  /** Told when Redis fails (a connection error, a command that failed or timed out), at most once per `openMs`. */
  onError?: (err: unknown) => void;
  /** Told of each take allowed without a check because Redis is unavailable (for a counter). */
  onFailOpen?: () => void;
  /** How long one take may wait for Redis (default 100 ms). */
  commandTimeoutMs?: number;
  /** How long takes skip Redis after a failure (default 2 s). */
  openMs?: number;
}

export interface RedisRateLimiter extends RateLimiter {
  /** Resolves once connected (for start-up logs and tests); takes before that fail open. */
  connected(): Promise<void>;
}

const SHA = createHash('sha1').update(TAKE_TOKENS_LUA).digest('hex');
const REASONS: Record<number, RateRefusalReason> = { 1: 'rate_limited', 2: 'exceeds_burst' };

/** Redis error replies start with their code (`NOSCRIPT No matching script...`): the protocol's own classification. */
const isNoScript = (err: unknown): boolean => err instanceof Error && err.message.startsWith('NOSCRIPT');

/** A token-bucket limiter on the Redis at `url` (redis://[:password@]host:port[/db]). */
export function createRedisRateLimiter(url: string, options: RedisRateLimiterOptions = {}): RedisRateLimiter {
  const prefix = options.keyPrefix ?? 'stratum:rate:';
  const openMs = options.openMs ?? 2_000;
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 100,
    connectTimeout: 1_000,
    // close() on a dead or silent Redis: destroy the socket soon rather than hold the process 2 s.
    disconnectTimeout: 200,
    // Keep reconnecting in the background, at most every 2 s.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
  let openUntil = 0;
  let probing = false;
  let reportedAt = -Infinity;

  /** At most one report per `openMs`: a dead Redis is one problem, not one per request or reconnect attempt. */
  function report(err: unknown): void {
    const now = Date.now();
    if (now - reportedAt < openMs) return;
    reportedAt = now;
    options.onError?.(err);
  }
  // Connection errors (refused, reset, timed out) arrive here, also while no take is made.
  redis.on('error', report);

  function failOpen(): RateDecision {
    options.onFailOpen?.();
    return ALLOWED;
  }

  async function run(key: string, args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(SHA, 1, key, ...args);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return redis.eval(TAKE_TOKENS_LUA, 1, key, ...args);
    }
  }

  return {
    async take(key: string, cost: number, limit: RateLimit): Promise<RateDecision> {
      if (limit.ratePerSecond <= 0 || cost <= 0) return ALLOWED;
      if (redis.status !== 'ready') return failOpen();
      const now = Date.now();
      if (now < openUntil) return failOpen();
      const probe = openUntil > 0;
      if (probe) {
        if (probing) return failOpen();
        probing = true;
      }
      try {
        const reply = (await run(prefix + key, [limit.ratePerSecond, limit.burst, cost])) as [number, number, number];
        openUntil = 0;
        if (reply[0] === 1) return ALLOWED;
        return { allowed: false, retryAfterSeconds: reply[1] / 1000, reason: REASONS[reply[2]] ?? 'rate_limited' };
      } catch (err) {
        openUntil = Date.now() + openMs;
        report(err);
        return failOpen();
      } finally {
        if (probe) probing = false;
      }
    },
    connected() {
      if (redis.status === 'ready') return Promise.resolve();
      return new Promise((resolve) => redis.once('ready', () => resolve()));
    },
    async close() {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
