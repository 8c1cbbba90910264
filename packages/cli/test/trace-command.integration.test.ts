/**
 * `stratum trace` as operators run it (a real process) against a real broker, registry and
 * PostgreSQL: each event's records are written to private copies of the catalogue topics as the
 * stages would have written them, with the rows the stages would have left, and the command must
 * tell the story: delivered after a retry (through a merge), a repeat dropped by dedup, a
 * quarantined event, one stuck in a retry tier, and an unknown messageId.
 */
import { randomUUID } from 'node:crypto';
import { createDb, fromEpochMs, migrateToLatest, withTenant, type Db } from '@stratum/db';
import { createDestination } from '@stratum/destinations';
import { exampleRecords, type DeliveryAttempt, type DeliveryOutcome, type ResolvedEvent, type SchemaName, type SchemaTypes, type ValidEvent } from '@stratum/schemas';
import { provisionTenant } from '@stratum/tenancy';
import { closedPort, produceRecords, uniqueName, uniqueTopics, useTestPostgres, useTestStack, type TestDatabase, type UniqueTopics } from '@stratum/testing';
import { scanTopics, type RawRecord } from '../src/trace/topic-scan';
import { runCli } from './cli-process';

const stack = useTestStack();
const postgres = useTestPostgres();

const TOPICS = [
  'events.raw',
  'events.valid',
  'events.invalid',
  'events.unique',
  'events.resolved',
  'identity.audit',
  'delivery.attempts',
  'delivery.retry.30s',
  'delivery.retry.5m',
  'delivery.retry.1h',
  'delivery.outcomes',
  'delivery.dlq',
];

let database: TestDatabase;
let db: Db;
let topics: UniqueTopics;
let tenantId: string;
let sourceId: string;
let destinationId: string;
const t0 = Date.now() - 10 * 60_000;
const ISO = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`;

/** Writes records to the private copy of `catalogueTopic`; resolves with the offset of the first one (all keyed alike, one partition). */
async function write<K extends SchemaName>(catalogueTopic: string, schema: K, key: string, values: Array<{ value: SchemaTypes[K]; at: number }>): Promise<{ partition: number; offset: number }> {
  const [meta] = await produceRecords(stack, {
    topic: topics.name(catalogueTopic),
    schema,
    subject: `${catalogueTopic}-value`,
    records: values.map(({ value, at }) => ({ key, value, timestamp: at })),
  });
  return { partition: meta!.partition, offset: Number(meta!.baseOffset) };
}

/** The event as each stage would have stamped it, `at` ms after t0. */
function eventOf(messageId: string, at: number) {
  const receivedAt = t0 + at;
  const raw = { ...exampleRecords['events.raw'], tenantId, sourceId, messageId, receivedAt };
  const valid: ValidEvent = { ...exampleRecords['events.valid'], tenantId, sourceId, messageId, receivedAt, timestamp: receivedAt - 180, originalTimestamp: receivedAt - 250, sentAt: receivedAt - 70, validatedAt: receivedAt + 4 };
  const unique = { ...valid, dedupedAt: receivedAt + 9 };
  return { raw, valid, unique, receivedAt };
}

function resolvedOf(unique: ReturnType<typeof eventOf>['unique'], profileId: string, mergedProfileIds: string[]): ResolvedEvent {
  return { ...exampleRecords['events.resolved'], ...unique, profileId, mergedProfileIds, resolvedAt: unique.receivedAt + 21 };
}

async function claim(messageId: string, firstSeen: number, at: { partition: number; offset: number }): Promise<void> {
  await db.raw(`INSERT INTO dedup_claims (tenant_id, message_id, day, first_seen, topic, "partition", "offset") VALUES (?, ?, (${fromEpochMs('?::bigint')} AT TIME ZONE 'UTC')::date, ${fromEpochMs('?::bigint')}, ?, ?, ?)`, [
    tenantId,
    messageId,
    firstSeen,
    firstSeen,
    topics.name('events.valid'),
    at.partition,
    at.offset,
  ]);
}

/** The attempt, outcome and tier records of one delivery of `event`. */
function deliveryOf(event: ResolvedEvent) {
  const head = { tenantId, destinationId, destinationType: 'webhook', messageId: event.messageId, profileId: event.profileId };
  const outcome = (o: Partial<DeliveryOutcome> & Pick<DeliveryOutcome, 'attempt' | 'status' | 'occurredAt'>): DeliveryOutcome => ({
    ...exampleRecords['delivery.outcomes'],
    ...head,
    reason: null,
    httpStatus: null,
    latencyMs: null,
    externalId: null,
    nextAttemptAt: null,
    ...o,
  });
  const attempt = (attemptNo: number, notBefore: number, httpStatus: number, code: string): DeliveryAttempt => ({
    ...exampleRecords['delivery.attempts'],
    ...head,
    attempt: attemptNo,
    notBefore,
    firstAttemptAt: event.resolvedAt + 9,
    lastError: { code, message: `HTTP ${httpStatus}`, httpStatus, retryAfterMs: null, retryable: true },
    event,
  });
  return { key: `${tenantId}:${destinationId}:${event.profileId}`, outcome, attempt };
}

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url);
  topics = await uniqueTopics(stack, TOPICS);
  await migrateToLatest(db);
  ({ tenantId, sourceId } = await provisionTenant(db, { name: uniqueName('acme') }));
  ({ destinationId } = await createDestination(db, null, tenantId, { type: 'webhook', name: 'Shop webhook', settings: { url: 'https://shop.example/hooks/stratum' } }));
  // dedup creates its day partitions as it runs; today's is enough here.
  const today = new Date().toISOString().slice(0, 10);
  await db.raw(`CREATE TABLE IF NOT EXISTS dedup_claims_${today.replaceAll('-', '')} PARTITION OF dedup_claims FOR VALUES FROM ('${today}') TO ('${today}'::date + 1)`);
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

/** Where the command finds everything: the variables, as operators set them. */
const cliEnv = () => ({ DATABASE_URL: database.url, KAFKA_BROKERS: stack.brokers.join(','), SCHEMA_REGISTRY_URL: stack.registryUrl });
const trace = (messageId: string, ...extra: string[]) => runCli(['trace', messageId, '--tenant', tenantId, '--topic-prefix', topics.prefix, ...extra], cliEnv());

interface TraceJson {
  messageId: string;
  tenantId: string;
  steps: Array<{ stage: string; at: string; what: string; details: Record<string, unknown> }>;
  status: string[];
  found: { profile: Record<string, unknown> | null; delivery: { destinations: Array<Record<string, unknown>> } } & Record<string, unknown>;
  scanned: Record<string, { topic: string; records: number; matched: number; complete: boolean }>;
}

/** The step lines of a text trace: `<ISO time>  <stage padded to 8>  <what>`. */
const stepLines = (out: string) => out.split('\n').filter((l) => new RegExp(`^${ISO}  `).test(l));

test('a delivered event: received, valid, first copy, resolved through a merge, one retry, delivered; its profile since merged again', async () => {
  const messageId = `m-delivered-${randomUUID()}`;
  const [p0, p1, p2] = [uniqueName('prof_old'), uniqueName('prof_resolved'), uniqueName('prof_now')] as const;
  const e = eventOf(messageId, 0);
  const resolved = resolvedOf(e.unique, p1, [p0]);
  // Another tenant's event with the same messageId (and our tenant id inside its own) is decoded, and must not show up.
  await write('events.raw', 'events.raw', `${tenantId}x:${messageId}`, [{ value: { ...e.raw, tenantId: `${tenantId}x` }, at: t0 }]);
  await write('events.raw', 'events.raw', `${tenantId}:${messageId}`, [{ value: e.raw, at: t0 }]);
  const validAt = await write('events.valid', 'events.valid', `${tenantId}:${messageId}`, [{ value: e.valid, at: t0 + 4 }]);
  await claim(messageId, t0 + 8, validAt);
  await write('events.unique', 'events.unique', `${tenantId}:${e.valid.anonymousId}`, [{ value: e.unique, at: t0 + 9 }]);
  const audit = { ...exampleRecords['identity.audit'], auditId: randomUUID(), tenantId, profileId: p1, otherProfileIds: [p0], provenance: { ...exampleRecords['identity.audit'].provenance, messageId, sourceId }, occurredAt: t0 + 20 };
  await write('identity.audit', 'identity.audit', `${tenantId}:${p1}`, [{ value: audit, at: t0 + 20 }]);
  await write('events.resolved', 'events.resolved', `${tenantId}:${p1}`, [{ value: resolved, at: t0 + 21 }]);
  const d = deliveryOf(resolved);
  await write('delivery.outcomes', 'delivery.outcomes', d.key, [
    { value: d.outcome({ attempt: 1, status: 'retrying', reason: 'http_429', httpStatus: 429, latencyMs: 95, nextAttemptAt: t0 + 30_030, occurredAt: t0 + 30 }), at: t0 + 30 },
    { value: d.outcome({ attempt: 2, status: 'delivered', httpStatus: 200, latencyMs: 120, externalId: 'wh_81c2', occurredAt: t0 + 30_200 }), at: t0 + 30_200 },
  ]);
  await write('delivery.retry.30s', 'delivery.attempts', d.key, [{ value: d.attempt(1, t0 + 30_030, 429, 'http_429'), at: t0 + 31 }]);
  await write('delivery.attempts', 'delivery.attempts', d.key, [{ value: { ...d.attempt(1, t0 + 30_030, 429, 'http_429'), attempt: 2 }, at: t0 + 30_040 }]);
  // What identity resolution and delivery left in PostgreSQL: the merge this event caused, a later one, the ledger row.
  await withTenant(db, tenantId, async (trx) => {
    for (const [id, mergedInto] of [[p2, null], [p1, p2], [p0, p2]] as const) {
      await trx.raw(`INSERT INTO profiles (tenant_id, id, status, merged_into, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, now(), now())`, [tenantId, id, mergedInto === null ? 'active' : 'merged', mergedInto]);
    }
    const insertAudit = `INSERT INTO identity_audit (tenant_id, id, action, profile_id, other_profile_ids, identifiers, message_id, source_id, rule, occurred_at) VALUES (?, ?, 'merge', ?, ?, ?::jsonb, ?, ?, 'exact:user_id', ${fromEpochMs('?::bigint')})`;
    const keys = (ids: typeof audit.identifiers) => JSON.stringify(ids.map((i) => `${i.type}::${i.valueHash}`));
    await trx.raw(insertAudit, [tenantId, audit.auditId, p1, [p0], keys(audit.identifiers), messageId, sourceId, t0 + 20]);
    await trx.raw(insertAudit, [tenantId, randomUUID(), p2, [p1], keys(exampleRecords['identity.audit'].identifiers.slice(0, 1)), 'm-later-event', sourceId, t0 + 120_000]);
    await trx.raw(`INSERT INTO delivery_ledger (tenant_id, destination_id, message_id, profile_id, attempt, external_id, delivered_at) VALUES (?, ?, ?, ?, 2, 'wh_81c2', ${fromEpochMs('?::bigint')})`, [
      tenantId,
      destinationId,
      messageId,
      p1,
      t0 + 30_200,
    ]);
  });

  const [text, json] = await Promise.all([trace(messageId, '--verbose'), trace(messageId, '--json')]);
  expect(text.err).toBe('');
  expect(text.code).toBe(0);
  const lines = stepLines(text.out);
  expect(lines.map((l) => l.slice(26))).toEqual([
    `gateway   received by the gateway over http: track "Order Completed", source default (${sourceId}), request req_7Hc2kQ9xZ`,
    'ingest    valid → events.valid (schema 1.0.0; identifiers: user_id, anonymous_id, email)',
    expect.stringMatching(new RegExp(`^dedup     passed → events.unique: first copy \\(claimed ${ISO}\\)$`)),
    `identity  merged ${p0} into ${p1} (rule exact:user_id on user_id, anonymous_id)`,
    `identity  resolved to profile ${p1} → events.resolved; merged ${p0} into it`,
    expect.stringMatching(new RegExp(`^delivery  Shop webhook \\(webhook\\): attempt 1 retrying: http_429 \\(HTTP 429, 95 ms\\); next attempt due ${ISO}$`)),
    expect.stringMatching(new RegExp(`^delivery  Shop webhook \\(webhook\\): queued in retry tier 1 \\(delivery.retry.30s\\): attempt 2 due ${ISO}$`)),
    'delivery  Shop webhook (webhook): attempt 2 due → delivery.attempts',
    'delivery  Shop webhook (webhook): attempt 2 delivered (HTTP 200, 120 ms); in the delivery ledger',
    `identity  later: merged ${p1} into ${p2} (rule exact:user_id on user_id), caused by event m-later-event`,
  ]);
  expect(lines[0]!.slice(0, 24)).toBe(new Date(t0).toISOString());
  expect(text.out).toContain(`\nnow:\n  valid (1 copy on events.valid)\n  passed dedup\n  resolved to profile ${p1}, since merged into ${p2}\n  Shop webhook: delivered ${new Date(t0 + 30_200).toISOString()} (attempt 2)\n`);
  expect(text.out).toMatch(/^ {2}events\.raw +\d+ record\(s\) read in 12 partition\(s\), 2 decoded, 1 matched$/m);

  expect(json.code).toBe(0);
  const t = JSON.parse(json.out) as TraceJson;
  expect(t).toMatchObject({ messageId, tenantId });
  expect(t.steps.map((s) => s.stage)).toEqual(['gateway', 'ingest', 'dedup', 'identity', 'identity', 'delivery', 'delivery', 'delivery', 'delivery', 'identity']);
  expect(t.steps.map((s) => s.at)).toEqual([...t.steps.map((s) => s.at)].sort());
  expect(t.steps[0]!.details).toMatchObject({ sourceId, sourceName: 'default', channel: 'http', topic: topics.name('events.raw') });
  expect(t.steps[2]!.details).toMatchObject({ copy: { topic: topics.name('events.valid'), ...validAt }, claim: { partition: validAt.partition, offset: validAt.offset } });
  expect(t.steps[8]!.details).toMatchObject({ destinationId, destination: 'Shop webhook', attempt: 2, status: 'delivered', httpStatus: 200, ledger: { attempt: 2, externalId: 'wh_81c2' } });
  expect(t.found.profile).toEqual({ resolvedTo: p1, currentId: p2, merged: true, archivedOn: null, archivedAt: null });
  expect(t.found.delivery.destinations).toEqual([{ destinationId, destination: 'Shop webhook', destinationType: 'webhook', state: `delivered ${new Date(t0 + 30_200).toISOString()} (attempt 2)` }]);
  expect(t.scanned['events.raw']).toMatchObject({ topic: topics.name('events.raw'), matched: 1, complete: true });
  expect(t.scanned['delivery.outcomes']).toMatchObject({ matched: 2, complete: true });
});

test('a repeat: both copies received and valid, the first passed, the second dropped naming the claim; not resolved yet', async () => {
  const messageId = `m-repeat-${randomUUID()}`;
  const first = eventOf(messageId, 1_000);
  const again = eventOf(messageId, 6_000);
  await write('events.raw', 'events.raw', `${tenantId}:${messageId}`, [
    { value: first.raw, at: first.receivedAt },
    { value: again.raw, at: again.receivedAt },
  ]);
  const firstAt = await write('events.valid', 'events.valid', `${tenantId}:${messageId}`, [{ value: first.valid, at: first.receivedAt + 4 }]);
  const againAt = await write('events.valid', 'events.valid', `${tenantId}:${messageId}`, [{ value: again.valid, at: again.receivedAt + 4 }]);
  await claim(messageId, first.receivedAt + 8, firstAt);
  await write('events.unique', 'events.unique', `${tenantId}:${first.valid.anonymousId}`, [{ value: first.unique, at: first.receivedAt + 9 }]);

  const [text, json] = await Promise.all([trace(messageId), trace(messageId, '--json')]);
  expect(text.code).toBe(0);
  const firstSeen = new Date(first.receivedAt + 8).toISOString();
  expect(stepLines(text.out).map((l) => l.slice(26))).toEqual([
    expect.stringMatching(/^gateway {3}received by the gateway over http: /),
    expect.stringMatching(/^ingest {4}valid → events\.valid /),
    expect.stringMatching(new RegExp(`^dedup {5}passed → events\\.unique: first copy \\(claimed ${firstSeen.replaceAll('.', '\\.')}\\)$`)),
    expect.stringMatching(/^gateway {3}received by the gateway over http: /),
    expect.stringMatching(/^ingest {4}valid → events\.valid /),
    expect.stringMatching(/^dedup {5}dropped as a repeat of the copy at /),
  ]);
  expect(text.out).toContain(`dedup     dropped as a repeat of the copy at ${topics.name('events.valid')} partition ${firstAt.partition} offset ${firstAt.offset}, first seen ${firstSeen}\n`);
  expect(text.out).toContain('now:\n  valid (2 copies on events.valid)\n  passed dedup; 1 repeat dropped\n  passed dedup but not on events.resolved: identity-resolution has not resolved it yet');

  const t = JSON.parse(json.out) as TraceJson;
  const dropped = t.steps.find((s) => s.what.startsWith('dropped'))!;
  expect(dropped.details).toMatchObject({ copy: { topic: topics.name('events.valid'), ...againAt }, claim: { firstSeen, ...firstAt } });
  expect(t.found).toMatchObject({ ingest: { raw: 2, valid: 2, invalid: 0 }, dedup: { unique: 1, dedupClaims: 1, droppedRepeats: 1 }, profile: null });
});

test('an invalid event: received, then quarantined by ingest with the reason; it stops there', async () => {
  const messageId = `m-invalid-${randomUUID()}`;
  const e = eventOf(messageId, 2_000);
  const raw = { ...e.raw, type: 'trak' };
  const rawAt = await write('events.raw', 'events.raw', `${tenantId}:${messageId}`, [{ value: raw, at: e.receivedAt }]);
  const invalid = {
    ...exampleRecords['events.invalid'],
    tenantId,
    sourceId,
    messageId,
    origin: { topic: topics.name('events.raw'), ...rawAt, timestamp: e.receivedAt },
    key: Buffer.from(`${tenantId}:${messageId}`),
    valueJson: JSON.stringify({ type: 'trak', messageId }),
    quarantinedAt: e.receivedAt + 3,
  };
  await write('events.invalid', 'events.invalid', `${tenantId}:${sourceId}`, [{ value: invalid, at: e.receivedAt + 3 }]);

  const [text, json] = await Promise.all([trace(messageId), trace(messageId, '--json')]);
  expect(text.code).toBe(0);
  expect(stepLines(text.out).map((l) => l.slice(26))).toEqual([
    `gateway   received by the gateway over http: trak "Order Completed", source default (${sourceId}), request req_7Hc2kQ9xZ`,
    'ingest    quarantined by ingest → events.invalid: unknown_type at type: type "trak" is not one of track, identify, page, screen, group, alias',
  ]);
  expect(text.out).toMatch(/\nnow:\n {2}quarantined by ingest: unknown_type at type: type "trak" is not one of track, identify, page, screen, group, alias\n$/);
  const t = JSON.parse(json.out) as TraceJson;
  expect(t.steps[1]).toMatchObject({ stage: 'ingest', details: { quarantinedBy: 'ingest', reasons: [{ code: 'unknown_type', path: 'type' }], origin: { topic: topics.name('events.raw'), ...rawAt } } });
  expect(t.found).toMatchObject({ ingest: { raw: 1, valid: 0, invalid: 1 }, dedup: { unique: 0, dedupClaims: 0 }, profile: null });
});

test('stopped partway: failed twice, waiting in retry tier 2 since its second failure', async () => {
  const messageId = `m-waiting-${randomUUID()}`;
  const e = eventOf(messageId, 3_000);
  const profileId = uniqueName('prof');
  const resolved = resolvedOf(e.unique, profileId, []);
  await write('events.resolved', 'events.resolved', `${tenantId}:${profileId}`, [{ value: resolved, at: resolved.resolvedAt }]);
  const d = deliveryOf(resolved);
  const second = resolved.resolvedAt + 31_000;
  await write('delivery.outcomes', 'delivery.outcomes', d.key, [
    { value: d.outcome({ attempt: 1, status: 'retrying', reason: 'http_5xx', httpStatus: 503, nextAttemptAt: resolved.resolvedAt + 30_000, occurredAt: resolved.resolvedAt + 10 }), at: resolved.resolvedAt + 10 },
    { value: d.outcome({ attempt: 2, status: 'retrying', reason: 'http_5xx', httpStatus: 503, nextAttemptAt: second + 300_000, occurredAt: second }), at: second },
  ]);
  await write('delivery.retry.30s', 'delivery.attempts', d.key, [{ value: d.attempt(1, resolved.resolvedAt + 30_000, 503, 'http_5xx'), at: resolved.resolvedAt + 11 }]);
  await write('delivery.attempts', 'delivery.attempts', d.key, [{ value: { ...d.attempt(1, resolved.resolvedAt + 30_000, 503, 'http_5xx'), attempt: 2 }, at: resolved.resolvedAt + 30_005 }]);
  await write('delivery.retry.5m', 'delivery.attempts', d.key, [{ value: d.attempt(2, second + 300_000, 503, 'http_5xx'), at: second + 1 }]);

  const json = await trace(messageId, '--json');
  expect(json.code).toBe(0);
  const t = JSON.parse(json.out) as TraceJson;
  expect(t.steps.map((s) => s.stage)).toEqual(['identity', 'delivery', 'delivery', 'delivery', 'delivery', 'delivery']);
  expect(t.status.at(-1)).toBe(
    `Shop webhook: waiting in retry tier 2 (delivery.retry.5m) since ${new Date(second + 1).toISOString()}: attempt 2 failed (last error http_5xx, HTTP 503), attempt 3 due ${new Date(second + 300_000).toISOString()}`,
  );
  expect(t.scanned['delivery.retry.5m']).toMatchObject({ matched: 1, complete: true });
});

test('an unknown messageId: "not found", exit 4, with what was read; no such tenant: 4; Kafka unreachable: 3', async () => {
  const [text, json] = await Promise.all([trace('m-never-sent', '--since', '1h'), trace('m-never-sent', '--json')]);
  expect(text.code).toBe(4);
  expect(text.out).toBe('');
  expect(text.err).toMatch(new RegExp(`^stratum trace: not found: no message m-never-sent of tenant acme-[0-9a-f]+ \\(${tenantId}\\) on any topic since ${ISO} \\(\\d+ records read\\) nor in PostgreSQL`));
  expect(json.code).toBe(4);
  const error = (JSON.parse(json.out) as { error: { code: string; scanned: Record<string, { matched: number }> }; exitCode: number }).error;
  expect(error.code).toBe('not_found');
  expect(Object.keys(error.scanned)).toEqual(TOPICS);
  expect(Object.values(error.scanned).every((s) => s.matched === 0)).toBe(true);

  const [noTenant, noKafka] = await Promise.all([
    runCli(['trace', 'm-1', '--tenant', 'nobody', '--topic-prefix', topics.prefix], cliEnv()),
    runCli(['trace', 'm-1', '--tenant', tenantId, '--brokers', `127.0.0.1:${await closedPort()}`, '--json'], cliEnv()),
  ]);
  expect(noTenant.code).toBe(4);
  expect(noTenant.err).toContain('no tenant with id or name "nobody"');
  expect(noKafka.code).toBe(3);
  expect(JSON.parse(noKafka.out)).toMatchObject({ error: { code: 'kafka_unavailable' }, exitCode: 3 });
});

test('the topic scan reads transactional topics to their last stable offset: committed records only, done at the commit marker', async () => {
  const scanned = await uniqueTopics(stack, ['events.unique']);
  const topic = scanned.name('events.unique');
  const producer = stack.kafka.producer({ transactionalId: uniqueName('trace-tx'), idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const inTransaction = async (values: string[], end: 'commit' | 'abort' | 'leave open') => {
    const tx = await producer.transaction();
    await tx.send({ topic, messages: values.map((value) => ({ partition: 0, key: 'k', value })) });
    if (end === 'commit') await tx.commit();
    if (end === 'abort') await tx.abort();
    return tx;
  };
  const scan = async () => {
    const seen: string[] = [];
    const target = { topic, prefilter: () => true, accept: async (r: RawRecord) => (seen.push(r.value.toString()), 'match' as const) };
    const started = Date.now();
    const [stats] = await scanTopics(stack.kafka, [target], { fromTimestamp: Date.now() - 60_000, idleMs: 1_000 });
    return { seen, stats: stats!, ms: Date.now() - started };
  };
  try {
    await inTransaction(['a', 'b'], 'commit');
    await inTransaction(['aborted'], 'abort');
    const open = await inTransaction(['pending'], 'leave open');
    // The open transaction is past the last stable offset: not read, and not waited for.
    const during = await scan();
    expect(during.seen).toEqual(['a', 'b']);
    expect(during.stats).toMatchObject({ records: 2, incomplete: [] });
    expect(during.ms).toBeLessThan(1_000);
    await open.commit();
    // The partition now ends in a commit marker: done when a batch reaches it, without waiting out idleMs.
    const after = await scan();
    expect(after.seen).toEqual(['a', 'b', 'pending']);
    expect(after.stats).toMatchObject({ records: 3, matched: 3, incomplete: [] });
    expect(after.ms).toBeLessThan(1_000);
  } finally {
    await producer.disconnect();
  }
});
