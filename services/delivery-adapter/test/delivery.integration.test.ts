/**
 * Delivery as it runs: the delivery-adapter and retry services as real processes, the embedded
 * broker over TCP, PostgreSQL over a real connection, and local mock platforms that validate and
 * deduplicate like the real ones. Each scenario has its own tenant (a tenant's events go only to
 * its own destinations), so they run against one pair of processes.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createDb, migrateToLatest, withTenant, type Db } from '@stratum/db';
import { createCredentialKeyring, createDestination, type CreateDestinationInput } from '@stratum/destinations';
import { exampleRecords, type DeadLetter, type DeliveryOutcome, type ResolvedEvent } from '@stratum/schemas';
import { provisionTenant } from '@stratum/tenancy';
import { topicCatalogue } from '@stratum/topics';
import { collectToEnd, metricsUrlFrom, MockWebhookReceiver, produceRecords, spawnTsProcess, useTestPostgres, useTestStack, waitFor, type TestDatabase, type TsProcess } from '@stratum/testing';

jest.setTimeout(180_000);
const stack = useTestStack();
const postgres = useTestPostgres();
const KEY = randomBytes(32);
const keyring = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1: KEY } });
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const DELIVERY_TOPICS = topicCatalogue.filter((t) => t.name.startsWith('delivery.') || ['events.resolved', 'events.invalid', 'consents.changes'].includes(t.name));

let database: TestDatabase;
let db: Db;
const processes: TsProcess[] = [];
const mocks: MockWebhookReceiver[] = [];

const baseEnv = () => ({
  KAFKA_BROKERS: stack.brokers.join(','),
  SCHEMA_REGISTRY_URL: stack.registryUrl,
  LOG_LEVEL: 'info',
  METRICS_PORT: '0',
  STAGE_BATCH_SIZE: '100',
  STAGE_SESSION_TIMEOUT_MS: '30000',
  DATABASE_URL: database.url,
});

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url);
  await migrateToLatest(db);
  await stack.admin.createTopics({ topics: DELIVERY_TOPICS.map((t) => ({ topic: t.name, numPartitions: Math.min(t.partitions, 3) })) });
  processes.push(
    spawnTsProcess(join(__dirname, '..', 'src', 'main.ts'), {
      ...baseEnv(),
      SERVICE_NAME: 'delivery-adapter',
      KAFKA_CLIENT_ID: 'delivery-adapter',
      STRATUM_CREDENTIALS_KEYS: `k1:${KEY.toString('base64')}`,
      DELIVERY_RETRY_DELAYS_MS: '400,800,1600',
      DELIVERY_REQUEST_TIMEOUT_MS: '1500',
      DELIVERY_LANE_BUDGET_MS: '2000',
      DELIVERY_BREAKER_VOLUME: '5',
      DELIVERY_BREAKER_WINDOW_MS: '5000',
      DELIVERY_BREAKER_RESET_MS: '1000',
      DELIVERY_DESTINATIONS_TTL_MS: '500',
      DELIVERY_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    }),
    // The retry service, as its own process (spawned, never imported: services share only topics).
    spawnTsProcess(join(__dirname, '..', '..', 'retry', 'src', 'main.ts'), { ...baseEnv(), SERVICE_NAME: 'retry', KAFKA_CLIENT_ID: 'retry', RETRY_DESTINATION_CACHE_TTL_MS: '500' }),
  );
  for (const p of processes) {
    await waitFor(() => metricsUrlFrom(p.stdout()) !== null || p.child.exitCode !== null, { timeoutMs: 60_000, what: 'a service to start' });
    if (p.child.exitCode !== null) throw new Error(`exited ${p.child.exitCode}: ${p.stderr()}`);
  }
  stack.onStop(async () => {
    for (const p of processes) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exit));
  });
});

afterAll(async () => {
  if (process.env.DELIVERY_TEST_LOGS) {
    const { writeFileSync } = await import('node:fs');
    processes.forEach((p, i) => writeFileSync(`${process.env.DELIVERY_TEST_LOGS}-${i}.log`, p.stdout() + p.stderr()));
  }
  await Promise.all(mocks.map((m) => m.stop()));
  await db.destroy();
  await database.drop();
});

async function receiver(): Promise<MockWebhookReceiver> {
  const mock = new MockWebhookReceiver({ secret: SECRET });
  await mock.start();
  mocks.push(mock);
  return mock;
}

async function tenantWith(destinations: ReadonlyArray<{ name: string; url: string; extra?: Partial<CreateDestinationInput> }>): Promise<{ tenantId: string; ids: string[] }> {
  const { tenantId } = await provisionTenant(db, { name: `t-${randomBytes(4).toString('hex')}` });
  const ids: string[] = [];
  for (const d of destinations) {
    const created = await createDestination(db, keyring, tenantId, { name: d.name, type: 'webhook', settings: { url: d.url }, credentials: { secrets: [SECRET] }, ...d.extra });
    ids.push(created.destinationId);
  }
  // The adapter sees new destinations when its cache refreshes (DELIVERY_DESTINATIONS_TTL_MS, 500
  // here): events resolved before that are not for them, as in production.
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  return { tenantId, ids };
}

function events(tenantId: string, count: number, profileOf: (i: number) => string = (i) => `prof_${i % 7}`): ResolvedEvent[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    ...exampleRecords['events.resolved'],
    tenantId,
    messageId: `${tenantId}-m${String(i).padStart(5, '0')}`,
    profileId: profileOf(i),
    timestamp: now - 1000 + i,
    receivedAt: now,
  }));
}

async function publish(list: readonly ResolvedEvent[]): Promise<void> {
  for (let i = 0; i < list.length; i += 500) {
    await produceRecords(stack, { topic: 'events.resolved', schema: 'events.resolved', records: list.slice(i, i + 500).map((value) => ({ key: `${value.tenantId}:${value.profileId}`, value })) });
  }
}

const messageIdsAt = (mock: MockWebhookReceiver) => mock.recording.events.map((e) => (e.payload as { data: { messageId: string } }).data.messageId);

async function outcomesOf(tenantId: string): Promise<DeliveryOutcome[]> {
  const records = await collectToEnd(stack, { topic: 'delivery.outcomes', schema: 'delivery.outcomes' });
  return records.flatMap((r) => (r.value === null ? [] : [r.value as DeliveryOutcome])).filter((o) => o.tenantId === tenantId);
}

async function metricsText(): Promise<string> {
  return (await fetch(metricsUrlFrom(processes[0]!.stdout())!)).text();
}

it('delivers every event once to each destination; one failing for a while gets them all once after it recovers, the breaker opens and half-opens, and the healthy one is not held back', async () => {
  const [healthy, failing] = [await receiver(), await receiver()];
  const { tenantId } = await tenantWith([
    { name: 'healthy', url: `${healthy.url}/hook` },
    { name: 'failing', url: `${failing.url}/hook` },
  ]);
  const outageMs = 4_000;
  failing.faults.failFor(outageMs, 503);
  const started = Date.now();
  const list = events(tenantId, 300);
  await publish(list);

  await waitFor(() => healthy.recording.events.length >= list.length, { timeoutMs: 60_000, what: 'the healthy destination to get everything' });
  const healthyDoneAfter = Date.now() - started;
  // The healthy destination finished while the other was still down: nothing waited on it.
  expect(healthyDoneAfter).toBeLessThan(outageMs);

  await waitFor(() => failing.recording.events.length >= list.length, { timeoutMs: 90_000, what: 'the failing destination to recover and get everything' });
  const expected = list.map((e) => e.messageId).sort();
  expect([...messageIdsAt(healthy)].sort()).toEqual(expected);
  expect([...messageIdsAt(failing)].sort()).toEqual(expected);
  expect({ healthy: healthy.recording.duplicates.length, failing: failing.recording.duplicates.length }).toEqual({ healthy: 0, failing: 0 });
  expect(failing.recording.faulted.length).toBeGreaterThan(0);

  const metrics = await metricsText();
  expect(metrics).toMatch(/stratum_delivery_breaker_transitions_total\{[^}]*state="open"[^}]*\} [1-9]/);
  expect(metrics).toMatch(/stratum_delivery_breaker_transitions_total\{[^}]*state="half_open"[^}]*\} [1-9]/);
  const outcomes = await outcomesOf(tenantId);
  // A chunk abandoned in a rebalance after its requests were accepted is replayed: the ledger then
  // answers already_delivered instead of delivered. Either way, each event once per destination.
  const done = outcomes.filter((o) => o.status === 'delivered' || o.reason === 'already_delivered');
  expect(new Set(done.map((o) => `${o.destinationId}/${o.messageId}`)).size).toBe(2 * list.length);
  expect(outcomes.filter((o) => o.status === 'delivered')).toHaveLength(2 * list.length - outcomes.filter((o) => o.reason === 'already_delivered').length);
  expect(outcomes.some((o) => o.status === 'retrying' && o.reason === 'circuit_open')).toBe(true);
});

it('honours Retry-After: the next attempt comes no earlier than the platform asked', async () => {
  const mock = await receiver();
  const { tenantId } = await tenantWith([{ name: 'limited', url: `${mock.url}/hook` }]);
  mock.faults.rateLimitNext(1, 3);
  await publish(events(tenantId, 1));
  await waitFor(() => mock.recording.events.length === 1, { timeoutMs: 30_000, what: 'the retried delivery' });
  const [refused, accepted] = [mock.recording.faulted[0]!, mock.recording.accepted[0]!];
  expect(accepted.receivedAt - refused.request.receivedAt).toBeGreaterThanOrEqual(3_000);
});

it('dead-letters a permanent 4xx at once with the platform reason, and a failing event after its last attempt; stratum dlq replay then delivers each once, and replaying again delivers nothing twice', async () => {
  const [refusing, down] = [await receiver(), await receiver()];
  const { tenantId, ids } = await tenantWith([
    { name: 'refusing', url: `${refusing.url}/hook` },
    { name: 'down', url: `${down.url}/hook`, extra: { deliveryPolicy: { maxAttempts: 3 } } },
  ]);
  refusing.faults.failNext(1, 422);
  down.faults.failFor(60_000, 500);
  await publish(events(tenantId, 1));
  // Read from the DLQ index the retry service fills from delivery.dlq (what `stratum dlq list` shows).
  type Row = { destination_id: string; reason: string; attempts: number; last_error: DeadLetter['lastError'] };
  let letters: Row[] = [];
  await waitFor(
    async () => {
      letters = await withTenant(db, tenantId, (trx) => trx('delivery_dead_letters').select<Row[]>('destination_id', 'reason', 'attempts', 'last_error'));
      return letters.length >= 2;
    },
    { timeoutMs: 60_000, what: 'two dead letters' },
  );
  const byDestination = new Map(letters.map((d) => [d.destination_id, d]));
  expect(byDestination.get(ids[0]!)).toMatchObject({ reason: 'invalid_event', attempts: 1, last_error: { code: 'invalid_payload', httpStatus: 422 } });
  expect(byDestination.get(ids[1]!)).toMatchObject({ reason: 'attempts_exhausted', attempts: 3, last_error: { code: 'http_5xx', httpStatus: 500 } });
  expect(down.recording.faulted).toHaveLength(3);
  down.faults.recover();

  // The operator replays them with the real CLI: each destination now gets the event exactly once,
  // and a second replay of the same dead letters delivers nothing again (same idempotency keys).
  const messageId = (await outcomesOf(tenantId))[0]!.messageId;
  const replay = async () => {
    const cli = spawnTsProcess(join(__dirname, '..', '..', '..', 'packages', 'cli', 'src', 'main.ts'), {}, {
      args: ['dlq', 'replay', '--tenant', tenantId, '--json', '--database-url', database.url, '--brokers', stack.brokers.join(','), '--registry-url', stack.registryUrl],
    });
    expect(await cli.exit).toBe(0);
    return JSON.parse(cli.stdout()) as { replayed: number };
  };
  expect((await replay()).replayed).toBe(2);
  await waitFor(() => refusing.recording.events.length === 1 && down.recording.events.length === 1, { timeoutMs: 30_000, what: 'the replayed dead letters to be delivered' });
  expect([...messageIdsAt(refusing), ...messageIdsAt(down)]).toEqual([messageId, messageId]);

  expect((await replay()).replayed).toBe(2);
  await waitFor(async () => (await outcomesOf(tenantId)).filter((o) => o.reason === 'already_delivered').length === 2, { timeoutMs: 30_000, what: 'the second replay to be recognised as delivered' });
  expect({ refusing: refusing.recording.requests.length - refusing.recording.faulted.length, down: down.recording.requests.length - down.recording.faulted.length }).toEqual({ refusing: 1, down: 1 });
  const replayed = await withTenant(db, tenantId, (trx) => trx('delivery_dead_letters').select<Array<{ replay_count: number }>>('replay_count'));
  expect(replayed.map((r) => r.replay_count)).toEqual([2, 2]);
});

it('sends nothing twice when the same events come again (a replayed chunk): the ledger answers', async () => {
  const mock = await receiver();
  const { tenantId } = await tenantWith([{ name: 'once', url: `${mock.url}/hook` }]);
  const list = events(tenantId, 50);
  await publish(list);
  await waitFor(() => mock.recording.events.length === 50, { timeoutMs: 30_000, what: 'the first delivery' });
  await publish(list);
  await waitFor(async () => (await outcomesOf(tenantId)).filter((o) => o.reason === 'already_delivered').length === 50, { timeoutMs: 30_000, what: 'the repeats to be recognised' });
  expect(mock.recording.requests).toHaveLength(50);
});

it('keeps per-key order for an ordered destination: only the failed profile waits, the others go on', async () => {
  const mock = await receiver();
  const { tenantId } = await tenantWith([{ name: 'crm', url: `${mock.url}/hook`, extra: { deliveryPolicy: { ordering: 'per_key' } } }]);
  mock.faults.failNext(1, 503);
  // Profile A's three events first (its first fails), then, while A0 waits for its retry, profile B's two.
  const list = events(tenantId, 5, (i) => (i < 3 ? 'prof_a' : 'prof_b'));
  await publish(list.slice(0, 3));
  await waitFor(() => mock.recording.faulted.length === 1, { timeoutMs: 30_000, what: "A0's failed first attempt" });
  await publish(list.slice(3));
  await waitFor(() => mock.recording.events.length === 5, { timeoutMs: 30_000, what: 'all five delivered' }).catch(async (err: unknown) => {
    throw new Error(`${String(err)}; outcomes: ${JSON.stringify((await outcomesOf(tenantId)).map((o) => [o.messageId.slice(-3), o.attempt, o.status, o.reason]))}`);
  });
  const order = mock.recording.events.map((e) => (e.payload as { data: { messageId: string } }).data.messageId);
  const [a0, a1, a2, b0, b1] = list.map((e) => e.messageId);
  expect(order.filter((id) => [a0, a1, a2].includes(id))).toEqual([a0, a1, a2]);
  // B did not wait for A's retry.
  expect(order.indexOf(b0!)).toBeLessThan(order.indexOf(a0!));
  expect(order.indexOf(b1!)).toBeLessThan(order.indexOf(a0!));
  // The queue row of the last delivery goes once its outcome is committed, which can be just after the platform saw the request.
  const queued = async () => Number((await withTenant(db, tenantId, (trx) => trx('delivery_order_queue').count<Array<{ count: string }>>('* as count')))[0]!.count);
  await waitFor(async () => (await queued()) === 0, { timeoutMs: 10_000, what: 'the ordered queue to empty' });
  expect(await queued()).toBe(0);
});

it('re-checks consent at every attempt: a revocation while a retry waits stops it', async () => {
  const mock = await receiver();
  const { tenantId } = await tenantWith([{ name: 'ads', url: `${mock.url}/hook`, extra: { filters: { consentPurpose: 'marketing' } } }]);
  const profileId = 'prof_consent';
  await withTenant(db, tenantId, async (trx) => {
    await trx('profiles').insert({ tenant_id: tenantId, id: profileId, first_seen_at: new Date(), last_seen_at: new Date() });
    await trx('consents').insert({ tenant_id: tenantId, profile_id: profileId, purpose: 'marketing', status: 'granted', source: 'api', effective_at: new Date(Date.now() - 60_000) });
  });
  mock.faults.failNext(1, 503);
  const [event] = events(tenantId, 1, () => profileId);
  await publish([{ ...event!, consents: [{ purpose: 'marketing', granted: true, updatedAt: Date.now() - 60_000 }] }]);
  await waitFor(() => mock.recording.faulted.length === 1, { timeoutMs: 30_000, what: 'the first, failed attempt' });
  await withTenant(db, tenantId, (trx) => trx('consents').insert({ tenant_id: tenantId, profile_id: profileId, purpose: 'marketing', status: 'withdrawn', source: 'api', effective_at: new Date() }));
  await waitFor(async () => (await outcomesOf(tenantId)).some((o) => o.reason === 'consent_revoked'), { timeoutMs: 30_000, what: 'the retry to be stopped' });
  expect(mock.recording.events).toHaveLength(0);
});
