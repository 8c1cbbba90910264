import { TokenBucket } from './token-bucket';

test('serves the burst at once, then one token per 1/rate seconds', () => {
  let now = 0;
  const bucket = new TokenBucket(10, 3, () => now);
  expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
  expect(bucket.reserve()).toBe(100);
  now += 50;
  expect(bucket.reserve()).toBe(50);
  now += 50;
  expect(bucket.reserve()).toBe(0);
  now += 10_000;
  expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0, 100]);
});
