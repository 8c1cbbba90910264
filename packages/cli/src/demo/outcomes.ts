/**
 * The delivery outcomes of this run, read from the delivery.outcomes topic: what the
 * delivery-adapter decided for each (destination, event) — delivered, or skipped and why
 * (consent_denied, event_type_not_supported…). The mocks only show what arrived; these say why
 * the rest did not, and when a destination is done with an event, which is what the demo waits
 * for before changing a consent.
 */
import { confluentRegistryClient, createReader, type DeliveryOutcome } from '@stratum/schemas';
import kafkajs from 'kafkajs';
import { DemoError } from './http';

// kafkajs is CommonJS: its named exports are not visible to Node's ESM loader.
const { Kafka, logLevel } = kafkajs;

export const OUTCOMES_TOPIC = 'delivery.outcomes';

/** An outcome after which nothing more happens to the event at that destination (not `retrying`). */
export const isFinal = (o: Pick<DeliveryOutcome, 'status'>): boolean => o.status !== 'retrying';

export interface OutcomeLog {
  /** Every outcome of `messageId` at `destinationId`, in the order they were read. */
  of(destinationId: string, messageId: string): readonly DeliveryOutcome[];
  /** The first problem reading the topic (a record that did not decode), if any. */
  problem(): string | null;
  close(): Promise<void>;
}

export interface OutcomeSource {
  readonly brokers: readonly string[];
  readonly registryUrl: string;
  readonly tenantId: string;
  /** Only outcomes of messageIds with this prefix are kept (this run's). */
  readonly messageIdPrefix: string;
  /** Names the consumer group, removed again on close. */
  readonly runId: string;
}

export async function watchOutcomes(source: OutcomeSource): Promise<OutcomeLog> {
  let reader;
  try {
    reader = await createReader(confluentRegistryClient(source.registryUrl), 'delivery.outcomes');
  } catch (err) {
    throw new DemoError(`cannot read the ${OUTCOMES_TOPIC} schema from the schema registry at ${source.registryUrl} (${(err as Error).message}); pass --registry-url`);
  }
  const kafka = new Kafka({ clientId: 'stratum-demo', brokers: [...source.brokers], logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 2, initialRetryTime: 300 } });
  const groupId = `stratum-demo-${source.runId}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const seen = new Map<string, DeliveryOutcome[]>();
  let problem: string | null = null;
  try {
    await consumer.connect();
    // From the beginning: this run's outcomes are all after the start, and filtering costs little.
    await consumer.subscribe({ topic: OUTCOMES_TOPIC, fromBeginning: true });
  } catch (err) {
    await consumer.disconnect().catch(() => undefined);
    throw new DemoError(`cannot read ${OUTCOMES_TOPIC} from Kafka at ${source.brokers.join(',')} (${(err as Error).message}); pass --brokers`);
  }
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.value === null) return;
      try {
        const o = await reader.decode(message.value);
        if (o.tenantId !== source.tenantId || !o.messageId.startsWith(source.messageIdPrefix)) return;
        const key = `${o.destinationId}\u0000${o.messageId}`;
        seen.set(key, [...(seen.get(key) ?? []), o]);
      } catch (err) {
        problem ??= `a ${OUTCOMES_TOPIC} record did not decode: ${(err as Error).message}`;
      }
    },
  });
  return {
    of: (destinationId, messageId) => seen.get(`${destinationId}\u0000${messageId}`) ?? [],
    problem: () => problem,
    async close() {
      await consumer.disconnect().catch(() => undefined);
      // The group was only this run's reader: leave no trace of it in the broker.
      const admin = kafka.admin();
      await admin
        .connect()
        .then(() => admin.deleteGroups([groupId]))
        .catch(() => undefined)
        .finally(() => admin.disconnect().catch(() => undefined));
    },
  };
}
