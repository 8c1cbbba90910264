/**
 * The Redis limiter against the real Redis at REDIS_URL (default redis://127.0.0.1:6379), each
 * test under its own key prefix: a bucket shared by two replicas, expiry of full buckets, the
 * same decisions as the in-memory bucket, the EVAL fallback, and failing open (fast) when Redis
 * is unreachable or hangs.
 */
import { createServer, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { closedPort, uniqueName, waitFor } from '@stratum/testing';
import { createRedisRateLimiter, type RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter';
import { takeTokens, type BucketState } from './token-bucket';
import { createHash } from 'node:crypto';
import { TAKE_TOKENS_LUA } from './take-tokens.lua';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const limiters: RedisRateLimiter[] = [];
let admin: Redis;

beforeAll(() => {
  admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
});
afterEach(async () => {
  await Promise.all(limiters.splice(0).map((l) => l.close()));
});
afterAll(async () => {
  await admin.quit();
});

async function limiter(url = REDIS_URL, options: RedisRateLimiterOptions = {}): Promise<RedisRateLimiter> {
  const l = createRedisRateLimiter(url, options);
  limiters.push(l);
  if (url === REDIS_URL) await l.connected();
  return l;
}

const prefix = () => `${uniqueName('test-rate')}:`;

it('shares one bucket between replicas (two connections)', async () => {
  const keyPrefix = prefix();
  const a = await limiter(REDIS_URL, { keyPrefix });
  const b = await limiter(REDIS_URL, { keyPrefix });
  const limit = { ratePerSecond: 1, burst: 10 };
  expect(await a.take('wk', 6, limit)).toEqual({ allowed: true });
  expect(await b.take('wk', 4, limit)).toEqual({ allowed: true });
  const refusedB = await b.take('wk', 1, limit);
  const refusedA = await a.take('wk', 2, limit);
  expect(refusedB).toMatchObject({ allowed: false, reason: 'rate_limited' });
  expect(refusedA).toMatchObject({ allowed: false, reason: 'rate_limited' });
  // About 1 s and 2 s from an empty bucket at 1 token/s (less whatever refilled meanwhile).
  expect(refusedB.allowed === false && refusedB.retryAfterSeconds).toBeGreaterThan(0.5);
  expect(refusedB.allowed === false && refusedB.retryAfterSeconds).toBeLessThanOrEqual(1);
  expect(refusedA.allowed === false && refusedA.retryAfterSeconds).toBeGreaterThan(1.5);
  expect(refusedA.allowed === false && refusedA.retryAfterSeconds).toBeLessThanOrEqual(2);
  // Another key is another bucket.
  expect(await b.take('other', 10, limit)).toEqual({ allowed: true });
});

it('lets a bucket expire when it would be full again, so idle keys cost Redis nothing', async () => {
  const keyPrefix = prefix();
  const l = await limiter(REDIS_URL, { keyPrefix });
  const limit = { ratePerSecond: 100, burst: 20 };
  expect(await l.take('wk', 15, limit)).toEqual({ allowed: true });
  const ttl = await admin.pttl(`${keyPrefix}wk`);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(150); // 15 tokens at 100/s
  await waitFor(async () => (await admin.exists(`${keyPrefix}wk`)) === 0, { timeoutMs: 2_000, what: 'the bucket to expire' });
  expect(await l.take('wk', 20, limit)).toEqual({ allowed: true });
});

it('decides as the in-memory bucket does, for any sequence of takes', async () => {
  const l = await limiter(REDIS_URL, { keyPrefix: prefix() });
  // 1 token/s and integer costs: the few ms a sequence takes refill far less than one token, so
  // every decision matches the bucket with time standing still; wait times match within that drift.
  const limit = { ratePerSecond: 1, burst: 12 };
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 20 }), async (costs) => {
      const key = `seq-${run++}`;
      let state: BucketState | undefined;
      for (const cost of costs) {
        const expected = takeTokens(state, cost, limit, 0);
        if (expected.state) state = expected.state;
        const got = await l.take(key, cost, limit);
        expect(got.allowed).toBe(expected.decision.allowed);
        if (!got.allowed && !expected.decision.allowed) {
          expect(got.reason).toBe(expected.decision.reason);
          expect(Math.abs(got.retryAfterSeconds - expected.decision.retryAfterSeconds)).toBeLessThan(0.25);
        }
      }
    }),
    { numRuns: 25 },
  );
});

it('falls back to EVAL when Redis does not have the script cached, and caches it again', async () => {
  const l = await limiter(REDIS_URL, { keyPrefix: prefix() });
  const sha = createHash('sha1').update(TAKE_TOKENS_LUA).digest('hex');
  // Harmless to other suites on this Redis: every script user here falls back the same way.
  await admin.script('FLUSH');
  expect(await admin.script('EXISTS', sha)).toEqual([0]);
  expect(await l.take('wk', 1, { ratePerSecond: 1, burst: 1 })).toEqual({ allowed: true });
  expect(await admin.script('EXISTS', sha)).toEqual([1]);
  expect(await l.take('wk', 1, { ratePerSecond: 1, burst: 1 })).toMatchObject({ allowed: false });
});

it('fails open at once when Redis cannot be reached, and reports it', async () => {
  const errors: unknown[] = [];
  let failOpen = 0;
  const l = await limiter(`redis://127.0.0.1:${await closedPort()}`, { onError: (e) => errors.push(e), onFailOpen: () => failOpen++ });
  const started = performance.now();
  for (let i = 0; i < 100; i++) expect(await l.take('wk', 5, { ratePerSecond: 1, burst: 1 })).toEqual({ allowed: true });
  expect(performance.now() - started).toBeLessThan(1_000);
  expect(failOpen).toBe(100);
  await waitFor(() => errors.length > 0, { what: 'the connection error to be reported' });
  expect(errors).toHaveLength(1);
});

describe('a Redis that accepts connections and never answers', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('fails open without waiting on it', async () => {
    const { port } = server.address() as { port: number };
    const l = await limiter(`redis://127.0.0.1:${port}`);
    await waitFor(() => sockets.size > 0, { what: 'the limiter to connect' });
    const started = performance.now();
    for (let i = 0; i < 50; i++) expect(await l.take('wk', 5, { ratePerSecond: 1, burst: 1 })).toEqual({ allowed: true });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

it('opens the circuit after a failed command: reports once, skips Redis until a probe succeeds', async () => {
  const errors: unknown[] = [];
  const keyPrefix = prefix();
  const l = await limiter(REDIS_URL, { keyPrefix, onError: (e) => errors.push(e), openMs: 300 });
  const limit = { ratePerSecond: 1, burst: 1 };
  // A key holding a string makes the script's HMGET fail: a command error while Redis is up.
  await admin.set(`${keyPrefix}broken`, 'not a hash');
  expect(await l.take('broken', 1, limit)).toEqual({ allowed: true });
  expect(errors).toHaveLength(1);
  // While open, even a healthy key is not checked.
  expect(await l.take('fine', 1, limit)).toEqual({ allowed: true });
  expect(await l.take('fine', 1, limit)).toEqual({ allowed: true });
  expect(errors).toHaveLength(1);
  await new Promise((r) => setTimeout(r, 350));
  expect(await l.take('fine', 1, limit)).toEqual({ allowed: true });
  expect(await l.take('fine', 1, limit)).toMatchObject({ allowed: false, reason: 'rate_limited' });
});
