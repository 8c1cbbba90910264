/**
 * The publisher while its broker goes away and comes back. The broker here is a second embedded
 * broker of this test's own (the stack's one keeps the schema registry up), stopped and started
 * again on the same port and data directory, as a restarted Kafka node would be.
 *
 * What must hold: while the broker is down, publishes are refused with kafka_unavailable within
 * the publish timeout and the publisher is not ready; once it is back, publishes succeed again;
 * and every publish that resolved is on the topic (a 503 may still have been written, never a
 * 200 dropped).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger as silentBrokerLogger, startBroker, type RunningBroker } from '@stratum/broker';
import { silentLogger } from '@stratum/observability';
import { createSerde, exampleRecords, type RawEvent } from '@stratum/schemas';
import { testKafkaClient, uniqueName, useTestStack, waitFor } from '@stratum/testing';
import { createKafkaPublisher } from './kafka-publisher';
import { isPublishUnavailable } from './publish-errors';

jest.setTimeout(60_000);
const stack = useTestStack();
const TIMEOUT_MS = 1_500;

let dataDir: string;
let broker: RunningBroker | null = null;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stratum-gateway-outage-'));
});
afterAll(async () => {
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = (port: number) => startBroker({ port, dataDir, flush: 'os', logger: silentBrokerLogger });

/** Every events.raw messageId on `topic` of the broker at `bootstrap`. */
async function messageIdsOn(bootstrap: string, topic: string, atLeast: number): Promise<Set<string>> {
  const kafka = testKafkaClient([bootstrap]);
  const serde = await createSerde(stack.registry, 'events.raw');
  const consumer = kafka.consumer({ groupId: uniqueName('outage-check') });
  const ids = new Set<string>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void ids.add((await serde.decode(message.value!)).messageId) });
    await waitFor(() => ids.size >= atLeast, { timeoutMs: 20_000, what: `${atLeast} records on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return ids;
}

it('refuses publishes promptly while the broker is down, recovers when it is back, and loses no acknowledged event', async () => {
  broker = await start(0);
  const { port, bootstrap } = broker;
  const topic = uniqueName('raw');
  const admin = testKafkaClient([bootstrap]).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
  await admin.disconnect();

  const publisher = createKafkaPublisher({
    kafka: { brokers: [bootstrap], clientId: uniqueName('gateway') },
    registryUrl: stack.registryUrl,
    topic,
    subject: 'events.raw-value',
    logger: silentLogger(),
    publishTimeoutMs: TIMEOUT_MS,
  });
  try {
    await publisher.whenReady();

    // A steady trickle of publishes through the whole outage; remember which were acknowledged.
    const acknowledged: string[] = [];
    const refused: { code: string; ms: number }[] = [];
    let running = true;
    let n = 0;
    const trickle = (async () => {
      while (running) {
        const event: RawEvent = { ...exampleRecords['events.raw'], messageId: `m-${n++}` };
        const started = Date.now();
        await publisher.publish([event]).then(
          () => void acknowledged.push(event.messageId),
          (err: unknown) => {
            if (!isPublishUnavailable(err)) throw err;
            refused.push({ code: err.code, ms: Date.now() - started });
          },
        );
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    await waitFor(() => acknowledged.length >= 10, { what: 'publishes before the outage' });
    await broker.stop();
    broker = null;

    await waitFor(() => !publisher.isReady(), { timeoutMs: TIMEOUT_MS + 3_000, what: 'the publisher to turn unready' });
    await waitFor(() => refused.length >= 5, { timeoutMs: 10_000, what: 'publishes refused during the outage' });
    const during = acknowledged.length;
    // One publish may wait out the timeout (its request was in flight); the rest are refused at once.
    expect(refused.every((r) => r.code === 'kafka_unavailable' && r.ms <= TIMEOUT_MS + 1_000)).toBe(true);
    expect(refused.filter((r) => r.ms < 200).length).toBeGreaterThanOrEqual(refused.length - 1);

    broker = await start(port);
    await waitFor(() => publisher.isReady(), { timeoutMs: 30_000, what: 'the publisher to be ready again' });
    await waitFor(() => acknowledged.length >= during + 10, { timeoutMs: 10_000, what: 'publishes after the restart' });
    running = false;
    await trickle;

    const onTopic = await messageIdsOn(bootstrap, topic, acknowledged.length);
    expect(acknowledged.filter((id) => !onTopic.has(id))).toEqual([]);
  } finally {
    await publisher.close();
  }
});
