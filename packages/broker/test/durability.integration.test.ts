/**
 * Durability against a real process crash: kill -9 the broker while an idempotent kafkajs
 * producer is sending with acks=all, restart it on the same data dir, and check that every
 * acknowledged record is there exactly once.
 */
import { spawnBroker, type BrokerProcess } from './broker-process';
import { kafkaFor, removeDir, tempDataDir, uniqueName, waitFor } from './helpers';

jest.setTimeout(90_000);

let broker: BrokerProcess | undefined;
afterEach(async () => {
  if (broker && broker.child.exitCode === null) {
    broker.child.kill('SIGTERM');
    await broker.exited;
  }
});

async function readValues(bootstrap: string, topic: string, expected: number): Promise<string[]> {
  const consumer = kafkaFor(bootstrap).consumer({ groupId: uniqueName('verify'), maxWaitTimeInMs: 100 });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
  await waitFor(() => values.length >= expected, 30_000, `${expected} records`);
  await new Promise((r) => setTimeout(r, 500));
  await consumer.disconnect();
  return values;
}

it.each([['always'], ['os']] as const)('keeps every acknowledged record exactly once across kill -9 (flush=%s)', async (flush) => {
  const dataDir = tempDataDir();
  try {
    broker = await spawnBroker(dataDir, 0, flush);
    const port = broker.port;
    const topic = uniqueName('crash');
    const kafka = kafkaFor(broker.bootstrap, 'crash-test', { retries: 40, initialRetryTime: 100, maxRetryTime: 1000 });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await admin.disconnect();

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const acked: string[] = [];
    let stop = false;
    let n = 0;
    const sending = (async () => {
      while (!stop) {
        const values = Array.from({ length: 20 }, () => `r${n++}`);
        await producer.send({ topic, acks: -1, messages: values.map((value) => ({ key: value, value })) });
        acked.push(...values);
      }
    })();

    await waitFor(() => acked.length >= 2000, 30_000, 'records before the crash');
    broker.child.kill('SIGKILL');
    expect(await broker.exited).toBe('SIGKILL');
    const ackedAtCrash = acked.length;
    broker = await spawnBroker(dataDir, port, flush);
    await waitFor(() => acked.length >= ackedAtCrash + 1000, 40_000, 'records after the restart');
    stop = true;
    await sending;
    await producer.disconnect();

    const values = await readValues(broker.bootstrap, topic, acked.length);
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.values()].filter((c) => c > 1)).toEqual([]);
    const missing = acked.filter((v) => !counts.has(v));
    expect(missing).toEqual([]);
  } finally {
    removeDir(dataDir);
  }
});
