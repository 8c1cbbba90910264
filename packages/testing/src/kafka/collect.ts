/** Typed consuming for tests: read a topic from the beginning until enough records arrived. */
import { createSerde, type SchemaName, type SchemaTypes } from '@stratum/schemas';
import { HarnessError, messageOf } from '../errors';
import { uniqueName } from '../names';
import { describeRecords, headersAsText, type CollectedRecord } from './collected';
import type { TestStack } from './stack';

interface CollectCommon<K extends SchemaName> {
  topic: string;
  /** The schema folder to decode values as (its newest version), e.g. `events.raw`. */
  schema: K;
  /** Registry subject for the reader schema (default `<schema>-value`). */
  subject?: string;
  /** Give up after this long, connecting included (default 10 s). */
  timeoutMs?: number;
  /** Start at the earliest offset (default) or only read what arrives from now on. */
  fromBeginning?: boolean;
}

/** Stop after `count` records, or once `until(recordsSoFar)` holds. */
export type CollectRecordsOptions<K extends SchemaName> = CollectCommon<K> &
  ({ count: number; until?: never } | { until: (records: readonly CollectedRecord<SchemaTypes[K]>[]) => boolean; count?: never });

type Outcome = { ok: true } | { ok: false; error: Error };

/**
 * Consumes `topic` in a fresh consumer group (no commits) and resolves with every record that
 * arrived by the time `count` was reached or `until` held, in arrival order. On timeout it
 * rejects with HarnessError(timeout) listing what did arrive; a value that does not decode
 * rejects with HarnessError(undecodable_record).
 */
export async function collectRecords<K extends SchemaName>(stack: TestStack, options: CollectRecordsOptions<K>): Promise<CollectedRecord<SchemaTypes[K]>[]> {
  const { topic, schema, timeoutMs = 10_000, fromBeginning = true } = options;
  const goal = goalOf(options);
  const serde = await createSerde(stack.registry, schema, options.subject);
  const records: CollectedRecord<SchemaTypes[K]>[] = [];
  if (goal.reached(records)) return records;
  let finish: (outcome: Outcome) => void = () => undefined;
  let settled = false;
  const finished = new Promise<Outcome>((resolve) => {
    finish = (outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
  });
  const timer = setTimeout(() => {
    const error = new HarnessError('timeout', `collectRecords: timed out after ${timeoutMs} ms on ${topic} waiting for ${goal.describe} (${schema}); ${describeRecords(records)}`);
    finish({ ok: false, error });
  }, timeoutMs);
  const consumer = stack.kafka.consumer({ groupId: uniqueName('collect'), maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  consumer.on(consumer.events.CRASH, ({ payload }) => finish({ ok: false, error: new HarnessError('kafka_failed', `collectRecords: the consumer of ${topic} crashed: ${messageOf(payload.error)}`, { cause: payload.error }) }));
  try {
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning });
    } catch (err) {
      throw new HarnessError('kafka_failed', `collectRecords: cannot consume ${topic} (does it exist?): ${messageOf(err)}`, { cause: err });
    }
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (settled) return;
        let value: SchemaTypes[K] | null;
        try {
          value = message.value === null ? null : await serde.decode(message.value);
        } catch (err) {
          finish({ ok: false, error: new HarnessError('undecodable_record', `collectRecords: ${topic} partition ${partition} offset ${message.offset} does not decode as ${schema}: ${messageOf(err)}`, { cause: err }) });
          return;
        }
        records.push({ key: message.key?.toString() ?? null, value, partition, offset: message.offset, headers: headersAsText(message.headers), timestamp: message.timestamp });
        try {
          if (goal.reached(records)) finish({ ok: true });
        } catch (err) {
          finish({ ok: false, error: err instanceof Error ? err : new Error(String(err)) });
        }
      },
    });
    const outcome = await finished;
    if (!outcome.ok) throw outcome.error;
    return records;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

function goalOf<K extends SchemaName>(options: CollectRecordsOptions<K>): { reached(records: readonly CollectedRecord<SchemaTypes[K]>[]): boolean; describe: string } {
  if (options.count !== undefined) {
    const { count } = options;
    if (!Number.isInteger(count) || count < 0) throw new HarnessError('misuse', `collectRecords: count must be a whole number ≥ 0, got ${count}`);
    return { reached: (records) => records.length >= count, describe: `${count} record${count === 1 ? '' : 's'}` };
  }
  if (typeof options.until !== 'function') throw new HarnessError('misuse', 'collectRecords: give either count or until');
  return { reached: options.until, describe: 'until() to hold' };
}
