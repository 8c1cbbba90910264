/**
 * Publishing events to Stratum from your own service, straight to Kafka: no Stratum code, only
 * kafkajs and the Confluent schema registry client, as any team with a Kafka producer would.
 *
 *   STRATUM_TENANT_ID=ten_… STRATUM_SOURCE_ID=src_… npx tsx producer.ts
 *
 * Environment: KAFKA_BROKERS (default localhost:9092), SCHEMA_REGISTRY_URL (default
 * http://localhost:8081), STRATUM_TOPIC (default events.raw), STRATUM_TENANT_ID and
 * STRATUM_SOURCE_ID (required: `pnpm stratum tenant create --name acme` prints both).
 */
import { readFileSync } from 'node:fs';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import kafkajs from 'kafkajs';

const { Kafka, Partitioners } = kafkajs; // kafkajs is CommonJS

const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
const registryUrl = process.env.SCHEMA_REGISTRY_URL ?? 'http://localhost:8081';
const topic = process.env.STRATUM_TOPIC ?? 'events.raw';
const tenantId = process.env.STRATUM_TENANT_ID;
const sourceId = process.env.STRATUM_SOURCE_ID;
if (!tenantId || !sourceId) {
  process.stderr.write('set STRATUM_TENANT_ID and STRATUM_SOURCE_ID (pnpm stratum tenant create --name <name> prints them)\n');
  process.exit(2);
}

// 1. The contract: Stratum's own schema file. The registry already holds it when Stratum runs
//    (`stratum start` registers every topic's schema); registering the same text again returns
//    the same id and adds no version.
const schema = readFileSync(new URL('../../schemas/events.raw/v1.avsc', import.meta.url), 'utf8');
const registry = new SchemaRegistry({ host: registryUrl });
const { id: schemaId } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: `${topic}-value` });

// 2. Events. Required: tenantId, sourceId, channel "kafka", messageId, type, receivedAt; every other
//    field has a default (null) and can be left out. Free-form parts are JSON object *text*.
//    messageId is the dedup key: derive it from your own id, so a retried publish is recognised.
const now = Date.now();
const order = { id: 'ord-50314', customer: 'user-8812', total: 89.97, currency: 'EUR', placedAt: new Date(now - 2_000) };
const profileUpdatedAt = now - 60_000;
const events = [
  {
    tenantId,
    sourceId,
    channel: 'kafka',
    messageId: `order-${order.id}-completed`,
    type: 'track',
    event: 'Order Completed',
    userId: order.customer,
    // When it happened, ISO-8601 with an offset. Without sentAt ingest takes it as is.
    timestamp: order.placedAt.toISOString(),
    receivedAt: now, // your produce time, epoch ms UTC
    properties: JSON.stringify({ order_id: order.id, total: order.total, currency: order.currency }),
    context: JSON.stringify({ library: { name: 'acme-order-service', version: '1.4.0' } }),
  },
  {
    tenantId,
    sourceId,
    channel: 'kafka',
    messageId: `customer-${order.customer}-updated-${profileUpdatedAt}`,
    type: 'identify',
    userId: order.customer,
    receivedAt: now,
    // Ingest hashes email and phone into identifiers (and drops the cleartext if the tenant's PII policy says so).
    traits: JSON.stringify({ email: 'Ada.Lovelace@Example.com', phone: '+49 30 901820', plan: 'pro' }),
  },
];

// 3. Publish: Confluent wire format (magic byte, schema id, Avro), key tenantId:messageId, acks=all.
//    The Java/kafkajs partitioner (murmur2); librdkafka clients set partitioner=murmur2_random to match.
const kafka = new Kafka({ clientId: 'acme-order-service', brokers });
const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
try {
  const messages = await Promise.all(events.map(async (event) => ({ key: `${event.tenantId}:${event.messageId}`, value: await registry.encode(schemaId, event) })));
  const sent = await producer.send({ topic, acks: -1, messages });
  for (const event of events) process.stdout.write(`published ${event.type} ${event.messageId} (schema id ${schemaId})\n`);
  process.stdout.write(`${sent.length} partition(s) acknowledged; ingest writes them to events.valid, or to events.invalid with the reason\n`);
} finally {
  await producer.disconnect();
}
