/**
 * The write protocol's compare-and-set, made deterministic: another writer on the same
 * transactional id (what another replica is) slips in between a store's catch-up and its commit.
 */
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { parseAvroSchema } from '../src/avro';
import type { RegistryLogger } from '../src/logger';
import { decideRegister, decideSetConfig } from '../src/operations';
import { encodeRecord, type LogRecord } from '../src/records';
import { SchemaStore } from '../src/store/store';
import { startTestBroker, uniqueName, type TestBroker } from './helpers';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.close();
});

/** A logger that keeps the kafkajs error types of failed write attempts. */
function attemptLog(): { logger: RegistryLogger; failures: unknown[] } {
  const failures: unknown[] = [];
  const noop = () => undefined;
  return { failures, logger: { debug: (msg, fields) => void (msg === 'schema log write attempt failed' && failures.push(fields?.error)), info: noop, warn: noop, error: noop } };
}

async function rival(topic: string): Promise<Producer> {
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ transactionalId: `${topic}-writer`, idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return producer;
}

const schemaRecord = (subject: string, version: number, id: number, schema: string): LogRecord => ({ kind: 'schema', subject, version, value: { subject, version, id, schema, deleted: false } });

async function storeOn(topic: string, logger: RegistryLogger): Promise<SchemaStore> {
  const store = new SchemaStore({ brokers: [broker.bootstrap], topic, logger, timeoutMs: 5_000 });
  await store.start(Date.now() + 10_000);
  // One write first, so the store holds a producer id that the rival's initialisation fences.
  await store.write((state) => decideSetConfig(state, null, 'NONE'));
  return store;
}

it('a decision made before another replica committed is fenced, then made again on the new state', async () => {
  const topic = uniqueName('_schemas');
  const { logger, failures } = attemptLog();
  const store = await storeOn(topic, logger);
  const other = await rival(topic);
  const x = parseAvroSchema('"string"');
  const y = parseAvroSchema('"long"');
  try {
    let decisions = 0;
    const result = await store.write(async (state) => {
      const decision = decideRegister(state, 'subject', y);
      if (++decisions === 1) {
        // Decided: y as version 1, id 1. Now another replica registers x as version 1, id 1.
        expect(decision.result).toEqual({ id: 1 });
        const txn = await other.transaction();
        await txn.send({ topic, messages: [{ ...encodeRecord(schemaRecord('subject', 1, 1, x.text)), partition: 0 }] });
        await txn.commit();
      }
      return decision;
    });
    expect(decisions).toBe(2);
    expect(failures).toContain('INVALID_PRODUCER_EPOCH');
    expect(result).toEqual({ id: 2 });
    expect(store.state.versions('subject').map((v) => [v.version, v.id, v.schema])).toEqual([
      [1, 1, x.text],
      [2, 2, y.text],
    ]);
  } finally {
    await other.disconnect();
    await store.stop();
  }
});

it("a replica's (re)initialisation aborts the other writer's open transaction", async () => {
  const topic = uniqueName('_schemas');
  const { logger, failures } = attemptLog();
  const store = await storeOn(topic, logger);
  const other = await rival(topic);
  try {
    const open = await other.transaction();
    await open.send({ topic, messages: [{ ...encodeRecord(schemaRecord('subject', 1, 1, '"string"')), partition: 0 }] });

    const result = await store.write((state) => decideRegister(state, 'subject', parseAvroSchema('"long"')));
    expect(result).toEqual({ id: 1 });
    expect(failures).toContain('INVALID_PRODUCER_EPOCH');
    await expect(open.commit()).rejects.toThrow();
    await store.catchUp();
    expect(store.state.versions('subject').map((v) => v.schema)).toEqual(['"long"']);
  } finally {
    await other.disconnect();
    await store.stop();
  }
});
