import type { DestinationSummary } from '@stratum/destinations';
import { createDestinationCache } from './destination-cache';

const summary = (destinationId: string) => ({ destinationId }) as DestinationSummary;

it('reads a tenant once per TTL, shares a read in flight, re-reads on demand and forgets a failed read', async () => {
  let clock = 0;
  const reads: string[] = [];
  let fail = false;
  const cache = createDestinationCache(
    async (tenantId) => {
      reads.push(tenantId);
      if (fail) throw new Error('postgres down');
      return [summary(`${tenantId}-d${reads.length}`)];
    },
    { ttlMs: 1000, now: () => clock },
  );
  const [a, b] = await Promise.all([cache.forTenant('t1'), cache.forTenant('t1')]);
  expect(a).toBe(b);
  expect([...a.keys()]).toEqual(['t1-d1']);
  clock = 999;
  await cache.forTenant('t1');
  expect(reads).toEqual(['t1']);
  expect([...(await cache.fresh('t1')).keys()]).toEqual(['t1-d2']);
  expect([...(await cache.forTenant('t1')).keys()]).toEqual(['t1-d2']);
  clock = 2000;
  fail = true;
  await expect(cache.forTenant('t1')).rejects.toThrow('postgres down');
  fail = false;
  expect([...(await cache.forTenant('t1')).keys()]).toEqual(['t1-d4']);
});
