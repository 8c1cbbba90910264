/**
 * The kafkajs client trace reads with. Not @stratum/stream's createKafka: that one rides out a
 * broker restart with eight retries (right for a stage), while a person waiting at a terminal
 * wants "Kafka unreachable" in seconds.
 */
import { isRetriable } from '@stratum/errors';
import { SerdeError } from '@stratum/schemas';
import kafkajs, { type Kafka } from 'kafkajs';
import { traceErrors } from './errors';

// kafkajs is CommonJS: its named exports are not visible to Node's ESM loader.
const { Kafka: KafkaClient, logLevel } = kafkajs;

export function traceKafka(brokers: readonly string[]): Kafka {
  return new KafkaClient({
    clientId: 'stratum-trace',
    brokers: [...brokers],
    // Failures come back as thrown errors with their own message; kafkajs' log lines would only repeat them.
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
}

/** Whether `err` means Kafka or the registry could not be reached (exit 3), not that something is wrong with the data. */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof SerdeError) return err.code === 'registry_unavailable';
  return err instanceof Error && err.name.startsWith('KafkaJS') && isRetriable(err);
}

/** `err` as kafka_unavailable when it is a connection failure; anything else unchanged. */
export function asUnreachable(err: unknown, where: string): unknown {
  if (!isUnreachable(err)) return err;
  return traceErrors.error('kafka_unavailable', `cannot reach ${where}: ${(err as Error).message}`, { cause: err });
}
