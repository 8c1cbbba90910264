/** `events.raw` records for the harness's own tests: the catalogue's example with a fresh id each. */
import { exampleRecords, type RawEvent } from '@stratum/schemas';
import { joinKey } from '@stratum/topics';
import type { RecordToProduce } from '../src';
import { uniqueName } from '../src';

/** `n` distinct raw events of one unique tenant, keyed tenantId:messageId as the gateway keys them. */
export function rawEvents(n: number): RecordToProduce<RawEvent>[] {
  const tenantId = uniqueName('tenant');
  return Array.from({ length: n }, (_, i) => {
    const value: RawEvent = { ...exampleRecords['events.raw'], tenantId, messageId: `${uniqueName('msg')}-${i}` };
    return { key: joinKey(value.tenantId, value.messageId), value };
  });
}

/** Records sorted by key, to compare what came back (partitions interleave) with what was sent. */
export function byKey<T extends { key: string | null }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
}
