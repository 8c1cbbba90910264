/**
 * TEMPORARY copy of `createKafka` (packages/stream/src/kafka.ts), with the same settings: the
 * stream package does not export it from its index yet, and a service may not deep-import it.
 * Replace this file with `import { createKafka } from '@stratum/stream'` once it is exported.
 */
import kafkajs, { type Kafka, type logCreator } from 'kafkajs';
import type { Logger } from '@stratum/observability';
import type { KafkaConnection } from '@stratum/stream';

// kafkajs is CommonJS; its named exports are not visible to Node's ESM loader (tsx).
const { Kafka: KafkaClient, logLevel } = kafkajs;

function logCreatorFor(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...extra } = log;
      const fields = { kafkajs: namespace, ...extra };
      if (level === logLevel.ERROR) logger.error(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else logger.debug(fields, message);
    };
}

/** A kafkajs client for the gateway process (stand-in for @stratum/stream's createKafka). */
export function createKafka(connection: KafkaConnection, logger: Logger): Kafka {
  return new KafkaClient({
    clientId: connection.clientId,
    brokers: [...connection.brokers],
    logLevel: logLevel.WARN,
    logCreator: logCreatorFor(logger),
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
}
