/** Typed producing for tests: values encoded with the topic's Avro schema in the Confluent wire format. */
import { Partitioners, type IHeaders, type Message, type RecordMetadata } from 'kafkajs';
import { createSerde, type SchemaName, type SchemaTypes } from '@stratum/schemas';
import { HarnessError, messageOf } from '../errors';
import type { TestStack } from './stack';

/** One record to produce: a UTF-8 key (or null), a typed value (or null, a tombstone). */
export interface RecordToProduce<V> {
  key: string | null;
  value: V | null;
  headers?: Readonly<Record<string, string>>;
  /** Leave out to let the default partitioner (murmur2 of the key, as services use) choose. */
  partition?: number;
  /** Epoch ms; leave out for the producer's clock. */
  timestamp?: number;
}

/** What produceRecords sends: typed records of one schema to one topic. */
export interface ProduceRecordsOptions<K extends SchemaName> {
  topic: string;
  /** The schema folder whose newest version encodes the values, e.g. `events.raw`. */
  schema: K;
  /** Registry subject (default `<schema>-value`, the subject services write under, as `createSerde` defaults). */
  subject?: string;
  records: readonly RecordToProduce<SchemaTypes[K]>[];
}

/**
 * Encodes `records` with `createSerde` and sends them in one batch with acks=all; resolves with
 * kafkajs's per-partition metadata once the broker has them. The topic must exist (no auto-create:
 * a typo fails here instead of timing out later).
 */
export async function produceRecords<K extends SchemaName>(stack: TestStack, options: ProduceRecordsOptions<K>): Promise<RecordMetadata[]> {
  const serde = await createSerde(stack.registry, options.schema, options.subject);
  const messages = options.records.map((r): Message => {
    const message: Message = { key: r.key, value: r.value === null ? null : serde.encode(r.value) };
    if (r.headers !== undefined) message.headers = { ...r.headers } satisfies IHeaders;
    if (r.partition !== undefined) message.partition = r.partition;
    if (r.timestamp !== undefined) message.timestamp = String(r.timestamp);
    return message;
  });
  const producer = stack.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    return await producer.send({ topic: options.topic, acks: -1, messages });
  } catch (err) {
    throw new HarnessError('kafka_failed', `produceRecords: sending ${messages.length} records to ${options.topic} failed (does the topic exist? create it with uniqueTopics): ${messageOf(err)}`, { cause: err });
  } finally {
    await producer.disconnect();
  }
}
