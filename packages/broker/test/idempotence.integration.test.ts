import { RawClient, buildBatch } from './raw-client';
import { startTestBroker, uniqueName, type TestBroker } from './helpers';
import { ErrorCode } from '../src/protocol/error-codes';

let tb: TestBroker;
let client: RawClient;

beforeAll(async () => {
  tb = await startTestBroker();
  client = await RawClient.connect(tb.broker.port);
});
afterAll(async () => {
  client.close();
  await tb.close();
});

async function createTopic(): Promise<string> {
  const topic = uniqueName('idem');
  const admin = tb.kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  return topic;
}

describe('idempotent producer', () => {
  it('answers a retried batch with its original offset and stores it once', async () => {
    const topic = await createTopic();
    const { producerId, epoch } = await client.initProducerId();
    const batch = (seq: number, n: number) => buildBatch({ producerId, producerEpoch: epoch, baseSequence: seq, records: Array.from({ length: n }, (_, i) => ({ value: `r${seq + i}` })) });
    expect(await client.produce(topic, 0, batch(0, 3))).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 0 });
    expect(await client.produce(topic, 0, batch(3, 2))).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 3 });
    // Both retried: same offsets back, nothing new appended.
    expect(await client.produce(topic, 0, batch(0, 3))).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 0 });
    expect(await client.produce(topic, 0, batch(3, 2))).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 3 });
    expect(await client.produce(topic, 0, batch(5, 1))).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 5 });
    expect(tb.broker.state.topics.partition(topic, 0)!.highWatermark).toBe(6);
  });

  it('rejects a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER (45)', async () => {
    const topic = await createTopic();
    const { producerId, epoch } = await client.initProducerId();
    const one = (seq: number) => buildBatch({ producerId, producerEpoch: epoch, baseSequence: seq, records: [{ value: 'x' }] });
    expect((await client.produce(topic, 0, one(0))).errorCode).toBe(ErrorCode.NONE);
    expect((await client.produce(topic, 0, one(2))).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect((await client.produce(topic, 0, buildBatch({ producerId: producerId + 1000, producerEpoch: 0, baseSequence: 7, records: [{ value: 'y' }] }))).errorCode).toBe(
      ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
  });

  it('fences a stale epoch with INVALID_PRODUCER_EPOCH (47)', async () => {
    const topic = await createTopic();
    const txnId = uniqueName('tx');
    const first = await client.initProducerId(txnId);
    const second = await client.initProducerId(txnId);
    expect(second.producerId).toBe(first.producerId);
    expect(second.epoch).toBe(first.epoch + 1);
    const batch = (epoch: number) => buildBatch({ producerId: first.producerId, producerEpoch: epoch, baseSequence: 0, records: [{ value: 'e' }] });
    expect((await client.produce(topic, 0, batch(second.epoch))).errorCode).toBe(ErrorCode.NONE);
    expect((await client.produce(topic, 0, batch(first.epoch))).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  it('keeps sequence windows across a broker restart', async () => {
    const topic = await createTopic();
    const { producerId, epoch } = await client.initProducerId();
    const batch = buildBatch({ producerId, producerEpoch: epoch, baseSequence: 0, records: [{ value: 'a' }, { value: 'b' }] });
    expect(await client.produce(topic, 0, Buffer.from(batch))).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 0 });
    client.close();
    await tb.restart();
    client = await RawClient.connect(tb.broker.port);
    expect(await client.produce(topic, 0, Buffer.from(batch))).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 0 });
    expect(tb.broker.state.topics.partition(topic, 0)!.highWatermark).toBe(2);
    // Producer ids are never reused after a restart.
    expect((await client.initProducerId()).producerId).toBeGreaterThan(producerId);
  });

  it('kafkajs idempotent producer: every record once', async () => {
    const topic = await createTopic();
    const producer = tb.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < 20; i++) await producer.send({ topic, messages: [{ value: `m${i}` }, { value: `n${i}` }] });
    await producer.disconnect();
    expect(tb.broker.state.topics.partition(topic, 0)!.highWatermark).toBe(40);
  });

  it('rejects a corrupted batch with CORRUPT_MESSAGE and keeps serving', async () => {
    const topic = await createTopic();
    const batch = buildBatch({ records: [{ value: 'hello' }] });
    batch.writeUInt8(batch.readUInt8(batch.length - 2) ^ 0xff, batch.length - 2);
    expect((await client.produce(topic, 0, batch)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect((await client.produce(topic, 0, buildBatch({ records: [{ value: 'ok' }] }))).errorCode).toBe(ErrorCode.NONE);
  });
});
