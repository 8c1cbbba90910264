/**
 * Producing persons.import: an idempotent producer (acks from all in-sync replicas, one request in
 * flight, so retries neither duplicate nor reorder) and the registry serde, keyed by tenantId.
 */
import { isRetriable } from '@stratum/errors';
import { createLogger } from '@stratum/observability';
import { confluentRegistryClient, createSerde, SerdeError, type AvroSerde, type PersonImport } from '@stratum/schemas';
import { createKafka } from '@stratum/stream';
import kafkajs from 'kafkajs';
import { importErrors } from './errors';

// kafkajs is CommonJS: its named exports are not visible to Node's ESM loader.
const { Partitioners, CompressionTypes } = kafkajs;

export interface PersonSender {
  /** Resolves once the broker acknowledged every record. */
  send(records: readonly PersonImport[]): Promise<void>;
  close(): Promise<void>;
}

function unreachable(err: unknown): boolean {
  return (err instanceof SerdeError && err.code === 'registry_unavailable') || (err instanceof Error && err.name.startsWith('KafkaJS') && isRetriable(err));
}

export async function kafkaPersonSender(target: { brokers: readonly string[]; registryUrl: string; topic: string }): Promise<PersonSender> {
  const logger = createLogger({ service: 'stratum-import', level: 'error', destination: process.stderr });
  const producer = createKafka({ brokers: [...target.brokers], clientId: 'stratum-import' }, logger).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  let serde: AvroSerde<PersonImport>;
  try {
    serde = await createSerde(confluentRegistryClient(target.registryUrl), 'persons.import', `${target.topic}-value`);
    await producer.connect();
  } catch (err) {
    await producer.disconnect().catch(() => undefined);
    if (!unreachable(err)) throw err;
    throw importErrors.error('kafka_unavailable', `cannot reach Kafka (${target.brokers.join(',')}) or the schema registry (${target.registryUrl}): ${(err as Error).message}`, { cause: err });
  }
  return {
    async send(records) {
      if (records.length === 0) return;
      const messages = records.map((r) => ({ key: r.tenantId, value: serde.encode(r) }));
      await producer.send({ topic: target.topic, acks: -1, compression: CompressionTypes.None, messages });
    },
    close: () => producer.disconnect(),
  };
}
