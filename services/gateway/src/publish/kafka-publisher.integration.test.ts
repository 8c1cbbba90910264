/**
 * The Kafka publisher against the real embedded broker and registry over TCP: what lands on the
 * topic (key, partition, Avro value), coalescing of concurrent publishes, and a registry that
 * cannot be reached at startup.
 */
import kafkajs from 'kafkajs';
import { exampleRecords, type RawEvent } from '@stratum/schemas';
import { silentLogger } from '@stratum/observability';
import { closedPort, collectRecords, uniqueName, uniqueTopics, useTestStack } from '@stratum/testing';
import { createKafkaPublisher, type KafkaPublisher, type KafkaPublisherOptions } from './kafka-publisher';
import { isPublishUnavailable } from './publish-errors';
import type { SendSample } from './publish-observer';

const { Partitioners } = kafkajs;

/**
 * Where kafkajs's own DefaultPartitioner (Kafka's Java rule, computed its own way) puts `key`: the
 * reference the publisher's faster partitioner must match (murmur2-partitioner.test.ts pins both
 * to Kafka's test vectors).
 */
function referencePartition(key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));
  return Partitioners.DefaultPartitioner()({ topic: 'any', partitionMetadata, message: { key, value: null } });
}

const stack = useTestStack();
const publishers: KafkaPublisher[] = [];
afterEach(async () => {
  await Promise.all(publishers.splice(0).map((p) => p.close()));
});

function publisherFor(topic: string, extra: Partial<KafkaPublisherOptions> = {}): KafkaPublisher {
  const publisher = createKafkaPublisher({
    kafka: { brokers: stack.brokers, clientId: uniqueName('gateway') },
    registryUrl: stack.registryUrl,
    topic,
    subject: 'events.raw-value', // the catalogue's subject; a private topic adds none to the registry
    logger: silentLogger(),
    ...extra,
  });
  publishers.push(publisher);
  return publisher;
}

const eventFor = (tenantId: string, i: number): RawEvent => ({
  ...exampleRecords['events.raw'],
  tenantId,
  messageId: `m-${i}-${uniqueName('id')}`,
  event: `Event ${i}`,
  receivedAt: 1_780_000_000_000 + i,
});

it('writes each event as Avro under the key tenantId:messageId, on the partition Kafka’s default partitioner gives that key', async () => {
  const topics = await uniqueTopics(stack, ['events.raw']);
  const topic = topics.name('events.raw');
  const partitions = topics.specs[0]!.partitions;
  const publisher = publisherFor(topic);
  await publisher.whenReady();
  expect(publisher.isReady()).toBe(true);

  const tenants = [uniqueName('tenant'), uniqueName('tenant'), uniqueName('tenant')];
  const sent = Array.from({ length: 30 }, (_, i) => eventFor(tenants[i % 3]!, i));
  await publisher.publish(sent);

  const got = await collectRecords<'events.raw'>(stack, { topic, schema: 'events.raw', count: sent.length });
  expect(got).toHaveLength(sent.length);
  const byId = new Map(sent.map((e) => [e.messageId, e]));
  for (const record of got) {
    const event = byId.get(record.value!.messageId)!;
    expect(record.value).toEqual(event);
    expect(record.key).toBe(`${event.tenantId}:${event.messageId}`);
    expect(record.partition).toBe(referencePartition(record.key!, partitions));
  }
  // The keys spread: a constant partition would pass the check above only by luck.
  expect(new Set(got.map((r) => r.partition)).size).toBeGreaterThan(3);
});

it('coalesces 200 concurrent publishes into a few produce requests, and resolves each only after the request carrying it was acknowledged', async () => {
  const topics = await uniqueTopics(stack, ['events.raw']);
  const topic = topics.name('events.raw');
  const sends: SendSample[] = [];
  let ackedRecords = 0;
  const publisher = publisherFor(topic, {
    observer: {
      onSend: (s) => {
        sends.push(s);
        if (s.outcome === 'acked') ackedRecords += s.records;
      },
    },
  });
  await publisher.whenReady();

  const tenantId = uniqueName('tenant');
  const events = Array.from({ length: 200 }, (_, i) => eventFor(tenantId, i));
  // Publishes are FIFO: when publish i resolves, the acknowledged records must cover the first i + 1.
  const ackedWhenResolved: number[] = [];
  await Promise.all(events.map((e, i) => publisher.publish([e]).then(() => (ackedWhenResolved[i] = ackedRecords))));

  ackedWhenResolved.forEach((acked, i) => expect(acked).toBeGreaterThanOrEqual(i + 1));
  expect(sends.every((s) => s.outcome === 'acked')).toBe(true);
  expect(sends.reduce((n, s) => n + s.publishes, 0)).toBe(200);
  expect(sends.length).toBeLessThanOrEqual(10);
  const got = await collectRecords<'events.raw'>(stack, { topic, schema: 'events.raw', count: 200 });
  expect(new Set(got.map((r) => r.value!.messageId))).toEqual(new Set(events.map((e) => e.messageId)));
});

it('splits a publish larger than one produce request over several, and resolves it once all are acknowledged', async () => {
  const topics = await uniqueTopics(stack, ['events.raw']);
  const topic = topics.name('events.raw');
  const sends: SendSample[] = [];
  const publisher = publisherFor(topic, { maxBatchRecords: 40, observer: { onSend: (s) => sends.push(s) } });
  await publisher.whenReady();
  const tenantId = uniqueName('tenant');
  await publisher.publish(Array.from({ length: 100 }, (_, i) => eventFor(tenantId, i)));
  expect(sends.map((s) => s.records)).toEqual([40, 40, 20]);
  await collectRecords(stack, { topic, schema: 'events.raw', count: 100 });
});

it('refuses publishes with registry_unavailable while the registry cannot be reached, and is not ready', async () => {
  const topics = await uniqueTopics(stack, ['events.raw']);
  const publisher = publisherFor(topics.name('events.raw'), { registryUrl: `http://127.0.0.1:${await closedPort()}`, retryAfterSeconds: 3 });
  const err: unknown = await publisher.publish([eventFor(uniqueName('tenant'), 1)]).catch((e: unknown) => e);
  expect(isPublishUnavailable(err)).toBe(true);
  expect(err).toMatchObject({ code: 'registry_unavailable', retriable: true, retryAfterSeconds: 3 });
  expect(publisher.isReady()).toBe(false);
});

it('refuses publishes after close() and rejects an event the schema does not accept without a 503', async () => {
  const topics = await uniqueTopics(stack, ['events.raw']);
  const publisher = publisherFor(topics.name('events.raw'));
  await publisher.whenReady();
  const bad = { ...eventFor(uniqueName('tenant'), 1), channel: 'carrier-pigeon' } as unknown as RawEvent;
  const invalid: unknown = await publisher.publish([bad]).catch((e: unknown) => e);
  expect(isPublishUnavailable(invalid)).toBe(false);
  expect(invalid).toMatchObject({ code: 'invalid_value' });

  await publisher.close();
  expect(publisher.isReady()).toBe(false);
  const closed: unknown = await publisher.publish([eventFor(uniqueName('tenant'), 2)]).catch((e: unknown) => e);
  expect(closed).toMatchObject({ code: 'publisher_closed' });
});
