/**
 * Offset commits against a real process crash: a kafkajs consumer commits after every message
 * (flush=always), the broker is killed with SIGKILL mid-stream and restarted on the same data
 * dir, and every commit kafkajs saw acknowledged must still be there.
 */
import { spawnBroker, type BrokerProcess } from './broker-process';
import { kafkaFor, removeDir, tempDataDir, uniqueName, waitFor } from './helpers';

jest.setTimeout(60_000);

let broker: BrokerProcess | undefined;
afterEach(async () => {
  if (broker && broker.child.exitCode === null && broker.child.signalCode === null) {
    broker.child.kill('SIGTERM');
    await broker.exited;
  }
});

it('keeps every acknowledged offset commit across kill -9', async () => {
  const dataDir = tempDataDir();
  try {
    broker = await spawnBroker(dataDir, 0, 'always');
    const port = broker.port;
    const topic = uniqueName('commit-crash');
    const groupId = uniqueName('g');
    const kafka = kafkaFor(broker.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 2000 }, (_, i) => ({ value: `m${i}` })) });
    await producer.disconnect();
    await admin.disconnect();

    // Commit after every message, one at a time; remember the highest commit acknowledged.
    let acked = -1;
    const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100, retry: { retries: 0 } });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const next = Number(message.offset) + 1;
        await consumer.commitOffsets([{ topic, partition, offset: String(next) }]);
        acked = Math.max(acked, next);
      },
    });
    await waitFor(() => acked >= 100, 20_000, '100 acknowledged commits');
    broker.child.kill('SIGKILL');
    expect(await broker.exited).toBe('SIGKILL');
    const lastAcked = acked;
    await consumer.disconnect().catch(() => undefined);

    broker = await spawnBroker(dataDir, port, 'always');
    const admin2 = kafkaFor(broker.bootstrap).admin();
    await admin2.connect();
    const [fetched] = await admin2.fetchOffsets({ groupId, topics: [topic] });
    await admin2.disconnect();
    expect(Number(fetched!.partitions[0]!.offset)).toBeGreaterThanOrEqual(lastAcked);
  } finally {
    removeDir(dataDir);
  }
});
