/**
 * The relay's sender: one idempotent producer (acks from all replicas, one request in flight, so a
 * retried batch cannot land twice or out of order) and a registered serde per outbox topic.
 */
import type { Logger } from '@stratum/observability';
import type { OutboxTopic } from '@stratum/identity';
import { confluentRegistryClient, createSerde, type AvroSerde } from '@stratum/schemas';
import { createKafka, type KafkaConnection } from '@stratum/stream';
import kafkajs from 'kafkajs';
import type { OutboxRecord } from './relay';

const { Partitioners } = kafkajs;

export interface OutboxSender {
  send(records: readonly OutboxRecord[]): Promise<void>;
  close(): Promise<void>;
}

export async function kafkaOutboxSender(connection: KafkaConnection, registryUrl: string, topics: Readonly<Record<OutboxTopic, string>>, logger: Logger): Promise<OutboxSender> {
  const registry = confluentRegistryClient(registryUrl);
  const serdes = new Map<OutboxTopic, AvroSerde<unknown>>();
  for (const schema of Object.keys(topics) as OutboxTopic[]) serdes.set(schema, (await createSerde(registry, schema, `${topics[schema]}-value`)) as AvroSerde<unknown>);
  const producer = createKafka(connection, logger).producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  return {
    async send(records) {
      const byTopic = new Map<string, Array<{ key: string; value: Buffer | null }>>();
      for (const r of records) {
        const topic = topics[r.topic];
        const list = byTopic.get(topic) ?? [];
        list.push({ key: r.key, value: r.value === null ? null : serdes.get(r.topic)!.encode(r.value) });
        byTopic.set(topic, list);
      }
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    },
    close: () => producer.disconnect(),
  };
}
