/** The decision rules over a map-backed claim store (the PostgreSQL one is tested in test/claim-store). */
import { exampleRecords, type ValidEvent } from '@stratum/schemas';
import type { RecordContext } from '@stratum/stream';
import { claimKey, type Claim, type ClaimRequest } from '../claims/claim';
import type { ClaimStore } from '../claims/claim-store';
import { FrontCache } from '../claims/front-cache';
import { NO_DEDUP_METRICS } from '../metrics';
import { claimFirstCopiesStep } from './claim-first-copies';

function mapStore(): ClaimStore & { calls: ClaimRequest[][] } {
  const claims = new Map<string, Claim>();
  const calls: ClaimRequest[][] = [];
  return {
    calls,
    async claim(requests) {
      calls.push([...requests]);
      return requests.map((r) => {
        const key = claimKey(r.tenantId, r.messageId);
        const existing = claims.get(key);
        if (existing) return { ...existing, created: false };
        const made = { owner: r.position, firstSeenMs: 0, created: true };
        claims.set(key, made);
        return made;
      });
    },
  };
}

const ctx = (partition: number, offset: number): RecordContext => ({ topic: 'events.valid', partition, offset: String(offset), timestamp: 0, key: null, headers: {} });
const windowed = (messageId: string) => ({ event: { ...exampleRecords['events.valid'], messageId } as ValidEvent, windowSeconds: 3600 });

it('passes first copies, drops copies in the chunk and in the window, and passes a replayed first copy again', async () => {
  const store = mapStore();
  const replays: number[] = [];
  const step = claimFirstCopiesStep({ store, cache: new FrontCache(100, () => 0), metrics: { ...NO_DEDUP_METRICS, countReplayedFirstCopies: (n) => void replays.push(n) }, now: () => 42 });
  const first = await step.run([windowed('a'), windowed('b'), windowed('a')], [ctx(0, 1), ctx(0, 2), ctx(0, 3)]);
  expect(first.map((r) => (r.kind === 'drop' ? r.reason : r.kind))).toEqual(['ok', 'ok', 'duplicate_in_chunk']);
  expect(first[0]).toMatchObject({ kind: 'ok', value: { messageId: 'a', dedupedAt: 42 } });
  expect(store.calls[0]!.map((r) => r.messageId)).toEqual(['a', 'b']); // one round trip, no in-chunk copy in it

  // The same chunk again (a crash before its commit) and a copy from another partition: answered from the cache.
  const again = await step.run([windowed('a'), windowed('b'), windowed('b')], [ctx(0, 1), ctx(0, 2), ctx(4, 9)]);
  expect(again.map((r) => (r.kind === 'drop' ? r.reason : r.kind))).toEqual(['ok', 'ok', 'duplicate_in_chunk']);
  expect(store.calls).toHaveLength(1);
  expect(replays).toEqual([2]);

  // A new instance (empty cache) asks the store, which knows the owners.
  const fresh = claimFirstCopiesStep({ store, cache: new FrontCache(100, () => 0), metrics: NO_DEDUP_METRICS, now: () => 43 });
  const later = await fresh.run([windowed('b'), windowed('c')], [ctx(5, 1), ctx(5, 2)]);
  expect(later.map((r) => (r.kind === 'drop' ? r.reason : r.kind))).toEqual(['duplicate_in_window', 'ok']);
});
