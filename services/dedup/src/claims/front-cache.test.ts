import { FrontCache } from './front-cache';
import type { Claim } from './claim';

const claim = (offset: string, firstSeenMs: number): Claim => ({ owner: { topic: 't', partition: 0, offset }, firstSeenMs, created: false });

it('answers with a live claim and forgets one near or past its window', () => {
  let now = 1_000_000;
  const cache = new FrontCache(10, () => now);
  cache.set('k', claim('1', now));
  expect(cache.get('k', 3600)?.owner.offset).toBe('1');
  now += 3600_000 - 60_000; // within the minute of margin before expiry: ask the database instead
  expect(cache.get('k', 3600)).toBeUndefined();
  expect(cache.size).toBe(0);
});

it('a window of a minute or less is never answered from memory', () => {
  const cache = new FrontCache(10, () => 5_000);
  cache.set('k', claim('1', 5_000));
  expect(cache.get('k', 60)).toBeUndefined();
});

it('evicts the least recently used entry when full', () => {
  const cache = new FrontCache(2, () => 0);
  cache.set('a', claim('1', 0));
  cache.set('b', claim('2', 0));
  expect(cache.get('a', 3600)).toBeDefined(); // a is now the most recent
  cache.set('c', claim('3', 0));
  expect(cache.get('b', 3600)).toBeUndefined();
  expect(cache.get('a', 3600)).toBeDefined();
  expect(cache.get('c', 3600)).toBeDefined();
  expect(cache.size).toBe(2);
});

it('holds nothing with capacity 0 (the cache switched off)', () => {
  const cache = new FrontCache(0, () => 0);
  cache.set('a', claim('1', 0));
  expect(cache.size).toBe(0);
});
