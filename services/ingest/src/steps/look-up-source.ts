/**
 * Finds each event's source settings: one directory look-up per distinct (tenantId, sourceId) in
 * the chunk, in parallel. An unknown or disabled source quarantines the event. A directory that
 * throws (PostgreSQL down: tenancy_unavailable, retriable) fails the whole chunk, and the runtime
 * pauses the partition and retries it: an outage never quarantines good events.
 */
import type { RawEvent } from '@stratum/schemas';
import { batchStep, ok, quarantine, type Step } from '@stratum/stream';
import type { SourceSettings, TenancyDirectory } from '@stratum/tenancy';

export interface SourcedEvent {
  readonly raw: RawEvent;
  readonly source: SourceSettings;
}

export function lookUpSourceStep(directory: TenancyDirectory): Step<RawEvent, SourcedEvent> {
  return batchStep('look-up-source', async (events: readonly RawEvent[]) => {
    const keyOf = (e: RawEvent) => `${e.tenantId}\u0000${e.sourceId}`;
    const distinct = new Map(events.map((e) => [keyOf(e), e]));
    const found = new Map(await Promise.all([...distinct].map(async ([key, e]) => [key, await directory.source(e.tenantId, e.sourceId)] as const)));
    return events.map((raw) => {
      const source = found.get(keyOf(raw));
      if (!source) return quarantine('unknown_source', `no source ${JSON.stringify(raw.sourceId)} in tenant ${JSON.stringify(raw.tenantId)}`, 'sourceId');
      if (!source.enabled) return quarantine('source_disabled', `source ${JSON.stringify(raw.sourceId)} (${source.sourceName}) is disabled`, 'sourceId');
      return ok({ raw, source });
    });
  });
}
