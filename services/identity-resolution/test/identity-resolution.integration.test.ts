/**
 * Identity resolution as it runs: src/main.ts as a real process, the embedded broker over TCP,
 * PostgreSQL over a real connection. Anonymous browsing, logins that stitch it, a second device,
 * killed with SIGKILL between producing and committing; afterwards every event is on the
 * resolved topic exactly once, on the profile of its person, and profiles.changes holds each
 * person's golden record with a tombstone for every merged-away profile.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type Db } from '@stratum/db';
import { exampleRecords, type Identifier, type UniqueEvent } from '@stratum/schemas';
import {
  collectRecords,
  collectToEnd,
  metricsUrlFrom,
  produceRecords,
  spawnTsProcess,
  uniqueName,
  useTestStack,
  waitFor,
  type TestDatabase,
  type TsProcess,
} from '@stratum/testing';
import { useMigratedDatabase } from '@stratum/db/testing';

jest.setTimeout(180_000);
const stack = useTestStack();
const migrated = useMigratedDatabase();
let database: TestDatabase;
let db: Db;
beforeAll(() => ({ db, database } = migrated));

const TOPICS = ['unique', 'resolved', 'changes', 'audit', 'invalid'] as const;
type Topics = Record<(typeof TOPICS)[number], string>;

async function identityTopics(): Promise<Topics> {
  const topics = Object.fromEntries(TOPICS.map((t) => [t, uniqueName(t)])) as Topics;
  await stack.admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 4 })) });
  stack.onStop(() => stack.admin.deleteTopics({ topics: Object.values(topics) }));
  return topics;
}

function start(topics: Topics, group: string, env: Record<string, string> = {}): TsProcess {
  return spawnTsProcess(join(__dirname, '..', 'src', 'main.ts'), {
    KAFKA_BROKERS: stack.brokers.join(','),
    KAFKA_CLIENT_ID: 'identity-resolution',
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    SERVICE_NAME: 'identity-resolution',
    LOG_LEVEL: 'info',
    METRICS_PORT: '0',
    STAGE_GROUP_ID: group,
    STAGE_BATCH_SIZE: '20',
    STAGE_SESSION_TIMEOUT_MS: '6000',
    DATABASE_URL: database.url,
    IDENTITY_INPUT_TOPIC: topics.unique,
    IDENTITY_RESOLVED_TOPIC: topics.resolved,
    IDENTITY_CHANGES_TOPIC: topics.changes,
    IDENTITY_AUDIT_TOPIC: topics.audit,
    IDENTITY_INVALID_TOPIC: topics.invalid,
    ...env,
  });
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const TENANT = 'ten_stage';
let n = 0;
function event(who: { userId?: string; anonymousId?: string }, traits?: Record<string, unknown>): UniqueEvent {
  const identifiers: Identifier[] = [];
  if (who.userId) identifiers.push({ type: 'user_id', namespace: null, value: who.userId, valueHash: sha(who.userId), path: 'userId' });
  if (who.anonymousId) identifiers.push({ type: 'anonymous_id', namespace: null, value: who.anonymousId, valueHash: sha(who.anonymousId), path: 'anonymousId' });
  n++;
  return {
    ...exampleRecords['events.unique'],
    tenantId: TENANT,
    messageId: `m-${String(n).padStart(4, '0')}`,
    type: traits ? 'identify' : 'track',
    userId: who.userId ?? null,
    anonymousId: who.anonymousId ?? null,
    traits: JSON.stringify(traits ?? {}),
    timestamp: Date.parse('2026-11-20T10:00:00Z') + n * 1000,
    identifiers,
  };
}

it('resolves browsing, logins and second devices onto one profile per person, exactly once through a SIGKILL', async () => {
  const topics = await identityTopics();
  const people = Array.from({ length: 30 }, (_, i) => i);
  // Per person: two anonymous page views, a login (identify with traits) linking the first device, then a second device's login.
  const events: UniqueEvent[] = [];
  for (const i of people) events.push(event({ anonymousId: `web-${i}` }), event({ anonymousId: `web-${i}` }));
  for (const i of people) events.push(event({ userId: `user-${i}`, anonymousId: `web-${i}` }, { name: `Person ${i}`, plan: 'free' }));
  for (const i of people) events.push(event({ userId: `user-${i}`, anonymousId: `app-${i}` }, { plan: 'pro' }));
  const key = (e: UniqueEvent) => `${e.tenantId}:${e.anonymousId ?? e.userId}`;
  await produceRecords(stack, { topic: topics.unique, schema: 'events.unique', records: events.map((value) => ({ key: key(value), value })) });

  const group = uniqueName('identity');
  const crashed = start(topics, group, { STAGE_FAILPOINTS: 'stage.after-produce=3' });
  await crashed.exit;
  expect(crashed.child.signalCode).toBe('SIGKILL');
  const p = start(topics, group);
  await waitFor(() => metricsUrlFrom(p.stdout()) !== null || p.child.exitCode !== null, { timeoutMs: 30_000, what: 'identity-resolution to start' });
  await collectRecords(stack, { topic: topics.resolved, schema: 'events.resolved', count: events.length, timeoutMs: 90_000 });
  // The relay publishes profiles.changes from the outbox once the chunks committed.
  await waitFor(async () => (await db.raw<{ rows: Array<{ n: string }> }>('SELECT count(*) AS n FROM identity_outbox')).rows[0]!.n === '0', { timeoutMs: 30_000, what: 'the outbox to drain' });
  const metrics = await (await fetch(metricsUrlFrom(p.stdout())!)).text();
  p.child.kill('SIGTERM');
  expect(await p.exit).toBe(0);

  const resolved = (await collectToEnd(stack, { topic: topics.resolved, schema: 'events.resolved' })).map((r) => r.value!);
  expect(resolved.map((r) => r.messageId).sort()).toEqual(events.map((e) => e.messageId).sort()); // each exactly once
  // One profile per person at the end: every event of a person resolves (after the last merge) to the same survivor.
  const { rows } = await db.raw<{ rows: Array<{ value: string; profile_id: string }> }>(`SELECT value, profile_id FROM identifiers WHERE tenant_id = ? ORDER BY value`, [TENANT]);
  const profileOf = new Map(rows.map((r) => [r.value, r.profile_id]));
  for (const i of people) expect(new Set([profileOf.get(`user-${i}`), profileOf.get(`web-${i}`), profileOf.get(`app-${i}`)]).size).toBe(1);
  expect(new Set(rows.map((r) => r.profile_id)).size).toBe(people.length);
  const last = resolved.find((r) => r.messageId === events.at(-1)!.messageId)!;
  expect(last.canonical.userId).toBe(`user-${people.length - 1}`);

  // The compacted view: the latest record per key is the live golden record, or a tombstone for a merged-away profile.
  const changes = await collectToEnd(stack, { topic: topics.changes, schema: 'profiles.changes' });
  const latest = new Map(changes.map((c) => [c.key!, c.value]));
  const live = [...latest.values()].filter((v) => v !== null);
  expect(new Set(live.map((v) => v!.profileId))).toEqual(new Set(rows.map((r) => r.profile_id)));
  // Whichever login was resolved first, the golden record keeps the newer plan (survivorship by event time).
  for (const i of [0, people.length - 1]) {
    expect(JSON.parse(latest.get(`${TENANT}:${profileOf.get(`user-${i}`)}`)!.traits)).toEqual({ name: `Person ${i}`, plan: 'pro' });
  }
  // Merges happen when a person's second-device login is resolved before the first (their partitions race): each leaves a tombstone and an audit.
  const tombstoned = [...latest].filter(([, v]) => v === null).map(([k]) => k.split(':')[1]!);
  const audits = (await collectToEnd(stack, { topic: topics.audit, schema: 'identity.audit' })).map((a) => a.value!);
  const mergedAway = audits.filter((a) => a.action === 'merge').flatMap((a) => a.otherProfileIds);
  expect(tombstoned.sort()).toEqual([...new Set(mergedAway)].sort());
  const { rows: merged } = await db.raw<{ rows: Array<{ id: string }> }>(`SELECT id FROM profiles WHERE tenant_id = ? AND status = 'merged' ORDER BY id`, [TENANT]);
  expect(merged.map((m) => m.id)).toEqual([...tombstoned].sort());
  expect(metrics).toMatch(/stratum_identity_profiles_created_total \d+/);
});
