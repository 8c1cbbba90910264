/** Per-write-key rate limits: the RateLimiter interface, in process memory or shared through Redis. */
export type { RateLimiter, RateLimit, RateDecision, RateRefusalReason } from './rate-limiter';
export { createMemoryRateLimiter, type MemoryRateLimiter, type MemoryRateLimiterOptions } from './memory-rate-limiter';
export { createRedisRateLimiter, type RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter';
