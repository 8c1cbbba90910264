/**
 * librdkafka compatibility through kcat: metadata, produce (keys, headers, gzip) read back by
 * kafkajs, kafkajs-produced records read by kcat, and the protocol versions librdkafka settles on.
 * (The kcat balanced consumer, -G, is covered in groups-shared.admin.integration.test.ts.)
 */
import { kcat } from './kcat';
import { uniqueName, useSharedBroker, waitFor } from './helpers';

const shared = useSharedBroker();

it('kcat -L lists topics with their partitions and this broker', async () => {
  const topic = uniqueName('kl');
  await shared.admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  const { code, stdout } = await kcat(['-b', shared.tb.broker.bootstrap, '-L', '-t', topic]);
  expect(code).toBe(0);
  expect(stdout).toContain(`broker 0 at ${shared.tb.broker.bootstrap}`);
  expect(stdout).toContain(`topic "${topic}" with 3 partitions`);
});

it('kcat -P with keys, headers and gzip; kafkajs reads exactly that back', async () => {
  const topic = uniqueName('kp');
  await shared.admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  const lines = Array.from({ length: 50 }, (_, i) => `key${i}:value ${i}`);
  const produced = await kcat(['-b', shared.tb.broker.bootstrap, '-P', '-t', topic, '-p', '0', '-K:', '-H', 'source=kcat', '-z', 'gzip'], `${lines.join('\n')}\n`);
  expect(produced.code).toBe(0);

  const consumer = shared.tb.kafka.consumer({ groupId: uniqueName('kjs'), maxWaitTimeInMs: 100 });
  const got: { key: string; value: string; header: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) =>
      void got.push({ key: message.key!.toString(), value: message.value!.toString(), header: message.headers!.source!.toString() }),
  });
  await waitFor(() => got.length >= 50, 15_000, 'kafkajs to read 50 records');
  await consumer.disconnect();
  expect(got).toEqual(lines.map((l, i) => ({ key: `key${i}`, value: `value ${i}`, header: 'kcat' })));
});

it('kcat -C reads what kafkajs produced, in order, from any starting offset', async () => {
  const topic = uniqueName('kc');
  await shared.admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
  const producer = shared.tb.kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 2 })) });
  await producer.disconnect();

  const all = await kcat(['-b', shared.tb.broker.bootstrap, '-C', '-t', topic, '-p', '1', '-o', 'beginning', '-e', '-f', '%k %s %p %o\n']);
  expect(all.code).toBe(0);
  expect(all.stdout.trim().split('\n')).toEqual(Array.from({ length: 10 }, (_, j) => `k${2 * j + 1} v${2 * j + 1} 1 ${j}`));

  const tail = await kcat(['-b', shared.tb.broker.bootstrap, '-C', '-t', topic, '-p', '0', '-o', '-2', '-e', '-f', '%s\n']);
  expect(tail.stdout.trim().split('\n')).toEqual(['v16', 'v18']);
});

it('librdkafka negotiates ApiVersions v3 and uses Produce v7 and Fetch v11', async () => {
  const topic = uniqueName('kv');
  const produce = await kcat(['-b', shared.tb.broker.bootstrap, '-P', '-t', topic, '-d', 'protocol'], 'one\n');
  expect(produce.code).toBe(0);
  expect(produce.stderr).toMatch(/ApiVersionRequest \(v3/);
  expect(produce.stderr).not.toMatch(/ApiVersionRequest \(v0/);
  expect(produce.stderr).toMatch(/ProduceRequest \(v7/);
  const consume = await kcat(['-b', shared.tb.broker.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-d', 'protocol']);
  expect(consume.stdout.trim()).toBe('one');
  expect(consume.stderr).toMatch(/FetchRequest \(v11/);
});
