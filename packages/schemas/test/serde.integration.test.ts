/**
 * The serde against the real registry over HTTP, and interoperability with the standard Confluent
 * tooling: bytes Stratum writes decode with @kafkajs/confluent-schema-registry and vice versa, and a
 * producer that knows nothing of Stratum's packages publishes a raw event Stratum reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { topicCatalogue, valueSubject } from '@stratum/topics';
import { confluentRegistryClient, createSerde, exampleRecords, isSchemaName, latestSchemas, type SchemaName } from '../src';
import { useEmbeddedStack } from './embedded-stack';

const stack = useEmbeddedStack();
const unique = (p: string) => `${p}-${randomBytes(5).toString('hex')}`;

it('every topic in the catalogue has a schema folder', () => {
  expect(topicCatalogue.map((t) => t.valueSchema).filter((s) => !isSchemaName(s))).toEqual([]);
});

it.each(topicCatalogue.map((t) => [t.name, t.valueSchema as SchemaName] as const))('%s: round-trips through the registry under its subject, byte-identical with the Confluent client', async (topic, name) => {
  const subject = valueSubject(topic);
  const serde = await createSerde(confluentRegistryClient(stack.registryUrl), name, subject);
  const confluent = new SchemaRegistry({ host: stack.registryUrl });
  const bytes = serde.encode(exampleRecords[name]);
  expect(await serde.decode(bytes)).toEqual(exampleRecords[name]);
  expect(await confluent.decode(bytes)).toEqual(exampleRecords[name]);
  expect((await confluent.encode(serde.schemaId, exampleRecords[name])).equals(bytes)).toBe(true);
  expect(await confluent.getLatestSchemaId(subject)).toBe(serde.schemaId);
});

it('registering the same schema again (a restarted service) reuses the id', async () => {
  const subject = unique('events.raw');
  const first = await createSerde(confluentRegistryClient(stack.registryUrl), 'events.raw', subject);
  const second = await createSerde(confluentRegistryClient(stack.registryUrl), 'events.raw', subject);
  expect(second.schemaId).toBe(first.schemaId);
});

it('a producer with only kafkajs and the Confluent registry client publishes a raw event Stratum decodes', async () => {
  const topic = unique('events.raw');
  const subject = `${topic}-value`;
  // The outside team's side: the .avsc file from schemas/, the standard client, plain kafkajs.
  const avsc = readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'events.raw', 'v1.avsc'), 'utf8');
  const theirRegistry = new SchemaRegistry({ host: stack.registryUrl });
  const { id } = await theirRegistry.register({ type: SchemaType.AVRO, schema: avsc }, { subject });
  const event = {
    tenantId: 'tn_acme',
    sourceId: 'src_backend',
    channel: 'kafka',
    messageId: 'order-svc-000981',
    type: 'track',
    receivedAt: Date.UTC(2026, 10, 24, 12),
    userId: 'u-77',
    event: 'Subscription Renewed',
    properties: JSON.stringify({ plan: 'pro', amount: 120 }),
  };
  const kafka = new Kafka({ clientId: 'outside-team', brokers: [stack.broker.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: `tn_acme:${event.messageId}`, value: await theirRegistry.encode(id, event) }] });
  await producer.disconnect();

  // Stratum's side: a consumer and the typed serde for events.raw.
  const serde = await createSerde(confluentRegistryClient(stack.registryUrl), 'events.raw', subject);
  const consumer = kafka.consumer({ groupId: unique('stratum-ingest') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const value = await new Promise<Buffer>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => resolve(message.value!) });
  });
  await consumer.disconnect();
  expect(await serde.decode(value)).toEqual({
    ...event,
    sentAt: null,
    timestamp: null,
    originalTimestamp: null,
    anonymousId: null,
    name: null,
    groupId: null,
    previousId: null,
    traits: null,
    context: null,
    integrations: null,
    schemaVersion: null,
    requestId: null,
  });
});

it('reads events a producer wrote with its own smaller compatible schema, filling defaults', async () => {
  const subject = unique('events.raw');
  const serde = await createSerde(confluentRegistryClient(stack.registryUrl), 'events.raw', subject);
  // An outside producer that only knows the fields it uses (nullable ones dropped).
  const full = JSON.parse(latestSchemas['events.raw'].schema) as { fields: Array<{ name: string; default?: unknown }> };
  const slim = { ...full, fields: full.fields.filter((f) => f.default === undefined) };
  const theirs = new SchemaRegistry({ host: stack.registryUrl });
  const { id } = await theirs.register({ type: SchemaType.AVRO, schema: JSON.stringify(slim) }, { subject });
  expect(id).not.toBe(serde.schemaId);
  const sent = { tenantId: 't', sourceId: 's', channel: 'kafka', messageId: 'm-1', type: 'identify', receivedAt: 1_700_000_000_000 };
  const decoded = await serde.decode(await theirs.encode(id, sent));
  expect(decoded).toMatchObject({ ...sent, userId: null, traits: null, requestId: null });
});

it('a service restarting against a subject an operator set to FULL still starts (look-up before register)', async () => {
  const subject = unique('events.raw');
  await createSerde(confluentRegistryClient(stack.registryUrl), 'events.raw', subject);
  const res = await fetch(`${stack.registryUrl}/config/${subject}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: 'FULL' }),
  });
  expect(res.status).toBe(200);
  const again = await createSerde(confluentRegistryClient(stack.registryUrl), 'events.raw', subject);
  expect(again.schemaId).toBeGreaterThan(0);
});

it('an unreachable registry is a retriable registry_unavailable, not a refusal', async () => {
  await expect(createSerde(confluentRegistryClient('http://127.0.0.1:1'), 'events.raw')).rejects.toMatchObject({ code: 'registry_unavailable', retriable: true });
});

it('an incompatible schema under an existing subject is a non-retriable registration_refused with the reason', async () => {
  const subject = unique('events.raw');
  await createSerde(confluentRegistryClient(stack.registryUrl), 'events.raw', subject);
  // events.valid's record cannot read events.raw data (type became an enum, new required fields).
  await expect(createSerde(confluentRegistryClient(stack.registryUrl), 'events.valid', subject)).rejects.toMatchObject({
    code: 'registration_refused',
    retriable: false,
    message: expect.stringMatching(/BACKWARD|incompatible/i),
  });
});
