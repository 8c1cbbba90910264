/**
 * The resolver against a real PostgreSQL, under row-level security: the CDP checklist (new
 * profile, existing match, linking, one profile per identifier, no orphans, append-only archive),
 * anonymous → identified stitching, merges of identified profiles, merge protection and the review
 * queue, out-of-order traits, and many concurrent writers racing on the same new identifiers.
 */
import { createHash } from 'node:crypto';
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import { identitySettings, newProfileId, withTenant } from '@stratum/identity';
import { exampleRecords, type Identifier, type UniqueEvent } from '@stratum/schemas';
import { useTestPostgres, type TestDatabase } from '@stratum/testing';
import { outputsOf } from '../src/outputs';
import { archivePartitions } from '../src/resolve/archive-partitions';
import { createResolver, type Resolver } from '../src/resolve/resolver';
import { identitySettingsCache } from '../src/identity-settings-cache';

const postgres = useTestPostgres();
let database: TestDatabase;
let db: Db;
let resolver: Resolver;

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url, { maxConnections: 20 });
  await migrateToLatest(db);
  resolver = createResolver({ db, settingsFor: identitySettingsCache(db, 0), partitions: archivePartitions(db), newProfileId });
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const T0 = Date.parse('2026-11-20T10:00:00Z');
let n = 0;

function event(tenantId: string, who: { userId?: string; anonymousId?: string; email?: string }, opts: { type?: UniqueEvent['type']; traits?: Record<string, unknown>; ts?: number } = {}): UniqueEvent {
  const identifiers: Identifier[] = [];
  if (who.userId) identifiers.push({ type: 'user_id', namespace: null, value: who.userId, valueHash: sha(who.userId), path: 'userId' });
  if (who.anonymousId) identifiers.push({ type: 'anonymous_id', namespace: null, value: who.anonymousId, valueHash: sha(who.anonymousId), path: 'anonymousId' });
  if (who.email) identifiers.push({ type: 'email', namespace: null, value: null, valueHash: sha(who.email), path: 'traits.email' });
  n++;
  return {
    ...exampleRecords['events.unique'],
    tenantId,
    messageId: `msg-${n}`,
    type: opts.type ?? (opts.traits ? 'identify' : 'track'),
    userId: who.userId ?? null,
    anonymousId: who.anonymousId ?? null,
    traits: JSON.stringify(opts.traits ?? {}),
    timestamp: opts.ts ?? T0 + n * 1000,
    identifiers,
  };
}

const profileOf = async (tenantId: string, type: string, value: string) =>
  (await withTenant(db, tenantId, (trx) => trx('identifiers').where({ tenant_id: tenantId, type, value_hash: sha(value) }).first<{ profile_id: string } | undefined>('profile_id')))?.profile_id;
const timeline = (tenantId: string, profileId: string) =>
  withTenant(db, tenantId, (trx) => trx('profile_events').where({ tenant_id: tenantId, profile_id: profileId }).orderBy('event_ts').pluck<string[]>('message_id'));

test('checklist: new profile, existing match, linking, one profile per identifier, no orphans, archive in UTC', async () => {
  const t = 'ten_checklist';
  const first = await resolver.resolve(t, [event(t, { anonymousId: 'dev-1' })]);
  const p = first.plan.events[0]!.profileId;
  expect(first.plan.newProfiles.has(p)).toBe(true);
  const again = await resolver.resolve(t, [event(t, { anonymousId: 'dev-1' }), event(t, { anonymousId: 'dev-1', email: 'Ann@X.com' })]);
  expect(again.plan.events.map((e) => e.profileId)).toEqual([p, p]);
  expect(again.plan.newProfiles.size).toBe(0);
  expect(await profileOf(t, 'email', 'Ann@X.com')).toBe(p);
  const counts = await withTenant(db, t, (trx) =>
    trx.raw(`SELECT (SELECT count(*) FROM identifiers) AS identifiers, (SELECT count(DISTINCT (type, value_hash)) FROM identifiers) AS distinct_identifiers,
                    (SELECT count(*) FROM identifiers i LEFT JOIN profiles p ON p.tenant_id = i.tenant_id AND p.id = i.profile_id WHERE p.id IS NULL OR p.status <> 'active') AS orphans`),
  );
  expect(counts.rows[0]).toEqual({ identifiers: '2', distinct_identifiers: '2', orphans: '0' });
  const archived = await withTenant(db, t, (trx) => trx('profile_events').select('message_id', trx.raw("to_char(event_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') AS utc")));
  expect(archived).toHaveLength(3);
  expect(archived.every((r: { utc: string }) => r.utc.startsWith('2026-11-20T10:'))).toBe(true);
});

test('anonymous → identified: login stitches the anonymous history onto the user', async () => {
  const t = 'ten_stitch';
  const browsing = [event(t, { anonymousId: 'anon-7' }), event(t, { anonymousId: 'anon-7' })];
  await resolver.resolve(t, browsing);
  const known = await resolver.resolve(t, [event(t, { userId: 'user-7' }, { traits: { plan: 'pro' } })]);
  const userProfile = known.plan.events[0]!.profileId;
  const login = await resolver.resolve(t, [event(t, { userId: 'user-7', anonymousId: 'anon-7' }, { traits: { name: 'Ann' } })]);
  const survivor = login.plan.events[0]!.profileId;
  expect(login.plan.events[0]!.mergedProfileIds).toEqual([userProfile]); // the anonymous profile was first: it survives
  // The whole history, anonymous browsing first, on the one profile.
  expect(await timeline(t, survivor)).toEqual([...browsing.map((e) => e.messageId), `msg-${n - 1}`, `msg-${n}`]);
  expect(login.profiles.get(survivor)!.traits).toEqual({ name: 'Ann', plan: 'pro' });
  const merged = await withTenant(db, t, (trx) => trx('profiles').where({ id: userProfile }).first('status', 'merged_into'));
  expect(merged).toEqual({ status: 'merged', merged_into: survivor });
  expect(login.plan.audits.map((a) => a.action)).toEqual(['merge']);
});

test('merge protection: two userIds never fuse through a shared device; blocked values never link; the anomaly guard queues for review', async () => {
  const t = 'ten_protect';
  await withTenant(db, t, (trx) =>
    trx('identity_settings').insert({ tenant_id: t, settings: JSON.stringify({ blockedHashes: { email: [sha('test@example.com')] }, anomaly: { maxProfiles: 2 } }) }),
  );
  const a = await resolver.resolve(t, [event(t, { userId: 'alice', anonymousId: 'family-ipad' })]);
  const b = await resolver.resolve(t, [event(t, { userId: 'bob', anonymousId: 'family-ipad' })]);
  expect(b.plan.events[0]!.profileId).not.toBe(a.plan.events[0]!.profileId);
  expect(b.plan.audits.map((x) => [x.action, x.reason])).toEqual([['reject', 'limit_user_id']]);
  const blocked = await resolver.resolve(t, [event(t, { userId: 'carol', email: 'test@example.com' })]);
  expect(blocked.plan.audits.map((x) => x.reason)).toEqual(['blocked_value']);
  expect(await profileOf(t, 'email', 'test@example.com')).toBeUndefined();
  // Three anonymous profiles, then one event naming all three devices: only one merge, the rest goes to review.
  for (const d of ['d1', 'd2', 'd3']) await resolver.resolve(t, [event(t, { anonymousId: d })]);
  const burst = await resolver.resolve(t, [{ ...event(t, { anonymousId: 'd1' }), identifiers: ['d1', 'd2', 'd3'].map((d) => ({ type: 'anonymous_id' as const, namespace: null, value: d, valueHash: sha(d), path: 'anonymousId' })) }]);
  expect(burst.plan.audits.map((x) => x.action)).toEqual(['merge', 'review']);
  // Later, in another chunk: d1 already fused two profiles within the window, so it may not fuse a third.
  await resolver.resolve(t, [event(t, { anonymousId: 'd4' })]);
  const later = await resolver.resolve(t, [{ ...event(t, { anonymousId: 'd1' }), identifiers: ['d1', 'd4'].map((d) => ({ type: 'anonymous_id' as const, namespace: null, value: d, valueHash: sha(d), path: 'anonymousId' })) }]);
  expect(later.plan.audits.map((x) => [x.action, x.reason])).toEqual([['review', 'anomaly_guard']]);
  const reviews = await withTenant(db, t, (trx) => trx('identity_reviews').select('reason', 'status'));
  expect(reviews).toEqual([
    { reason: 'anomaly_guard', status: 'open' },
    { reason: 'anomaly_guard', status: 'open' },
  ]);
});

test('out-of-order traits: an older identify arriving later never overwrites, null removes', async () => {
  const t = 'ten_traits';
  const late = await resolver.resolve(t, [event(t, { userId: 'u' }, { traits: { plan: 'enterprise', city: 'Oslo' }, ts: T0 + 500_000 })]);
  const p = late.plan.events[0]!.profileId;
  const old = await resolver.resolve(t, [event(t, { userId: 'u' }, { traits: { plan: 'trial', company: 'Acme' }, ts: T0 })]);
  expect(old.profiles.get(p)!.traits).toEqual({ city: 'Oslo', company: 'Acme', plan: 'enterprise' });
  const removal = await resolver.resolve(t, [event(t, { userId: 'u' }, { traits: { city: null }, ts: T0 + 600_000 })]);
  expect(removal.profiles.get(p)!.traits).toEqual({ company: 'Acme', plan: 'enterprise' });
});

test('a late removal under first_seen is recomputed from the archive instead of losing a newer value', async () => {
  const t = 'ten_stale';
  await withTenant(db, t, (trx) => trx('identity_settings').insert({ tenant_id: t, settings: JSON.stringify({ survivorship: { rules: { signup_source: 'first_seen' } } }) }));
  await resolver.resolve(t, [event(t, { userId: 's' }, { traits: { signup_source: 'ads' }, ts: T0 + 1_000 })]);
  await resolver.resolve(t, [event(t, { userId: 's' }, { traits: { signup_source: 'referral' }, ts: T0 + 3_000 })]);
  // Removed at T0+2s: 'ads' (T0+1s) goes, 'referral' (T0+3s, set aside earlier by first_seen) is what remains.
  const r = await resolver.resolve(t, [event(t, { userId: 's' }, { traits: { signup_source: null }, ts: T0 + 2_000 })]);
  expect([...r.profiles.values()][0]!.traits).toEqual({ signup_source: 'referral' });
});

test('a replayed chunk changes nothing, and still emits the merge its first attempt made', async () => {
  const t = 'ten_replay';
  await resolver.resolve(t, [event(t, { anonymousId: 'r1' })]);
  await resolver.resolve(t, [event(t, { userId: 'ru' })]);
  const chunk = [event(t, { userId: 'ru', anonymousId: 'r1' }, { traits: { a: 1 } })];
  const first = await resolver.resolve(t, chunk);
  const merged = [...first.plan.merged.keys()];
  expect(merged).toHaveLength(1);
  // As after a crash between the database commit and the Kafka commit: the graph already shows the merge.
  const again = await resolver.resolve(t, chunk);
  expect(again.plan.merged.size).toBe(0);
  expect(again.plan.events.map((e) => e.profileId)).toEqual(first.plan.events.map((e) => e.profileId));
  const [out] = outputsOf(t, chunk, again, Date.now());
  expect(out!.resolved.mergedProfileIds).toEqual(merged);
  // The first attempt's tombstone is in the outbox once; the replay adds no snapshot (nothing changed).
  const { rows: outbox } = await db.raw<{ rows: Array<{ record_key: string; value: unknown }> }>(
    "SELECT record_key, value FROM identity_outbox WHERE tenant_id = ? AND topic = 'profiles.changes' AND value IS NULL",
    [t],
  );
  expect(outbox.map((r) => r.record_key)).toEqual(merged.map((id) => `${t}:${id}`));
  expect(out!.audits.map((a) => a.action)).toEqual(['merge']);
  const rows = await withTenant(db, t, (trx) => trx.raw('SELECT (SELECT count(*) FROM profile_events) AS events, (SELECT count(*) FROM identity_audit) AS audits'));
  expect(rows.rows[0]).toEqual({ events: '3', audits: '1' });
});

test('concurrency: many writers racing on the same new identifiers end with one profile per person', async () => {
  const t = 'ten_race';
  const other = createResolver({ db, settingsFor: async () => identitySettings(null), partitions: archivePartitions(db), newProfileId });
  const people = Array.from({ length: 40 }, (_, i) => i);
  // Each person: a device and a userId, seen by 8 concurrent chunks (4 per "instance") in different orders and combinations.
  const chunks = Array.from({ length: 8 }, (_, c) =>
    people.map((i) => (c % 3 === 0 ? event(t, { anonymousId: `dev-${i}` }) : c % 3 === 1 ? event(t, { userId: `user-${i}` }) : event(t, { userId: `user-${i}`, anonymousId: `dev-${i}`, email: `p${i}@x.com` }))),
  );
  await Promise.all(chunks.map((chunk, c) => (c % 2 === 0 ? resolver : other).resolve(t, c % 2 === 0 ? chunk : [...chunk].reverse())));
  // No race created a second profile for an identifier: every active profile holds at least one identifier.
  const empty = await withTenant(db, t, (trx) =>
    trx.raw(`SELECT count(*) AS n FROM profiles p WHERE p.status = 'active' AND NOT EXISTS (SELECT 1 FROM identifiers i WHERE i.tenant_id = p.tenant_id AND i.profile_id = p.id)`),
  );
  expect(empty.rows[0]).toEqual({ n: '0' });
  // Whatever raced, a last event per person links the three identifiers.
  await resolver.resolve(t, people.map((i) => event(t, { userId: `user-${i}`, anonymousId: `dev-${i}`, email: `p${i}@x.com` })));
  const { rows } = await withTenant(db, t, (trx) =>
    trx.raw(`SELECT count(DISTINCT i.profile_id) AS profiles, count(*) AS identifiers,
                    count(*) FILTER (WHERE p.status <> 'active') AS on_merged
             FROM identifiers i JOIN profiles p ON p.tenant_id = i.tenant_id AND p.id = i.profile_id`),
  );
  expect(rows[0]).toEqual({ profiles: String(people.length), identifiers: String(people.length * 3), on_merged: '0' });
  for (const i of [0, 17, 39]) {
    const ids = await Promise.all([profileOf(t, 'user_id', `user-${i}`), profileOf(t, 'anonymous_id', `dev-${i}`), profileOf(t, 'email', `p${i}@x.com`)]);
    expect(new Set(ids).size).toBe(1);
  }
}, 60_000);
