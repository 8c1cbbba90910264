import { CompressionTypes, type EachMessagePayload } from 'kafkajs';
import { uniqueName, useSharedBroker, waitFor } from './helpers';

const shared = useSharedBroker();

/** Consumes `count` messages of `topic` from the beginning with a fresh group. */
async function consumeAll(topic: string, count: number, readUncommitted = false): Promise<EachMessagePayload[]> {
  const consumer = shared.tb.kafka.consumer({ groupId: uniqueName('g'), maxWaitTimeInMs: 100, readUncommitted, heartbeatInterval: 500 });
  const seen: EachMessagePayload[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async (m) => void seen.push(m) });
  try {
    await waitFor(() => seen.length >= count, 20_000, `${count} messages on ${topic}`);
    // Give a duplicate the chance to show up before we assert exact counts.
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('produce and consume with kafkajs', () => {
  it.each([
    ['acks=all', -1],
    ['acks=1', 1],
  ])('delivers every record once, in order per partition (%s)', async (_name, acks) => {
    const topic = uniqueName('pc');
    await shared.admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const producer = shared.tb.kafka.producer();
    await producer.connect();
    const sent: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const messages = Array.from({ length: 50 }, (_, i) => ({ key: `k${i % 7}`, value: `v-${batch}-${i}` }));
      messages.forEach((m) => sent.push(m.value));
      await producer.send({ topic, acks, messages });
    }
    await producer.disconnect();
    const got = await consumeAll(topic, sent.length);
    expect(got.map((m) => m.message.value!.toString()).sort()).toEqual([...sent].sort());
    // Per partition, offsets strictly increase and keys stay on one partition.
    const byPartition = new Map<number, number[]>();
    const keyPartition = new Map<string, number>();
    for (const m of got) {
      byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), Number(m.message.offset)]);
      const key = m.message.key!.toString();
      expect(keyPartition.get(key) ?? m.partition).toBe(m.partition);
      keyPartition.set(key, m.partition);
    }
    for (const offsets of byPartition.values()) expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });

  it('accepts acks=0 without a response and stores the records', async () => {
    const topic = uniqueName('acks0');
    await shared.admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = shared.tb.kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: 0, messages: [{ value: 'fire' }, { value: 'forget' }] });
    await waitFor(async () => (await shared.admin.fetchTopicOffsets(topic))[0]!.high === '2', 5_000, 'acks=0 records');
    await producer.disconnect();
  });

  it('stores gzip batches as received and serves them back', async () => {
    const topic = uniqueName('gzip');
    const producer = shared.tb.kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 200 }, (_, i) => ({ key: String(i), value: 'x'.repeat(100) + i, headers: { h: `h${i}` } }));
    await producer.send({ topic, compression: CompressionTypes.GZIP, messages });
    await producer.disconnect();
    const got = await consumeAll(topic, 200);
    expect(got.map((m) => m.message.value!.toString())).toEqual(messages.map((m) => m.value));
    expect(got.map((m) => m.message.headers!.h!.toString())).toEqual(messages.map((m) => m.headers.h));
  });

  it('auto-creates a topic on first produce through Metadata', async () => {
    const topic = uniqueName('auto');
    const producer = shared.tb.kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'first' }] });
    await producer.disconnect();
    expect(await shared.admin.listTopics()).toContain(topic);
  });

  it('answers ListOffsets for earliest, latest and by timestamp', async () => {
    const topic = uniqueName('lo');
    const producer = shared.tb.kafka.producer();
    await producer.connect();
    const base = Date.now() - 60_000;
    await producer.send({ topic, messages: [0, 1, 2, 3].map((i) => ({ value: `m${i}`, timestamp: String(base + i * 1000) })) });
    await producer.disconnect();
    const [offsets] = await shared.admin.fetchTopicOffsets(topic);
    expect(offsets).toMatchObject({ partition: 0, low: '0', high: '4' });
    const [byTime] = await shared.admin.fetchTopicOffsetsByTimestamp(topic, base + 2000);
    expect(byTime!.offset).toBe('2');
  });
});

describe('admin API with kafkajs', () => {
  it('creates, describes, alters, grows, trims and deletes topics', async () => {
    const topic = uniqueName('admin');
    expect(await shared.admin.createTopics({ topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] })).toBe(true);
    await expect(shared.admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })).resolves.toBe(false);

    const described = await shared.admin.describeConfigs({ resources: [{ type: 2, name: topic }], includeSynonyms: false });
    const policy = described.resources[0]!.configEntries.find((c) => c.configName === 'cleanup.policy');
    expect(policy).toMatchObject({ configValue: 'compact', isDefault: false });

    await shared.admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topic, configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
    const after = await shared.admin.describeConfigs({ resources: [{ type: 2, name: topic }], includeSynonyms: false });
    expect(after.resources[0]!.configEntries.find((c) => c.configName === 'retention.ms')!.configValue).toBe('1000');

    await shared.admin.createPartitions({ topicPartitions: [{ topic, count: 4 }] });
    const meta = await shared.admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0]!.partitions).toHaveLength(4);

    const producer = shared.tb.kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: String(i), partition: 0 })) });
    await producer.disconnect();
    await shared.admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });
    const offsets = await shared.admin.fetchTopicOffsets(topic);
    expect(offsets.find((o) => o.partition === 0)).toMatchObject({ low: '6', high: '10' });

    await shared.admin.deleteTopics({ topics: [topic] });
    expect(await shared.admin.listTopics()).not.toContain(topic);
  });

  it('rejects bad topic requests with specific errors', async () => {
    /** kafkajs wraps per-topic errors in an aggregate: return the first one's type and message. */
    const failure = async (topic: { topic: string; replicationFactor?: number; configEntries?: { name: string; value: string }[] }) => {
      const err = (await shared.admin.createTopics({ topics: [topic] }).then(
        () => null,
        (e: unknown) => e,
      )) as { errors?: { type: string; message: string }[] } | null;
      return err?.errors?.[0];
    };
    expect(await failure({ topic: 'bad name!' })).toMatchObject({ type: 'INVALID_TOPIC_EXCEPTION' });
    expect(await failure({ topic: uniqueName('cfg'), configEntries: [{ name: 'no.such.config', value: '1' }] })).toMatchObject({ type: 'INVALID_CONFIG' });
    expect(await failure({ topic: uniqueName('rf'), replicationFactor: 3 })).toMatchObject({ type: 'INVALID_REPLICATION_FACTOR' });
  });
});
