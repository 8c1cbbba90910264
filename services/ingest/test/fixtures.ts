/** Tenants in a real PostgreSQL and raw events for ingest's integration tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import { AvroSerde, confluentRegistryClient, exampleRecords, type RawEvent } from '@stratum/schemas';
import { createSource, provisionTenant, type TrackingPlan } from '@stratum/tenancy';
import { uniqueName, type TestDatabase, type TestPostgres, type TestStack } from '@stratum/testing';

const { Partitioners } = kafkajs;

/** The plan of the "strict" source: Order Completed at 1.0.0 and 2.0.0; unplanned events blocked. */
export const STRICT_PLAN: TrackingPlan = {
  mode: 'block',
  defaultSchemaVersion: '1.0.0',
  events: [
    { type: 'track', name: 'Order Completed', version: '1.0.0', schema: { type: 'object', properties: { order_id: { type: 'string' }, total: { type: 'number', minimum: 0 } }, required: ['order_id', 'total'] } },
    { type: 'track', name: 'Order Completed', version: '2.0.0', schema: { type: 'object', properties: { order_id: { type: 'string' }, revenue: { type: 'number' } }, required: ['order_id', 'revenue'] } },
  ],
};

/** Sources of one test database: an open one (keep PII), a strict one (block, US phones), a disabled one, and a drop-PII tenant's. */
export interface Tenancy {
  db: Db;
  database: TestDatabase;
  open: { tenantId: string; sourceId: string };
  strict: { tenantId: string; sourceId: string };
  disabled: { tenantId: string; sourceId: string };
  private: { tenantId: string; sourceId: string };
  close(): Promise<void>;
}

export async function provisionTenancy(postgres: TestPostgres): Promise<Tenancy> {
  const database = await postgres.newDatabase();
  const db = createDb(database.url);
  await migrateToLatest(db);
  const acme = await provisionTenant(db, { name: uniqueName('acme') });
  const strict = await createSource(db, { tenant: acme.tenantId, name: 'strict', trackingPlan: STRICT_PLAN, defaultPhoneRegion: 'US' });
  const disabled = await createSource(db, { tenant: acme.tenantId, name: 'disabled', enabled: false });
  const initech = await provisionTenant(db, { name: uniqueName('initech'), piiPolicy: 'drop', defaultPhoneRegion: 'DE' });
  return {
    db,
    database,
    open: { tenantId: acme.tenantId, sourceId: acme.sourceId },
    strict: { tenantId: strict.tenantId, sourceId: strict.sourceId },
    disabled: { tenantId: disabled.tenantId, sourceId: disabled.sourceId },
    private: { tenantId: initech.tenantId, sourceId: initech.sourceId },
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}

/** A raw event of `source` (the schemas package's example track event, with this id). */
export function rawEvent(source: { tenantId: string; sourceId: string }, messageId: string, over: Partial<RawEvent> = {}): RawEvent {
  return { ...exampleRecords['events.raw'], ...source, messageId, ...over };
}

const RAW_SCHEMA_FILE = join(__dirname, '..', '..', '..', 'schemas', 'events.raw', 'v1.avsc');

/**
 * Publishes raw events the way examples/kafka-producer does, outside Stratum's own helpers: the
 * schema text read from schemas/events.raw/v1.avsc, registered with the Confluent registry client
 * under events.raw-value, Confluent-framed, sent by a plain kafkajs producer keyed tenantId:messageId.
 */
export async function publishLikeAKafkaProducer(stack: TestStack, topic: string, events: readonly RawEvent[]): Promise<void> {
  const serde = await AvroSerde.create<RawEvent>({ registry: confluentRegistryClient(stack.registryUrl), subject: 'events.raw-value', schema: readFileSync(RAW_SCHEMA_FILE, 'utf8') });
  const producer = stack.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: events.map((e) => ({ key: `${e.tenantId}:${e.messageId}`, value: serde.encode(e) })) });
  } finally {
    await producer.disconnect();
  }
}
