import { uniqueName, useSharedBroker, waitFor } from './helpers';

const shared = useSharedBroker();

async function newTopic(partitions = 1): Promise<string> {
  const topic = uniqueName('txn');
  await shared.admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
  return topic;
}

/** Reads everything currently visible on a topic with the given isolation, for `settleMs`. */
async function readAll(topic: string, readUncommitted: boolean, settleMs = 1500): Promise<string[]> {
  const consumer = shared.tb.kafka.consumer({ groupId: uniqueName('reader'), readUncommitted, maxWaitTimeInMs: 100 });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
  await new Promise((r) => setTimeout(r, settleMs));
  await consumer.disconnect();
  return seen;
}

function txnProducer(transactionalId = uniqueName('tx'), transactionTimeout = 60_000) {
  return shared.tb.kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout });
}

describe('transactions with kafkajs', () => {
  it('hides interleaved transactions aborted out of order, across many small fetches (kafkajs activates one aborted transaction per record)', async () => {
    const topic = await newTopic(1);
    const [a, b, c] = [txnProducer(), txnProducer(), txnProducer()];
    await Promise.all([a.connect(), b.connect(), c.connect()]);
    const ta = await a.transaction();
    const tb = await b.transaction();
    // Interleaved: a's transaction starts first, b's second; b is aborted first.
    for (const i of [1, 2, 3]) {
      await ta.send({ topic, messages: [{ value: `a${i}`, partition: 0 }] });
      await tb.send({ topic, messages: [{ value: `b${i}`, partition: 0 }] });
    }
    await tb.abort();
    const tc = await c.transaction();
    await tc.send({ topic, messages: [{ value: 'c1', partition: 0 }] });
    await tc.commit();
    await ta.abort(); // the transaction that began first is aborted last
    // One batch per fetch: later fetches start inside both aborted spans.
    const consumer = shared.tb.kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100, maxBytesPerPartition: 80 });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    await new Promise((r) => setTimeout(r, 2000));
    await consumer.disconnect();
    await Promise.all([a.disconnect(), b.disconnect(), c.disconnect()]);
    expect(seen).toEqual(['c1']);
  });

  it('hides aborted records from READ_COMMITTED consumers and shows committed ones', async () => {
    const topic = await newTopic(2);
    const producer = txnProducer();
    await producer.connect();

    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'a1', partition: 0 }, { value: 'a2', partition: 1 }] });
    await aborted.abort();

    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'c1', partition: 0 }, { value: 'c2', partition: 1 }] });
    await committed.commit();
    await producer.disconnect();

    expect((await readAll(topic, false)).sort()).toEqual(['c1', 'c2']);
    expect((await readAll(topic, true)).sort()).toEqual(['a1', 'a2', 'c1', 'c2']);
  });

  it('holds READ_COMMITTED readers at the last stable offset while a transaction is open', async () => {
    const topic = await newTopic();
    const producer = txnProducer();
    await producer.connect();
    const plain = shared.tb.kafka.producer();
    await plain.connect();
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ value: 'pending' }] });
    await plain.send({ topic, messages: [{ value: 'after' }] });
    const latest = async (isolation: boolean) => {
      const partition = shared.tb.broker.state.topics.partition(topic, 0)!;
      return isolation ? partition.lastStableOffset : partition.highWatermark;
    };
    expect(await latest(true)).toBe(0);
    expect(await latest(false)).toBe(2);
    expect(await readAll(topic, false, 800)).toEqual([]);
    await txn.commit();
    expect(await readAll(topic, false)).toEqual(['pending', 'after']);
    await producer.disconnect();
    await plain.disconnect();
  });

  it('consume-transform-produce: output and input offsets commit atomically', async () => {
    const input = await newTopic();
    const output = await newTopic();
    const groupId = uniqueName('ctp');
    const seed = shared.tb.kafka.producer();
    await seed.connect();
    await seed.send({ topic: input, messages: Array.from({ length: 10 }, (_, i) => ({ value: `in-${i}` })) });
    await seed.disconnect();

    const producer = txnProducer();
    await producer.connect();
    const consumer = shared.tb.kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: input, fromBeginning: true });
    let processed = 0;
    let abortNext = true;
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        const txn = await producer.transaction();
        await txn.send({ topic: output, messages: batch.messages.map((m) => ({ value: `out-${m.value!.toString()}` })) });
        const next = String(Number(batch.lastOffset()) + 1);
        await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: batch.partition, offset: next }] }] });
        if (abortNext) {
          // The first attempt fails: neither its output nor its offsets may become visible.
          abortNext = false;
          await txn.abort();
          throw new Error('simulated failure, retry the batch');
        }
        await txn.commit();
        for (const m of batch.messages) resolveOffset(m.offset);
        processed += batch.messages.length;
        await heartbeat();
      },
    });
    await waitFor(() => processed >= 10, 20_000, 'all input processed');
    await consumer.disconnect();
    await producer.disconnect();

    const offsets = await shared.admin.fetchOffsets({ groupId, topics: [input] });
    expect(offsets[0]!.partitions[0]!.offset).toBe('10');
    const out = await readAll(output, false);
    expect(out.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `out-in-${i}`).sort());
  });

  it('aborts a transaction that outlives its timeout and fences its producer', async () => {
    const topic = await newTopic();
    const producer = txnProducer(uniqueName('slow'), 1000);
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ value: 'too-slow' }] });
    const partition = shared.tb.broker.state.topics.partition(topic, 0)!;
    await waitFor(() => partition.lastStableOffset === partition.highWatermark, 5_000, 'timeout abort');
    await expect(txn.commit()).rejects.toThrow();
    await producer.disconnect().catch(() => undefined);
    expect(await readAll(topic, false, 800)).toEqual([]);
    expect(await readAll(topic, true, 800)).toEqual(['too-slow']);
  });

  it('aborts transactions left open by a broker restart', async () => {
    const topic = await newTopic();
    const producer = txnProducer();
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ value: 'orphan' }] });
    await producer.disconnect();
    await shared.tb.restart();
    await shared.admin.disconnect();
    shared.admin = shared.tb.kafka.admin();
    await shared.admin.connect();
    const partition = shared.tb.broker.state.topics.partition(topic, 0)!;
    expect(partition.lastStableOffset).toBe(partition.highWatermark);
    expect(await readAll(topic, false, 800)).toEqual([]);
  });
});
