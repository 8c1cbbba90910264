/** The harness's one kafkajs client factory: quiet logs, short timeouts, fast retries. */
import { Kafka, logLevel } from 'kafkajs';

/**
 * A kafkajs client for tests: no log output (a failing test shows the harness's own message),
 * a 3 s connection timeout and quick retries, so an unreachable broker fails in seconds.
 */
export function testKafkaClient(brokers: string[], clientId = 'stratum-test'): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 1_000 },
  });
}
