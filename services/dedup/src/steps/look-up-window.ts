/**
 * Finds each event's dedup window: its source's, else its tenant's (the directory resolves that),
 * else the service default. One directory look-up per distinct (tenantId, sourceId) in the chunk,
 * cached by the directory. A source deleted since ingest accepted the event still gets the
 * default: dedup never refuses a valid event. A directory that throws (PostgreSQL down) fails the
 * chunk, and the runtime pauses the partition and retries it.
 */
import type { ValidEvent } from '@stratum/schemas';
import { batchStep, ok, type Step } from '@stratum/stream';
import type { TenancyDirectory } from '@stratum/tenancy';

export interface WindowedEvent {
  readonly event: ValidEvent;
  readonly windowSeconds: number;
}

export function lookUpWindowStep(directory: TenancyDirectory, defaultWindowSeconds: number): Step<ValidEvent, WindowedEvent> {
  return batchStep('look-up-window', async (events: readonly ValidEvent[]) => {
    const keyOf = (e: ValidEvent) => `${e.tenantId}\u0000${e.sourceId}`;
    const distinct = new Map(events.map((e) => [keyOf(e), e]));
    const windows = new Map(
      await Promise.all(
        [...distinct].map(async ([key, e]) => [key, (await directory.source(e.tenantId, e.sourceId))?.dedupWindowSeconds ?? defaultWindowSeconds] as const),
      ),
    );
    return events.map((event) => ok({ event, windowSeconds: windows.get(keyOf(event))! }));
  });
}
