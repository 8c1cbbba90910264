/**
 * The reversible graph against PostgreSQL: resolve events (links and merges), then unmerge an
 * edge or an identifier; the parts come back as profiles with their own events and traits. And the
 * property behind it: after any sequence of links and unlinks, the profiles are exactly the
 * connected components of the active edges.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import { connectedComponents, identifierKey, identitySettings, newProfileId, unmerge, withTenant } from '@stratum/identity';
import { exampleRecords, type Identifier, type UniqueEvent } from '@stratum/schemas';
import { useTestPostgres, type TestDatabase } from '@stratum/testing';
import { archivePartitions } from '../src/resolve/archive-partitions';
import { createResolver, type Resolver } from '../src/resolve/resolver';

const postgres = useTestPostgres();
let database: TestDatabase;
let db: Db;
let resolver: Resolver;

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url, { maxConnections: 10 });
  await migrateToLatest(db);
  resolver = createResolver({ db, settingsFor: async () => identitySettings({ limits: {} }), partitions: archivePartitions(db), newProfileId });
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const T0 = Date.parse('2026-11-20T10:00:00Z');
let n = 0;
type Who = { userId?: string; anonymousId?: string; email?: string };
const idsOf = (who: Who): Identifier[] => [
  ...(who.userId ? [{ type: 'user_id' as const, namespace: null, value: who.userId, valueHash: sha(who.userId), path: 'userId' }] : []),
  ...(who.anonymousId ? [{ type: 'anonymous_id' as const, namespace: null, value: who.anonymousId, valueHash: sha(who.anonymousId), path: 'anonymousId' }] : []),
  ...(who.email ? [{ type: 'email' as const, namespace: null, value: null, valueHash: sha(who.email), path: 'traits.email' }] : []),
];
const key = (type: 'user_id' | 'anonymous_id' | 'email', v: string) => identifierKey({ type, namespace: '', valueHash: sha(v) });

function event(tenantId: string, who: Who, traits?: Record<string, unknown>): UniqueEvent {
  n++;
  return { ...exampleRecords['events.unique'], tenantId, messageId: `msg-${n}`, type: traits ? 'identify' : 'track', traits: JSON.stringify(traits ?? {}), timestamp: T0 + n * 1000, identifiers: idsOf(who) };
}

const rows = <T>(tenantId: string, sql: string, bindings: unknown[] = []) => withTenant(db, tenantId, async (trx) => (await trx.raw<{ rows: T[] }>(sql, bindings as never)).rows);

test('unmerge restores both profiles: the old id back, each with its events and traits, and an audit', async () => {
  const t = 'ten_undo';
  const anon = await resolver.resolve(t, [event(t, { anonymousId: 'ipad' }, { device: 'iPad' }), event(t, { anonymousId: 'ipad' })]);
  const A = anon.plan.events[0]!.profileId;
  const user = await resolver.resolve(t, [event(t, { userId: 'bob' }, { plan: 'pro' })]);
  const U = user.plan.events[0]!.profileId;
  const login = await resolver.resolve(t, [event(t, { userId: 'bob', anonymousId: 'ipad' })]);
  expect(login.plan.merged).toEqual(new Map([[U, A]]));

  const result = await unmerge(db, t, { profileId: A, remove: { edge: { a: key('user_id', 'bob'), b: key('anonymous_id', 'ipad') } }, actor: 'ops@acme', reason: 'shared iPad' }, newProfileId);
  expect(result.kept).toMatchObject({ profileId: A, identifiers: [key('anonymous_id', 'ipad')], events: 2, traits: { device: 'iPad' } });
  expect(result.split).toEqual([expect.objectContaining({ profileId: U, restored: true, identifiers: [key('user_id', 'bob')], events: 2, traits: { plan: 'pro' } })]);
  expect(await rows(t, 'SELECT id, status, merged_into FROM profiles ORDER BY id')).toEqual(
    [
      { id: A, status: 'active', merged_into: null },
      { id: U, status: 'active', merged_into: null },
    ].sort((x, y) => (x.id < y.id ? -1 : 1)),
  );
  const audit = await rows<{ action: string; other_profile_ids: string[]; actor: string; reason: string }>(t, "SELECT action, other_profile_ids, actor, reason FROM identity_audit WHERE action = 'unmerge'");
  expect(audit).toEqual([{ action: 'unmerge', other_profile_ids: [U], actor: 'ops@acme', reason: 'shared iPad' }]);
  // New events go where the graph now says.
  const after = await resolver.resolve(t, [event(t, { userId: 'bob' }), event(t, { anonymousId: 'ipad' })]);
  expect(after.plan.events.map((e) => e.profileId)).toEqual([U, A]);
});

test('removing an identifier gives it a profile of its own and splits a graph it bridged', async () => {
  const t = 'ten_remove';
  const r = await resolver.resolve(t, [event(t, { anonymousId: 'laptop', email: 'shared@x.com' }), event(t, { anonymousId: 'phone', email: 'shared@x.com' })]);
  const P = r.plan.events[0]!.profileId;
  expect(r.plan.events[1]!.profileId).toBe(P);
  const result = await unmerge(db, t, { profileId: P, remove: { identifier: key('email', 'shared@x.com') }, actor: 'ops' }, newProfileId);
  const parts = [result.kept, ...result.split].map((p) => p.identifiers);
  expect(parts.sort()).toEqual([[key('anonymous_id', 'laptop')], [key('anonymous_id', 'phone')], [key('email', 'shared@x.com')]].sort());
  expect(result.removedEdges).toBe(2);
  await expect(unmerge(db, t, { profileId: P, remove: { identifier: key('email', 'nobody@x.com') }, actor: 'ops' }, newProfileId)).rejects.toMatchObject({ code: 'identifier_not_on_profile' });
  // Another tenant cannot even see the profile.
  await expect(unmerge(db, 'ten_other', { profileId: P, remove: { identifier: key('email', 'shared@x.com') }, actor: 'ops' }, newProfileId)).rejects.toMatchObject({ code: 'profile_not_found' });
});

test('property: after any sequence of links and unlinks, profiles are exactly the connected components of the active edges', async () => {
  const people = ['a', 'b', 'c', 'd'];
  const op = fc.oneof(
    fc.record({ kind: fc.constant('link' as const), anon: fc.constantFrom(...people), user: fc.option(fc.constantFrom(...people), { nil: undefined }), email: fc.option(fc.constantFrom(...people), { nil: undefined }) }),
    fc.record({ kind: fc.constant('unlink' as const), pick: fc.nat(), identifier: fc.boolean() }),
  );
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
      const t = `ten_prop_${run++}`;
      for (const o of ops) {
        if (o.kind === 'link') {
          await resolver.resolve(t, [event(t, { anonymousId: `anon-${o.anon}`, ...(o.user ? { userId: `user-${o.user}` } : {}), ...(o.email ? { email: `${o.email}@x.com` } : {}) })]);
          continue;
        }
        const edges = await rows<{ a_key: string; b_key: string }>(t, 'SELECT a_key, b_key FROM identity_edges WHERE removed_at IS NULL ORDER BY id');
        if (edges.length === 0) continue;
        const edge = edges[o.pick % edges.length]!;
        const [owner] = await rows<{ profile_id: string }>(t, "SELECT profile_id FROM identifiers WHERE type || ':' || namespace || ':' || value_hash = ?", [edge.a_key]);
        await unmerge(db, t, { profileId: owner!.profile_id, remove: o.identifier ? { identifier: edge.b_key } : { edge: { a: edge.a_key, b: edge.b_key } }, actor: 'prop' }, newProfileId);
      }
      const ids = await rows<{ key: string; profile_id: string; status: string }>(
        t,
        "SELECT i.type || ':' || i.namespace || ':' || i.value_hash AS key, i.profile_id, p.status FROM identifiers i JOIN profiles p ON p.tenant_id = i.tenant_id AND p.id = i.profile_id",
      );
      const edges = await rows<{ a_key: string; b_key: string }>(t, 'SELECT a_key, b_key FROM identity_edges WHERE removed_at IS NULL');
      expect(ids.every((i) => i.status === 'active')).toBe(true);
      const profileOf = new Map(ids.map((i) => [i.key, i.profile_id]));
      const components = connectedComponents(profileOf.keys(), edges.map((e) => [e.a_key, e.b_key] as const));
      const profilesPerComponent = components.map((c) => new Set(c.map((k) => profileOf.get(k))));
      expect(profilesPerComponent.every((s) => s.size === 1)).toBe(true);
      expect(new Set(profilesPerComponent.map((s) => [...s][0])).size).toBe(components.length);
    }),
    { numRuns: 25 },
  );
}, 120_000);
