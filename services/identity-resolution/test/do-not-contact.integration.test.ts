/**
 * Do-not-contact lists through the resolver: a listed email or phone seen later marks the profile
 * it lands on (created, linked or merged) in the chunk's own transaction, so the chunk's resolved
 * events and snapshot already say doNotContact; chunks and imports running at once neither
 * deadlock nor leave a profile unmarked.
 */
import { createHash } from 'node:crypto';
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import { addDoNotContact, newProfileId, withTenant } from '@stratum/identity';
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

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const T0 = Date.parse('2026-11-20T10:00:00Z');
let n = 0;

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

async function tenant(id: string): Promise<string> {
  await db('tenants').insert({ id, name: id });
  return id;
}

function event(tenantId: string, who: { userId?: string; anonymousId?: string; email?: string; phone?: string }): UniqueEvent {
  const identifiers: Identifier[] = [];
  if (who.userId) identifiers.push({ type: 'user_id', namespace: null, value: who.userId, valueHash: sha(who.userId), path: 'userId' });
  if (who.anonymousId) identifiers.push({ type: 'anonymous_id', namespace: null, value: who.anonymousId, valueHash: sha(who.anonymousId), path: 'anonymousId' });
  if (who.email) identifiers.push({ type: 'email', namespace: null, value: null, valueHash: sha(who.email), path: 'traits.email' });
  if (who.phone) identifiers.push({ type: 'phone', namespace: null, value: null, valueHash: sha(who.phone), path: 'traits.phone' });
  n++;
  return { ...exampleRecords['events.unique'], tenantId, messageId: `dnc-${n}`, type: 'track', userId: who.userId ?? null, anonymousId: who.anonymousId ?? null, timestamp: T0 + n * 1000, identifiers };
}

const list = (tenantId: string, entries: Array<{ type: 'email' | 'phone' | 'user_id'; value: string }>) =>
  withTenant(db, tenantId, (trx) => addDoNotContact(trx, tenantId, entries.map((e) => ({ type: e.type, valueHash: sha(e.value), list: 'legal', reason: 'test' }))));
const flagOf = async (tenantId: string, profileId: string) =>
  (await withTenant(db, tenantId, (trx) => trx('profiles').where({ id: profileId }).first<{ do_not_contact: boolean }>('do_not_contact')))!.do_not_contact;

test('a listed identifier seen later marks the profile it lands on: created, linked, or merged into', async () => {
  const t = await tenant('ten_dnc_later');
  await list(t, [
    { type: 'email', value: 'ann@x.com' },
    { type: 'phone', value: '+61412345678' },
    { type: 'email', value: 'erin@x.com' },
  ]);

  // Created with a listed email: marked in the chunk itself, so its events and snapshot already say so.
  const created = [event(t, { anonymousId: 'a-1', email: 'ann@x.com' })];
  const r1 = await resolver.resolve(t, created);
  const ann = r1.plan.events[0]!.profileId;
  expect(r1.profiles.get(ann)!.doNotContact).toBe(true);
  expect(outputsOf(t, created, r1, Date.now())[0]!.resolved.doNotContact).toBe(true);
  expect(await flagOf(t, ann)).toBe(true);
  const { rows: snapshots } = await db.raw<{ rows: Array<{ value: { doNotContact: boolean; change: string } }> }>(
    "SELECT value FROM identity_outbox WHERE tenant_id = ? AND topic = 'profiles.changes' AND record_key = ?",
    [t, `${t}:${ann}`],
  );
  expect(snapshots.map((s) => [s.value.change, s.value.doNotContact])).toEqual([['created', true]]);

  // Known, unlisted, then linked to a listed phone.
  const bob = (await resolver.resolve(t, [event(t, { userId: 'bob' })])).plan.events[0]!.profileId;
  expect(await flagOf(t, bob)).toBe(false);
  const linked = await resolver.resolve(t, [event(t, { userId: 'bob', phone: '+61412345678' })]);
  expect(linked.profiles.get(bob)!.doNotContact).toBe(true);
  expect(await flagOf(t, bob)).toBe(true);

  // An unlisted older profile absorbs a listed one: the survivor (seen first) is marked.
  const carol = (await resolver.resolve(t, [event(t, { anonymousId: 'c-1' })])).plan.events[0]!.profileId;
  const erin = (await resolver.resolve(t, [event(t, { userId: 'erin', email: 'erin@x.com' })])).plan.events[0]!.profileId;
  expect([await flagOf(t, carol), await flagOf(t, erin)]).toEqual([false, true]);
  const merge = await resolver.resolve(t, [event(t, { anonymousId: 'c-1', email: 'erin@x.com' })]);
  expect(merge.plan.events[0]).toMatchObject({ profileId: carol, mergedProfileIds: [erin] });
  expect(merge.profiles.get(carol)!.doNotContact).toBe(true);
  expect(await flagOf(t, carol)).toBe(true);

  // Nobody else is marked.
  const other = (await resolver.resolve(t, [event(t, { userId: 'dave', email: 'dave@x.com' })])).plan.events[0]!.profileId;
  expect(await flagOf(t, other)).toBe(false);
});

// The exact interleavings are in packages/identity's test; this runs the real resolver against imports at full speed.
test('chunks creating listed identifiers while imports list them: no deadlock, every such profile marked', async () => {
  const t = await tenant('ten_dnc_race');
  const emails = Array.from({ length: 40 }, (_, i) => `race-${i}@x.com`);
  // Chunks creating the profiles and the import listing their emails, all at once.
  const chunks = emails.map((email, i) => resolver.resolve(t, [event(t, { anonymousId: `race-${i}`, email })]));
  const imports = [0, 10, 20, 30].map((from) => list(t, emails.slice(from, from + 10).map((value) => ({ type: 'email' as const, value }))));
  await Promise.all([...chunks, ...imports]);
  const { rows } = await withTenant(db, t, (trx) => trx.raw<{ rows: Array<{ unmarked: number; marked: number }> }>(
    "SELECT count(*) FILTER (WHERE NOT do_not_contact)::int AS unmarked, count(*) FILTER (WHERE do_not_contact)::int AS marked FROM profiles WHERE status = 'active'",
  ));
  expect(rows[0]).toEqual({ unmarked: 0, marked: 40 });
});
