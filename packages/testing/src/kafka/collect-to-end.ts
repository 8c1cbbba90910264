/**
 * Everything a topic holds, for assertions like "each id exactly once" that must see every copy,
 * including ones committed late by a transaction. A count cannot tell when the end is reached
 * (aborted records and transaction markers take offsets but are never delivered), so this writes
 * an end marker — a tombstone with a unique key — to every partition and reads until each
 * partition's marker arrives: a read_committed consumer gets every committed record before it.
 * Call it once the writers have stopped (an open transaction holds the marker back until it ends).
 */
import { randomUUID } from 'node:crypto';
import type { SchemaName, SchemaTypes } from '@stratum/schemas';
import { collectRecords } from './collect';
import type { CollectedRecord } from './collected';
import { produceRecords } from './produce';
import type { TestStack } from './stack';

export interface CollectToEndOptions<K extends SchemaName> {
  topic: string;
  schema: K;
  /** Default 30 s. */
  timeoutMs?: number;
}

/** Every record of `topic` (without the end markers), in per-partition order. */
export async function collectToEnd<K extends SchemaName>(stack: TestStack, options: CollectToEndOptions<K>): Promise<CollectedRecord<SchemaTypes[K]>[]> {
  const { topic, schema } = options;
  const partitions = (await stack.admin.fetchTopicOffsets(topic)).map((p) => p.partition);
  const marker = `__end__:${randomUUID()}`;
  await produceRecords(stack, { topic, schema, records: partitions.map((partition) => ({ key: marker, value: null, partition })) });
  const records = await collectRecords(stack, {
    topic,
    schema,
    timeoutMs: options.timeoutMs ?? 30_000,
    until: (got) => got.filter((r) => r.key === marker).length === partitions.length,
  });
  return records.filter((r) => r.key !== marker);
}
