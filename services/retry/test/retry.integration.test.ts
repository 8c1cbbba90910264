/**
 * The retry service as main.ts runs it — its three stages in one process (runStagesProcess), the
 * embedded broker over TCP, PostgreSQL over a real connection — against test copies of the
 * catalogue topics. Records go into the tiers as the delivery-adapter writes them; what comes out
 * of delivery.attempts, delivery.outcomes and delivery.dlq, and what lands in PostgreSQL, is
 * checked per record.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@stratum/config';
import { createDb, migrateToLatest, withTenant, type Db } from '@stratum/db';
import { enqueueAttempt, indexDeadLetters, queuedAttempts } from '@stratum/delivery';
import { createDestination, disableDestination, type CreateDestinationInput } from '@stratum/destinations';
import { createMetricsRegistry } from '@stratum/observability';
import { exampleRecords, type ConsentChange, type DeadLetter, type DeliveryAttempt, type DeliveryOutcome } from '@stratum/schemas';
import { runStagesProcess, type StageProcess } from '@stratum/stream';
import { provisionTenant } from '@stratum/tenancy';
import {
  collectRecords,
  collectToEnd,
  produceRecords,
  uniqueName,
  uniqueTopics,
  useTestPostgres,
  useTestStack,
  waitFor,
  type CollectedRecord,
  type TestDatabase,
  type UniqueTopics,
} from '@stratum/testing';
import { retryConfig, retryTiers, stageGroups } from '../src/config';
import { createDestinationCache, listFromDb } from '../src/destination-cache';
import { promRetryMetrics } from '../src/metrics';
import { consentPurgeStage, dlqIndexStage, retryStage } from '../src/pipeline';
import { profilesFromDb } from '../src/steps/look-up-state';

jest.setTimeout(120_000);
const stack = useTestStack();
const postgres = useTestPostgres();
const HOUR = 3_600_000;

let database: TestDatabase;
let db: Db;
let topics: UniqueTopics;
let service: StageProcess;
let tenantId: string;

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url);
  await migrateToLatest(db);
  tenantId = (await provisionTenant(db, { name: uniqueName('retry') })).tenantId;
  topics = await uniqueTopics(stack, ['delivery.retry.30s', 'delivery.retry.5m', 'delivery.retry.1h', 'delivery.attempts', 'delivery.outcomes', 'delivery.dlq', 'consents.changes']);
  service = await startRetryService();
  // A stage takes seconds to leave its group: stop it with the stack, before the topics go.
  stack.onStop(() => service.stop());
  await waitFor(async () => (await fetch(service.metricsUrl.replace('/metrics', '/readyz'))).ok, { timeoutMs: 60_000, what: 'the three stages to join their groups' });
});
afterAll(async () => {
  await service?.stop();
  await db?.destroy();
  await database?.drop();
});

/** main.ts's wiring, with the test's topics and database, and no process.exit. */
async function startRetryService(): Promise<StageProcess> {
  const config = loadConfig(retryConfig, {
    KAFKA_BROKERS: stack.brokers.join(','),
    KAFKA_CLIENT_ID: 'retry-test',
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    SERVICE_NAME: 'retry',
    LOG_LEVEL: 'error',
    METRICS_PORT: '0',
    STAGE_GROUP_ID: uniqueName('retry'),
    DATABASE_URL: database.url,
    RETRY_TIER_TOPICS: ['delivery.retry.30s', 'delivery.retry.5m', 'delivery.retry.1h'].map((t) => topics.name(t)).join(','),
    RETRY_ATTEMPTS_TOPIC: topics.name('delivery.attempts'),
    RETRY_OUTCOMES_TOPIC: topics.name('delivery.outcomes'),
    RETRY_DLQ_TOPIC: topics.name('delivery.dlq'),
    RETRY_CONSENTS_TOPIC: topics.name('consents.changes'),
  });
  const tiers = retryTiers(config);
  const labels = new Map(tiers.map((t) => [t.topic, t.label]));
  const registry = createMetricsRegistry({ service: 'retry-test', version: '0', processMetrics: false });
  const metrics = promRetryMetrics(registry, tiers.map((t) => t.label));
  const destinations = createDestinationCache(listFromDb(db), { ttlMs: config.RETRY_DESTINATION_CACHE_TTL_MS });
  const groups = stageGroups(config);
  return runStagesProcess(
    [
      {
        stage: retryStage({ destinations, readProfiles: profilesFromDb(db), defaults: { maxAttempts: 8, maxAgeSeconds: 4 * 3600 }, tierOf: (t) => labels.get(t) ?? 'unknown', metrics }),
        topics: { input: tiers.map((t) => t.topic), outputs: { attempts: config.RETRY_ATTEMPTS_TOPIC, outcomes: config.RETRY_OUTCOMES_TOPIC, dlq: config.RETRY_DLQ_TOPIC } },
        groupId: groups.retry,
      },
      { stage: dlqIndexStage({ db, indexDeadLetters, metrics }), topics: { input: config.RETRY_DLQ_TOPIC, outputs: {} }, groupId: groups.dlqIndex },
      { stage: consentPurgeStage({ db, destinations, metrics }), topics: { input: config.RETRY_CONSENTS_TOPIC, outputs: {} }, groupId: groups.consentPurge },
    ],
    config,
    { registry },
    () => undefined,
  );
}

// --- fixtures --------------------------------------------------------------------------------

async function newDestination(input: Omit<CreateDestinationInput, 'name'>): Promise<string> {
  return (await createDestination(db, null, tenantId, { name: uniqueName(input.type), ...input })).destinationId;
}

/** A profile row, with its consent history (oldest first). */
async function newProfile(consents: Array<{ purpose: string; status: 'granted' | 'denied' | 'withdrawn'; at: number }> = []): Promise<string> {
  const id = uniqueName('prof');
  await withTenant(db, tenantId, async (trx) => {
    await trx('profiles').insert({ tenant_id: tenantId, id, first_seen_at: new Date(Date.now() - HOUR), last_seen_at: new Date() });
    for (const c of consents) await trx('consents').insert({ tenant_id: tenantId, profile_id: id, purpose: c.purpose, status: c.status, source: 'api', effective_at: new Date(c.at) });
  });
  return id;
}

/** Attempt `n` of an event, failed and waiting in a tier, as the adapter writes it. */
function failedAttempt(destinationId: string, destinationType: string, profileId: string, over: Partial<DeliveryAttempt> = {}): DeliveryAttempt {
  const base = exampleRecords['delivery.attempts'];
  const messageId = uniqueName('msg');
  return {
    ...base,
    tenantId,
    destinationId,
    destinationType,
    profileId,
    messageId,
    attempt: 2,
    notBefore: Date.now() - 1_000,
    firstAttemptAt: Date.now() - 60_000,
    event: { ...base.event, tenantId, messageId, profileId },
    ...over,
  };
}

const keyOf = (a: { tenantId: string; destinationId: string; profileId: string }) => `${a.tenantId}:${a.destinationId}:${a.profileId}`;

async function intoTier(tier: 'delivery.retry.30s' | 'delivery.retry.5m' | 'delivery.retry.1h', attempts: DeliveryAttempt[]): Promise<void> {
  const topic = topics.name(tier);
  await produceRecords(stack, { topic, schema: 'delivery.attempts', subject: `${topic}-value`, records: attempts.map((value) => ({ key: keyOf(value), value })) });
}

/** The first record of `topic` about `messageId`, waiting for it. */
async function recordFor<K extends 'delivery.attempts' | 'delivery.outcomes' | 'delivery.dlq'>(schema: K, messageId: string, timeoutMs = 30_000) {
  const got = await collectRecords(stack, { topic: topics.name(schema), schema, subject: `${topics.name(schema)}-value`, timeoutMs, until: (rs) => rs.some((r) => r.value?.messageId === messageId) });
  return got.find((r) => r.value?.messageId === messageId)!;
}

/** Every forwarded attempt of `messageId`. (collectToEnd writes end markers: never point it at a topic a stage reads.) */
async function forwardedOf(messageId: string) {
  const all = await collectToEnd(stack, { topic: topics.name('delivery.attempts'), schema: 'delivery.attempts' });
  return all.filter((r) => r.value?.messageId === messageId);
}

/** Whether /metrics has a sample of `name` with all of `labels` and a value of at least `min`. */
async function hasSample(name: string, labels: Record<string, string>, min = 1): Promise<boolean> {
  const text = await (await fetch(service.metricsUrl)).text();
  return text.split('\n').some((line) => {
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) return false;
    return Object.entries(labels).every(([k, v]) => (match[2] ?? '').includes(`${k}="${v}"`)) && Number(match[3]) >= min;
  });
}

// --- the retry stage -------------------------------------------------------------------------

it('forwards a record only once it is due, as attempt N+1 under the same key', async () => {
  const webhook = await newDestination({ type: 'webhook', settings: { url: 'https://example.com/hook' } });
  const profileId = await newProfile();
  const soon = failedAttempt(webhook, 'webhook', profileId, { notBefore: Date.now() + 300 });
  const later = failedAttempt(webhook, 'webhook', profileId, { notBefore: Date.now() + 1_500, attempt: 3 });
  await intoTier('delivery.retry.30s', [soon]);
  await intoTier('delivery.retry.5m', [later]);

  for (const sent of [soon, later]) {
    const out = (await recordFor('delivery.attempts', sent.messageId)) as CollectedRecord<DeliveryAttempt>;
    expect(out.value).toEqual({ ...sent, attempt: sent.attempt + 1 });
    expect(out.key).toBe(keyOf(sent));
    // Written at or after notBefore. Not much later either: a resumed partition is fetched again
    // once the consumer's fetch in flight returns, which on idle topics is kafkajs's 5 s long poll.
    const writtenAt = Number(out.timestamp);
    expect(writtenAt).toBeGreaterThanOrEqual(sent.notBefore);
    expect(writtenAt - sent.notBefore).toBeLessThan(8_000);
  }
  // It did wait: the partitions paused for it rather than reading it late.
  expect(await hasSample('stratum_stage_retries_total', { stage: 'retry', reason: 'not_due' })).toBe(true);
  expect(await hasSample('stratum_retry_decisions_total', { tier: '5min', decision: 'forwarded', reason: 'due' })).toBe(true);
  expect(await forwardedOf(soon.messageId)).toHaveLength(1);
});

it('skips a retry whose consent was revoked before it was due, and forwards nothing', async () => {
  const meta = await newDestination({ type: 'meta_capi', filters: { consentPurpose: 'advertising' } });
  const profileId = await newProfile([{ purpose: 'advertising', status: 'granted', at: Date.now() - HOUR }]);
  const sent = failedAttempt(meta, 'meta_capi', profileId, { notBefore: Date.now() + 800 });
  await intoTier('delivery.retry.30s', [sent]);
  // The person withdraws while the retry waits in its tier.
  await withTenant(db, tenantId, (trx) => trx('consents').insert({ tenant_id: tenantId, profile_id: profileId, purpose: 'advertising', status: 'withdrawn', source: 'api', effective_at: new Date() }));

  const outcome = (await recordFor('delivery.outcomes', sent.messageId)) as CollectedRecord<DeliveryOutcome>;
  expect(outcome.value).toMatchObject({ status: 'skipped', reason: 'consent_revoked', attempt: sent.attempt + 1, destinationId: meta, profileId });
  expect(outcome.key).toBe(keyOf(sent));
  expect(await forwardedOf(sent.messageId)).toEqual([]);
});

it('skips a retry for a disabled or deleted destination', async () => {
  const webhook = await newDestination({ type: 'webhook', settings: { url: 'https://example.com/hook' } });
  await disableDestination(db, tenantId, webhook);
  const profileId = await newProfile();
  const disabled = failedAttempt(webhook, 'webhook', profileId);
  const gone = failedAttempt('dst_deleted', 'webhook', profileId);
  await intoTier('delivery.retry.1h', [disabled, gone]);
  for (const sent of [disabled, gone]) {
    expect((await recordFor('delivery.outcomes', sent.messageId)).value).toMatchObject({ status: 'skipped', reason: 'destination_disabled', destinationId: sent.destinationId });
    expect(await forwardedOf(sent.messageId)).toEqual([]);
  }
});

it('dead-letters a record past its max age (and the index gets it), but forwards one of an ordered destination', async () => {
  const webhook = await newDestination({ type: 'webhook', settings: { url: 'https://example.com/hook' } });
  const pipedrive = await newDestination({ type: 'pipedrive' });
  const profileId = await newProfile();
  const old = failedAttempt(webhook, 'webhook', profileId, { attempt: 5, firstAttemptAt: Date.now() - 5 * HOUR });
  const oldOrdered = failedAttempt(pipedrive, 'pipedrive', profileId, { attempt: 5, firstAttemptAt: Date.now() - 5 * HOUR });
  await intoTier('delivery.retry.1h', [old, oldOrdered]);

  const letter = (await recordFor('delivery.dlq', old.messageId)) as CollectedRecord<DeadLetter>;
  expect(letter.key).toBe(keyOf(old));
  expect(letter.value).toEqual({
    dlqId: expect.any(String),
    tenantId,
    destinationId: webhook,
    destinationType: 'webhook',
    messageId: old.messageId,
    profileId,
    attempts: 5,
    firstAttemptAt: old.firstAttemptAt,
    lastAttemptAt: expect.any(Number),
    deadLetteredAt: expect.any(Number),
    reason: 'max_age_exceeded',
    lastError: old.lastError,
    originTopic: topics.name('delivery.retry.1h'),
    event: old.event,
  });
  expect((await recordFor('delivery.outcomes', old.messageId)).value).toMatchObject({ status: 'dead_lettered', reason: 'max_age_exceeded', attempt: 5 });
  expect(await forwardedOf(old.messageId)).toEqual([]);
  expect((await recordFor('delivery.attempts', oldOrdered.messageId)).value).toEqual({ ...oldOrdered, attempt: 6 });

  // The dlq-index stage reads what the retry stage dead-lettered.
  await waitFor(async () => (await deadLetterRows(letter.value!.dlqId)) === 1, { timeoutMs: 30_000, what: 'the dead letter in the index' });
});

// --- dlq-index -------------------------------------------------------------------------------

const deadLetterRows = async (dlqId: string) => Number((await db.raw<{ rows: Array<{ n: string }> }>('SELECT count(*) AS n FROM delivery_dead_letters WHERE dlq_id = ?', [dlqId])).rows[0]!.n);

it('indexes a dead letter once, even when the topic has it twice, and passes over one it cannot index', async () => {
  const base = exampleRecords['delivery.dlq'];
  const letter = (): DeadLetter => ({ ...base, dlqId: randomUUID(), tenantId, event: { ...base.event, tenantId } });
  const twice = letter();
  const neighbour = letter();
  const marker = letter();
  const produce = (...ls: DeadLetter[]) =>
    produceRecords(stack, { topic: topics.name('delivery.dlq'), schema: 'delivery.dlq', subject: `${topics.name('delivery.dlq')}-value`, records: ls.map((l) => ({ key: keyOf(l), value: l, partition: 0 })) });
  await produce(twice);
  // The copy, in one chunk with a letter the index refuses (a producer bug) and a good one.
  await produce(twice, { ...letter(), dlqId: 'not-a-uuid' }, neighbour);
  await produce(marker);
  // One partition, in order: once the marker is indexed, everything before it was read.
  await waitFor(async () => (await deadLetterRows(marker.dlqId)) === 1, { timeoutMs: 30_000, what: 'the marker letter in the index' });
  expect([await deadLetterRows(twice.dlqId), await deadLetterRows(neighbour.dlqId)]).toEqual([1, 1]);
  expect(await hasSample('stratum_retry_dead_letters_indexed_total', { result: 'already_indexed' })).toBe(true);
  expect(await hasSample('stratum_retry_dead_letters_indexed_total', { result: 'invalid' })).toBe(true);
  expect(await hasSample('stratum_stage_records_out_total', { stage: 'dlq-index', outcome: 'drop', reason: 'invalid_dead_letter' })).toBe(true);
});

// --- consent-purge ---------------------------------------------------------------------------

it("removes a profile's queued attempts when it withdraws a purpose a destination needs, and only then", async () => {
  const pipedrive = await newDestination({ type: 'pipedrive', filters: { consentPurpose: 'marketing' } });
  const withdrawing = await newProfile([{ purpose: 'marketing', status: 'granted', at: Date.now() - HOUR }]);
  const staying = await newProfile([{ purpose: 'marketing', status: 'granted', at: Date.now() - HOUR }]);
  await withTenant(db, tenantId, async (trx) => {
    for (const profileId of [withdrawing, withdrawing, staying]) {
      await enqueueAttempt(trx, tenantId, { destinationId: pipedrive, key: profileId }, failedAttempt(pipedrive, 'pipedrive', profileId));
    }
  });
  const queued = (profileId: string) => withTenant(db, tenantId, (trx) => queuedAttempts(trx, tenantId, { destinationId: pipedrive, key: profileId }, 100));
  expect((await queued(withdrawing)).length).toBe(2);

  const change = (profileId: string, purpose: string, status: ConsentChange['status']): ConsentChange => ({ ...exampleRecords['consents.changes'], changeId: randomUUID(), tenantId, profileId, purpose, status });
  await withTenant(db, tenantId, (trx) => trx('consents').insert({ tenant_id: tenantId, profile_id: withdrawing, purpose: 'marketing', status: 'withdrawn', source: 'api', effective_at: new Date() }));
  await produceRecords(stack, {
    topic: topics.name('consents.changes'),
    schema: 'consents.changes',
    subject: `${topics.name('consents.changes')}-value`,
    records: [
      // A purpose no destination asks consent for: nothing of the profile's is purged.
      change(staying, 'analytics', 'denied'),
      // A withdrawal granted again since (history read by a new consumer group): nothing is purged.
      change(staying, 'marketing', 'withdrawn'),
      change(withdrawing, 'marketing', 'withdrawn'),
    ].map((value) => ({ key: `${tenantId}:${value.profileId}`, value, partition: 0 })),
  });
  await waitFor(async () => (await queued(withdrawing)).length === 0, { timeoutMs: 30_000, what: "the withdrawing profile's queue to empty" });
  expect((await queued(staying)).length).toBe(1);
  expect(await hasSample('stratum_retry_queued_attempts_purged_total', {}, 2)).toBe(true);
  for (const reason of ['purpose_not_required', 'granted_since']) expect(await hasSample('stratum_stage_records_out_total', { stage: 'consent-purge', outcome: 'drop', reason })).toBe(true);
});
