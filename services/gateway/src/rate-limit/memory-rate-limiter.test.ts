import fc from 'fast-check';
import { createMemoryRateLimiter } from './memory-rate-limiter';
import type { RateLimit } from './rate-limiter';
import { takeTokens, type BucketState } from './token-bucket';

const limit: RateLimit = { ratePerSecond: 100, burst: 10 };

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('createMemoryRateLimiter', () => {
  it('keeps one bucket per key', async () => {
    const c = clock();
    const limiter = createMemoryRateLimiter({ now: c.now });
    expect(await limiter.take('a', 10, limit)).toEqual({ allowed: true });
    expect(await limiter.take('a', 1, limit)).toEqual({ allowed: false, retryAfterSeconds: 0.01, reason: 'rate_limited' });
    expect(await limiter.take('b', 10, limit)).toEqual({ allowed: true });
    c.advance(10);
    expect(await limiter.take('a', 1, limit)).toEqual({ allowed: true });
  });

  it('forgets buckets that have refilled, so idle keys take no memory', async () => {
    const c = clock();
    const limiter = createMemoryRateLimiter({ now: c.now });
    for (let i = 0; i < 10_000; i++) await limiter.take(`idle-${i}`, 1, limit);
    expect(limiter.size()).toBe(10_000);
    c.advance(1_000); // every idle bucket is full again
    for (let i = 0; i < 3_000; i++) await limiter.take('busy', 0.001, limit);
    expect(limiter.size()).toBe(1);
  });

  it('holds at most maxKeys buckets', async () => {
    const limiter = createMemoryRateLimiter({ now: clock().now, maxKeys: 100 });
    for (let i = 0; i < 1_000; i++) {
      await limiter.take(`k-${i}`, 5, limit);
      expect(limiter.size()).toBeLessThanOrEqual(100);
    }
  });

  it('property: forgetting full buckets changes no decision (same answers as buckets kept forever)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), dtMs: fc.integer({ min: 0, max: 150 }), cost: fc.integer({ min: 1, max: 12 }) }), { maxLength: 200 }),
        async (ops) => {
          const c = clock();
          const limiter = createMemoryRateLimiter({ now: c.now });
          const kept = new Map<number, BucketState>();
          for (const op of ops) {
            c.advance(op.dtMs);
            const expected = takeTokens(kept.get(op.key), op.cost, limit, c.now());
            if (expected.state) kept.set(op.key, expected.state);
            expect(await limiter.take(`k${op.key}`, op.cost, limit)).toEqual(expected.decision);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
