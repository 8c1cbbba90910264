/**
 * The log's maintenance as a client sees it: torn-tail recovery on restart, compaction and
 * retention run by the broker's housekeeping on real topics.
 */
import { readdirSync, statSync, truncateSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestBroker, uniqueName, waitFor, type TestBroker } from './helpers';

let tb: TestBroker;
beforeEach(async () => {
  tb = await startTestBroker();
});
afterEach(async () => {
  await tb.close();
});

async function readAll(topic: string, expected: number): Promise<{ key: string | null; value: string | null; offset: number }[]> {
  const consumer = tb.kafka.consumer({ groupId: uniqueName('read'), maxWaitTimeInMs: 100 });
  const out: { key: string | null; value: string | null; offset: number }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) =>
      void out.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, offset: Number(message.offset) }),
  });
  await waitFor(() => out.length >= expected, 15_000, `${expected} records`);
  await new Promise((r) => setTimeout(r, 300));
  await consumer.disconnect();
  return out;
}

it('cuts a torn tail after an unclean stop and keeps serving and appending', async () => {
  const topic = uniqueName('torn');
  const producer = tb.kafka.producer();
  await producer.connect();
  for (let i = 0; i < 10; i++) await producer.send({ topic, messages: [{ value: `v${i}` }] });
  await producer.disconnect();
  await tb.broker.stop();
  // Simulate a crash mid-write: no clean-shutdown marker, the last batch half on disk.
  rmSync(join(tb.dataDir, '.clean_shutdown'), { force: true });
  const dir = join(tb.dataDir, `${topic}-0`);
  const segment = join(dir, readdirSync(dir).find((f) => f.endsWith('.log'))!);
  truncateSync(segment, statSync(segment).size - 7);
  await tb.restart();

  expect(tb.broker.state.topics.partition(topic, 0)!.highWatermark).toBe(9);
  const again = tb.kafka.producer();
  await again.connect();
  await again.send({ topic, messages: [{ value: 'after' }] });
  await again.disconnect();
  const values = (await readAll(topic, 10)).map((r) => r.value);
  expect(values).toEqual([...Array.from({ length: 9 }, (_, i) => `v${i}`), 'after']);
});

it('compacts a cleanup.policy=compact topic to the latest value per key', async () => {
  const topic = uniqueName('compact');
  const admin = tb.kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'segment.bytes', value: '2048' }, { name: 'delete.retention.ms', value: '0' }] }],
  });
  await admin.disconnect();
  const producer = tb.kafka.producer();
  await producer.connect();
  for (let round = 0; round < 20; round++) {
    await producer.send({ topic, messages: ['a', 'b', 'c'].map((k) => ({ key: k, value: `${k}${round}` })) });
  }
  await producer.send({ topic, messages: [{ key: 'b', value: null }] });
  // Filler in later segments so the updates above sit in closed (compactable) segments.
  for (let i = 0; i < 30; i++) await producer.send({ topic, messages: [{ key: `filler${i}`, value: 'x'.repeat(100) }] });
  await producer.disconnect();

  const partition = tb.broker.state.topics.partition(topic, 0)!;
  await waitFor(() => partition.log.sizeBytes < 6000, 10_000, 'compaction');
  const records = await readAll(topic, 31);
  const byKey = new Map(records.map((r) => [r.key, r.value]));
  expect(byKey.get('a')).toBe('a19');
  expect(byKey.get('c')).toBe('c19');
  expect(byKey.has('b')).toBe(false);
  expect(records.filter((r) => r.key === 'a')).toHaveLength(1);
  // Offsets are never reused: the survivors keep their original positions.
  expect(records.find((r) => r.key === 'a')!.offset).toBe(57);
});

it('deletes old segments by retention.bytes and moves the log start', async () => {
  const topic = uniqueName('retain');
  const admin = tb.kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: '1024' }, { name: 'retention.bytes', value: '2048' }] }] });
  const producer = tb.kafka.producer();
  await producer.connect();
  for (let i = 0; i < 40; i++) await producer.send({ topic, messages: [{ value: 'y'.repeat(200) }] });
  await producer.disconnect();
  // Housekeeping may run while the records are still arriving and move the start only part way:
  // wait for the run that sees all 40 (2048 bytes keep the last ~2 segments of ~4 records each).
  await waitFor(async () => Number((await admin.fetchTopicOffsets(topic))[0]!.low) > 25, 10_000, 'retention of all but the newest segments');
  const [offsets] = await admin.fetchTopicOffsets(topic);
  expect(Number(offsets!.high)).toBe(40);
  expect(Number(offsets!.low)).toBeGreaterThan(25);
  await admin.disconnect();
});

it('rolls by segment.ms so a small compacted topic gets compacted', async () => {
  const topic = uniqueName('segms');
  const admin = tb.kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'segment.ms', value: '100' }] }] });
  await admin.disconnect();
  const producer = tb.kafka.producer();
  await producer.connect();
  for (let i = 0; i < 10; i++) await producer.send({ topic, messages: [{ key: 'profile-1', value: `v${i}` }] });
  await new Promise((r) => setTimeout(r, 150));
  // This append finds the segment older than segment.ms and rolls first.
  await producer.send({ topic, messages: [{ key: 'profile-2', value: 'w' }] });
  await producer.disconnect();
  const partition = tb.broker.state.topics.partition(topic, 0)!;
  const before = partition.log.sizeBytes;
  await waitFor(() => partition.log.sizeBytes < before / 2, 5_000, 'compaction of the rolled segment');
  const records = await readAll(topic, 2);
  expect(records.map((r) => [r.key, r.value])).toEqual([
    ['profile-1', 'v9'],
    ['profile-2', 'w'],
  ]);
});
