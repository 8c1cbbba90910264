/**
 * The one place a service's Kafka client is constructed (CONVENTIONS.md: no copy-pasted
 * bootstrap per service). kafkajs logs go through the stage's logger.
 */
import kafkajs, { type Kafka, type logCreator } from 'kafkajs';
import type { Logger } from '@stratum/observability';

// kafkajs is CommonJS; its named exports are not visible to Node's ESM loader (tsx), so take them off the default export.
const { Kafka: KafkaClient, logLevel } = kafkajs;

export interface KafkaConnection {
  brokers: readonly string[];
  clientId: string;
}

function logCreatorFor(logger: Logger): logCreator {
  return () => ({ namespace, level, log }) => {
    const { message, ...extra } = log;
    const fields = { kafkajs: namespace, ...extra };
    if (level === logLevel.ERROR) logger.error(fields, message);
    else if (level === logLevel.WARN) logger.warn(fields, message);
    else logger.debug(fields, message);
  };
}

/** A kafkajs client for one stage process. */
export function createKafka(connection: KafkaConnection, logger: Logger): Kafka {
  return new KafkaClient({
    clientId: connection.clientId,
    brokers: [...connection.brokers],
    logLevel: logLevel.WARN,
    logCreator: logCreatorFor(logger),
    // Ride out a broker restart: kafkajs retries with its own backoff before the runtime's takes over.
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
}
