/**
 * The ingest stage for real: in-process on the runtime, over the embedded broker and registry, with
 * source settings from a real PostgreSQL through the cached tenancy directory.
 */
import { createDb } from '@stratum/db';
import { sha256Hex } from '@stratum/identifiers';
import { createMetricsRegistry, createStageMetrics, silentLogger } from '@stratum/observability';
import type { InvalidEvent, RawEvent, ValidEvent } from '@stratum/schemas';
import { startStage, type RunningStage } from '@stratum/stream';
import { createTenancyDirectory, type TenancyDirectory } from '@stratum/tenancy';
import { closedPort, collectRecords, produceRecords, uniqueName, uniqueTopics, useTestPostgres, useTestStack, type CollectedRecord, type UniqueTopics } from '@stratum/testing';
import { ingestStage } from '../src/pipeline';
import { provisionTenancy, publishLikeAKafkaProducer, rawEvent, type Tenancy } from './fixtures';

jest.setTimeout(60_000);
const stack = useTestStack();
const postgres = useTestPostgres();
let tenancy: Tenancy;
const running: RunningStage[] = [];

beforeAll(async () => {
  tenancy = await provisionTenancy(postgres);
  // A stage takes seconds to leave its group (the fetch in flight runs out): stop them all at once.
  stack.onStop(async () => void (await Promise.all(running.map((s) => s.stop()))));
});
afterAll(async () => {
  await tenancy.close();
});

const TOPICS = ['events.raw', 'events.valid', 'events.invalid'];

async function runIngest(topics: UniqueTopics, directory: TenancyDirectory): Promise<RunningStage> {
  const metrics = createStageMetrics(createMetricsRegistry({ service: 'ingest-test', version: '0', processMetrics: false }), { stage: 'ingest' });
  const stage = await startStage(ingestStage({ directory }), {
    kafka: { brokers: stack.brokers, clientId: 'ingest-test' },
    registryUrl: stack.registryUrl,
    groupId: uniqueName('ingest'),
    topics: { input: topics.name('events.raw'), outputs: { valid: topics.name('events.valid'), invalid: topics.name('events.invalid') } },
    logger: silentLogger(),
    metrics,
    batchSize: 50,
    backoff: { initialMs: 50, maxMs: 200 },
  });
  running.push(stage);
  return stage;
}

const byMessageId = <T extends { messageId: string | null }>(records: CollectedRecord<T>[]) => new Map(records.map((r) => [r.value!.messageId!, r]));

it('forwards valid events, HTTP or Kafka-produced alike, and quarantines each kind of invalid one with its reason', async () => {
  const topics = await uniqueTopics(stack, TOPICS);
  const { open, strict, disabled } = tenancy;
  const good: RawEvent[] = [
    rawEvent(open, 'http-track'),
    rawEvent(open, 'http-identify', { type: 'identify', event: null, traits: JSON.stringify({ email: ' Ada@Example.com', phone: '+1 (415) 555-0132' }) }),
    rawEvent(strict, 'planned-v2', { schemaVersion: '2.0.0', properties: JSON.stringify({ order_id: 'o1', revenue: 12.5 }) }),
    rawEvent(open, 'illegal-user-id', { userId: 'null' }),
  ];
  const bad: Array<[RawEvent, string]> = [
    [rawEvent({ tenantId: open.tenantId, sourceId: 'src_nope' }, 'unknown-source'), 'unknown_source'],
    [rawEvent(disabled, 'disabled-source'), 'source_disabled'],
    [rawEvent(open, 'bad-type', { type: 'trak' }), 'invalid_type'],
    [rawEvent(open, 'no-identity', { userId: null, anonymousId: null }), 'missing_identity'],
    [rawEvent(open, 'illegal-identity', { userId: 'undefined', anonymousId: '[object Object]' }), 'illegal_identity'],
    [rawEvent(open, 'bad-json', { properties: '{"total":' }), 'invalid_json'],
    [rawEvent(open, 'bad-time', { sentAt: '24/11/2026' }), 'invalid_timestamp'],
    [rawEvent(open, 'no-name', { event: null }), 'missing_event_name'],
    [rawEvent(open, 'alias-no-previous', { type: 'alias', previousId: null }), 'missing_previous_id'],
    [rawEvent(strict, 'plan-violation', { properties: JSON.stringify({ order_id: 'o2', total: -3 }) }), 'plan_violation'],
    [rawEvent(strict, 'unplanned', { event: 'Coupon Applied' }), 'unplanned_event'],
    [rawEvent(strict, 'bad-version', { schemaVersion: 'two' }), 'invalid_schema_version'],
    [rawEvent(strict, 'unknown-version', { schemaVersion: '3.0.0', properties: JSON.stringify({ order_id: 'o3', total: 1 }) }), 'unknown_schema_version'],
  ];
  await produceRecords(stack, {
    topic: topics.name('events.raw'),
    schema: 'events.raw',
    records: [...good, ...bad.map(([e]) => e)].map((value) => ({ key: `${value.tenantId}:${value.messageId}`, value })),
  });
  // The same event as http-track, published from outside Stratum with channel kafka.
  await publishLikeAKafkaProducer(stack, topics.name('events.raw'), [rawEvent(open, 'kafka-track', { channel: 'kafka', requestId: null })]);
  const producer = stack.kafka.producer();
  await producer.connect();
  await producer.send({ topic: topics.name('events.raw'), messages: [{ key: 'garbage', value: Buffer.from('not avro') }] });
  await producer.disconnect();

  await runIngest(topics, createTenancyDirectory(tenancy.db));
  const valid = byMessageId(await collectRecords(stack, { topic: topics.name('events.valid'), schema: 'events.valid', count: good.length + 1, timeoutMs: 30_000 }));
  const invalid = await collectRecords(stack, { topic: topics.name('events.invalid'), schema: 'events.invalid', count: bad.length + 1, timeoutMs: 30_000 });

  expect([...valid.keys()].sort()).toEqual([...good.map((e) => e.messageId), 'kafka-track'].sort());
  for (const [id, record] of valid) expect(record.key).toBe(`${record.value!.tenantId}:${id}`);

  const reasons = new Map(invalid.map((r) => [r.value!.messageId ?? '(undecodable)', r.value!.reasons.map((x) => x.code)]));
  expect(Object.fromEntries(reasons)).toEqual({ ...Object.fromEntries(bad.map(([e, code]) => [e.messageId, [code]])), '(undecodable)': ['undecodable'] });
  const quarantined: InvalidEvent = byMessageId(invalid).get('plan-violation')!.value!;
  expect(quarantined).toMatchObject({ stage: 'ingest', tenantId: strict.tenantId, sourceId: strict.sourceId, reasons: [{ code: 'plan_violation', path: 'properties.total', message: expect.stringContaining('must be >= 0') }] });
  expect(JSON.parse(quarantined.valueJson!)).toMatchObject({ messageId: 'plan-violation', properties: JSON.stringify({ order_id: 'o2', total: -3 }) });
  expect(byMessageId(invalid).get('plan-violation')!.key).toBe(`${strict.tenantId}:${strict.sourceId}`);

  const http = valid.get('http-track')!.value!;
  const kafka = valid.get('kafka-track')!.value!;
  const comparable = ({ messageId: _m, channel: _c, requestId: _r, validatedAt: _v, ...rest }: ValidEvent) => rest;
  expect(kafka.channel).toBe('kafka');
  expect(comparable(kafka)).toEqual(comparable(http));
  expect(http.identifiers.map((i) => i.path)).toEqual(['userId', 'anonymousId', 'context.traits.email']);

  expect(valid.get('http-identify')!.value!.identifiers.slice(2)).toEqual([
    { type: 'email', namespace: null, value: null, valueHash: sha256Hex('ada@example.com'), path: 'traits.email' },
    { type: 'phone', namespace: null, value: null, valueHash: sha256Hex('+14155550132'), path: 'traits.phone' },
    { type: 'email', namespace: null, value: null, valueHash: sha256Hex('ada.lovelace@example.com'), path: 'context.traits.email' },
  ]);
  expect(valid.get('planned-v2')!.value!).toMatchObject({ schemaVersion: '2.0.0', properties: '{"order_id":"o1","revenue":12.5}' });
  expect(valid.get('illegal-user-id')!.value!).toMatchObject({ userId: null, identifiers: [expect.objectContaining({ type: 'anonymous_id' }), expect.objectContaining({ type: 'email' })] });
});

it("applies the tenant's PII policy: drop forwards hashes only", async () => {
  const topics = await uniqueTopics(stack, TOPICS);
  const event = rawEvent(tenancy.private, 'pii', { type: 'identify', event: null, traits: JSON.stringify({ email: 'Grace@Example.com', phone: '030 901820', plan: 'pro' }) });
  await produceRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', records: [{ key: 'k', value: event }] });
  await runIngest(topics, createTenancyDirectory(tenancy.db));
  const [record] = await collectRecords(stack, { topic: topics.name('events.valid'), schema: 'events.valid', count: 1, timeoutMs: 30_000 });
  const out = record!.value!;
  expect(JSON.parse(out.traits)).toEqual({ plan: 'pro' });
  expect(JSON.stringify(out)).not.toMatch(/@example\.com|901820|203\.0\.113\.42/i);
  expect(out.identifiers.map((i) => [i.type, i.valueHash])).toContainEqual(['phone', sha256Hex('+4930901820')]);
});

it('retries, not quarantines, while PostgreSQL is unreachable, and forwards the event once it answers', async () => {
  const topics = await uniqueTopics(stack, TOPICS);
  const down = createDb(`postgres://postgres:postgres@127.0.0.1:${await closedPort()}/stratum`);
  stack.onStop(() => down.destroy());
  const unreachable = createTenancyDirectory(down);
  const reachable = createTenancyDirectory(tenancy.db);
  let calls = 0;
  const flaky: TenancyDirectory = { ...reachable, source: (t, s) => (++calls <= 2 ? unreachable : reachable).source(t, s) };
  await produceRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', records: [{ key: 'k', value: rawEvent(tenancy.open, 'during-outage') }] });

  await runIngest(topics, flaky);
  const [record] = await collectRecords(stack, { topic: topics.name('events.valid'), schema: 'events.valid', count: 1, timeoutMs: 30_000 });
  expect(record!.value!.messageId).toBe('during-outage');
  expect(calls).toBeGreaterThanOrEqual(3);
  const offsets = await stack.admin.fetchTopicOffsets(topics.name('events.invalid'));
  expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(0);
});
