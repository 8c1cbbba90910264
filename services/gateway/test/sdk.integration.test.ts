/**
 * Segment's and RudderStack's node SDKs, configured with nothing but the gateway's URL and a
 * write key, against the real thing: the gateway process (src/main.ts) on the embedded broker and
 * registry, with tenants provisioned in PostgreSQL. Every call they make must arrive on the raw
 * topic under the tenant the write key belongs to, with the SDK's own messageId.
 */
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import type { RawEvent } from '@stratum/schemas';
import { provisionTenant, type ProvisionedTenant } from '@stratum/tenancy';
import { collectRecords, uniqueName, uniqueTopics, useTestPostgres, useTestStack, type UniqueTopics } from '@stratum/testing';
import { startGatewayProcess, type GatewayProcess } from './gateway-process';

jest.setTimeout(60_000);
const stack = useTestStack();
const postgres = useTestPostgres();

let db: Db;
let topics: UniqueTopics;
let gateway: GatewayProcess;
let segmentTenant: ProvisionedTenant;
let rudderTenant: ProvisionedTenant;

beforeAll(async () => {
  topics = await uniqueTopics(stack, ['events.raw']);
  const database = await postgres.newDatabase();
  db = createDb(database.url);
  await migrateToLatest(db);
  segmentTenant = await provisionTenant(db, { name: uniqueName('segment-shop') });
  rudderTenant = await provisionTenant(db, { name: uniqueName('rudder-shop') });
  gateway = await startGatewayProcess({
    KAFKA_BROKERS: stack.brokers.join(','),
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    DATABASE_URL: database.url,
    GATEWAY_RAW_TOPIC: topics.name('events.raw'),
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await db?.destroy();
});

/** Records on the raw topic with these messageIds (waits until all are there). */
async function arrived(messageIds: readonly string[]): Promise<Map<string, RawEvent>> {
  const wanted = new Set(messageIds);
  const records = await collectRecords(stack, {
    topic: topics.name('events.raw'),
    schema: 'events.raw',
    until: (rs) => messageIds.every((id) => rs.some((r) => r.value?.messageId === id)),
    timeoutMs: 30_000,
  });
  return new Map(records.filter((r) => wanted.has(r.value!.messageId)).map((r) => [r.value!.messageId, r.value!]));
}

it('delivers every call of @segment/analytics-node, batched, to the tenant of its write key', async () => {
  const analytics = new SegmentAnalytics({ writeKey: segmentTenant.writeKey!, host: gateway.url(), flushAt: 4, maxRetries: 2 });
  const sent: { messageId: string; type: string }[] = [];
  const remember = (type: string) => (err: unknown, ctx?: { event: { messageId?: string | undefined } }) => {
    if (err) throw err;
    sent.push({ messageId: ctx!.event.messageId!, type });
  };
  analytics.identify({ userId: 'seg-user-1', traits: { email: 'ada@example.com', plan: 'pro' } }, remember('identify'));
  analytics.track({ userId: 'seg-user-1', event: 'Order Completed', properties: { total: 99.5, currency: 'EUR' } }, remember('track'));
  analytics.page({ userId: 'seg-user-1', name: 'Checkout', properties: { path: '/checkout' } }, remember('page'));
  analytics.alias({ userId: 'seg-user-1', previousId: 'seg-anon-1' }, remember('alias'));
  analytics.group({ userId: 'seg-user-1', groupId: 'seg-company-1', traits: { employees: 12 } }, remember('group'));
  analytics.screen({ userId: 'seg-user-1', name: 'Home' }, remember('screen'));
  await analytics.closeAndFlush({ timeout: 20_000 });
  expect(sent.map((s) => s.type).sort()).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track']);

  const events = await arrived(sent.map((s) => s.messageId));
  for (const { messageId, type } of sent) {
    expect(events.get(messageId)).toMatchObject({ tenantId: segmentTenant.tenantId, sourceId: segmentTenant.sourceId, channel: 'http', type, userId: 'seg-user-1' });
    expect(JSON.parse(events.get(messageId)!.context!)).toMatchObject({ library: { name: '@segment/analytics-node' } });
  }
  const track = [...events.values()].find((e) => e.type === 'track')!;
  expect(track).toMatchObject({ event: 'Order Completed' });
  expect(JSON.parse(track.properties!)).toEqual({ total: 99.5, currency: 'EUR' });
  expect([...events.values()].find((e) => e.type === 'alias')).toMatchObject({ previousId: 'seg-anon-1' });
  // The SDK stamps sentAt on the batch; every event carries it.
  expect([...events.values()].every((e) => typeof e.sentAt === 'string' && !Number.isNaN(Date.parse(e.sentAt)))).toBe(true);
});

it('delivers every call of @rudderstack/rudder-sdk-node (gzip bodies, its default) to the tenant of its write key', async () => {
  const client = new RudderAnalytics(rudderTenant.writeKey!, { dataPlaneUrl: gateway.url(), flushAt: 20, flushInterval: 60_000, logLevel: 'error', retryCount: 0 });
  const calls = [
    { type: 'identify', message: { userId: 'rs-user-1', traits: { email: 'bob@example.com' } } },
    { type: 'track', message: { userId: 'rs-user-1', event: 'Product Viewed', properties: { sku: 'SKU-1' } } },
    { type: 'page', message: { anonymousId: 'rs-anon-1', name: 'Pricing', properties: { path: '/pricing' } } },
    { type: 'alias', message: { userId: 'rs-user-1', previousId: 'rs-anon-1' } },
    { type: 'group', message: { userId: 'rs-user-1', groupId: 'rs-co-1' } },
    { type: 'screen', message: { userId: 'rs-user-1', name: 'Settings' } },
  ] as const;
  // Watch what the SDK puts on the wire: it is the gzip path (its default) that is under test.
  const encodings: unknown[] = [];
  type Interceptable = { axiosInstance: { interceptors: { request: { use(fn: (config: { headers: Record<string, unknown> }) => unknown): void } } } };
  (client as unknown as Interceptable).axiosInstance.interceptors.request.use((config) => {
    encodings.push(config.headers['Content-Encoding']);
    return config;
  });
  const messageIds: string[] = [];
  for (const { type, message } of calls) {
    const withId = { ...message, messageId: uniqueName(`rs-${type}`) };
    messageIds.push(withId.messageId);
    (client[type] as (m: object) => unknown).call(client, withId);
  }
  await client.flush();
  expect(encodings.length).toBeGreaterThan(0);
  expect(new Set(encodings)).toEqual(new Set(['gzip']));

  const events = await arrived(messageIds);
  calls.forEach(({ type }, i) => {
    expect(events.get(messageIds[i]!)).toMatchObject({ tenantId: rudderTenant.tenantId, sourceId: rudderTenant.sourceId, channel: 'http', type });
    expect(JSON.parse(events.get(messageIds[i]!)!.context!)).toMatchObject({ library: { name: 'analytics-node' } });
  });
  expect(events.get(messageIds[1]!)).toMatchObject({ event: 'Product Viewed', userId: 'rs-user-1' });
  expect(events.get(messageIds[2]!)).toMatchObject({ anonymousId: 'rs-anon-1', name: 'Pricing', userId: null });
});

it('answers an SDK with an unknown write key 401, which it reports as a failed delivery (no retry)', async () => {
  const failures: unknown[] = [];
  const statuses: number[] = [];
  const analytics = new SegmentAnalytics({ writeKey: 'wk_not_provisioned_anywhere', host: gateway.url(), flushAt: 1, maxRetries: 3 });
  analytics.on('error', (err) => failures.push(err));
  analytics.on('http_response', (response) => statuses.push(response.status));
  analytics.track({ userId: 'x', event: 'Nope' });
  await analytics.closeAndFlush({ timeout: 10_000 });
  expect(statuses).toEqual([401]);
  expect(failures).toHaveLength(1);
  expect(failures[0]).toMatchObject({ code: 'delivery_failure' });
});

it('stops on SIGTERM with exit code 0', async () => {
  expect(await gateway.stop()).toBe(0);
  expect(gateway.stdout()).toContain('"msg":"gateway stopped"');
});
