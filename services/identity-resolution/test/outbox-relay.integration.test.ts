/**
 * The identity outbox relay against the embedded broker over TCP and PostgreSQL: snapshots reach
 * the compacted topic in commit order even when the writers' transactions start in the other
 * order; an unmerge publishes its audit and the parts' snapshots; a failed send leaves the rows
 * to be sent again; two relays never publish at once.
 */
import { createHash } from 'node:crypto';
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import { enqueueOutbox, identifierKey, identitySettings, newProfileId, profileChangeRecord, unmerge, withTenant } from '@stratum/identity';
import { silentLogger } from '@stratum/observability';
import { exampleRecords, type Identifier, type UniqueEvent } from '@stratum/schemas';
import { collectToEnd, uniqueName, useTestPostgres, useTestStack, type TestDatabase } from '@stratum/testing';
import { kafkaOutboxSender, type OutboxSender } from '../src/outbox/kafka-sender';
import { createOutboxRelay, type OutboxRecord } from '../src/outbox/relay';
import { archivePartitions } from '../src/resolve/archive-partitions';
import { createResolver } from '../src/resolve/resolver';

jest.setTimeout(120_000);
const stack = useTestStack();
const postgres = useTestPostgres();
let database: TestDatabase;
let db: Db;
let sender: OutboxSender;
const topics = { 'profiles.changes': uniqueName('changes'), 'identity.audit': uniqueName('audit'), 'consents.changes': uniqueName('consents') };

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url, { maxConnections: 10 });
  await migrateToLatest(db);
  await stack.admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })) });
  sender = await kafkaOutboxSender({ brokers: stack.brokers, clientId: 'outbox-test' }, stack.registryUrl, topics, silentLogger());
  stack.onStop(async () => {
    await sender.close();
    await stack.admin.deleteTopics({ topics: Object.values(topics) });
  });
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});
afterEach(async () => {
  await db.raw('DELETE FROM identity_outbox');
});

const snapshot = (tenantId: string, profileId: string, version: number) =>
  profileChangeRecord(
    tenantId,
    { profileId, version, traits: { v: version }, traitRows: null, identifiers: [], consents: [], doNotContact: false, firstSeenAt: 0, lastSeenAt: 0 },
    { change: 'updated', causedBy: `m-${version}`, changedAt: Date.now() },
  );

test('per profile, the topic gets the snapshots in commit order, so compaction keeps the newest', async () => {
  const t = 'ten_order';
  await withTenant(db, t, (trx) => trx.raw("INSERT INTO profiles (tenant_id, id, first_seen_at, last_seen_at) VALUES (?, 'p1', now(), now())", [t]));
  // Writer A takes the profile's row lock first; writer B waits for it — the order two chunks on one profile commit in.
  let releaseA!: () => void;
  const aHolds = new Promise<void>((resolve) => (releaseA = resolve));
  let aLocked!: () => void;
  const locked = new Promise<void>((resolve) => (aLocked = resolve));
  const a = withTenant(db, t, async (trx) => {
    await trx.raw("SELECT 1 FROM profiles WHERE tenant_id = ? AND id = 'p1' FOR UPDATE", [t]);
    aLocked();
    await aHolds;
    await enqueueOutbox(trx, t, [{ topic: 'profiles.changes', profileId: 'p1', value: snapshot(t, 'p1', 1) }]);
  });
  await locked;
  const b = withTenant(db, t, async (trx) => {
    await trx.raw("SELECT 1 FROM profiles WHERE tenant_id = ? AND id = 'p1' FOR UPDATE", [t]);
    await enqueueOutbox(trx, t, [{ topic: 'profiles.changes', profileId: 'p1', value: snapshot(t, 'p1', 2) }]);
  });
  await new Promise((r) => setTimeout(r, 100));
  releaseA();
  await Promise.all([a, b]);

  const relay = createOutboxRelay({ db, send: (r) => sender.send(r) });
  expect(await relay.drainOnce()).toBe(2);
  expect(await relay.drainOnce()).toBe(0);
  const records = await collectToEnd(stack, { topic: topics['profiles.changes'], schema: 'profiles.changes' });
  expect(records.filter((r) => r.key === `${t}:p1`).map((r) => r.value!.version)).toEqual([1, 2]);
});

test('a failed send keeps the rows; the next pass sends them; two relays never publish at once', async () => {
  const t = 'ten_retry';
  await withTenant(db, t, (trx) => enqueueOutbox(trx, t, [1, 2, 3].map((v) => ({ topic: 'profiles.changes' as const, profileId: `q${v}`, value: snapshot(t, `q${v}`, v) }))));
  const failing = createOutboxRelay({ db, send: async () => Promise.reject(new Error('broker down')) });
  await expect(failing.drainOnce()).rejects.toThrow('broker down');
  expect((await db.raw('SELECT count(*)::int AS n FROM identity_outbox')).rows[0].n).toBe(3);

  // While one relay is inside its send, another finds the lock taken and publishes nothing.
  let inside!: () => void;
  const entered = new Promise<void>((resolve) => (inside = resolve));
  let finish!: () => void;
  const held = new Promise<void>((resolve) => (finish = resolve));
  const sent: OutboxRecord[] = [];
  const slow = createOutboxRelay({ db, send: async (r) => void (inside(), await held, sent.push(...r)) });
  const first = slow.drainOnce();
  await entered;
  const other = createOutboxRelay({ db, send: async (r) => void sent.push(...r) });
  expect(await other.drainOnce()).toBe(0);
  finish();
  expect(await first).toBe(3);
  expect(sent.map((r) => r.key)).toEqual([`${t}:q1`, `${t}:q2`, `${t}:q3`]);
});

test('an unmerge publishes its audit and a snapshot of each part', async () => {
  const t = 'ten_unmerge_pub';
  const resolver = createResolver({ db, settingsFor: async () => identitySettings({ limits: {} }), partitions: archivePartitions(db), newProfileId });
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const id = (type: 'user_id' | 'anonymous_id', v: string): Identifier => ({ type, namespace: null, value: v, valueHash: sha(v), path: null });
  const ev = (n: number, ids: Identifier[]): UniqueEvent => ({ ...exampleRecords['events.unique'], tenantId: t, messageId: `u-${n}`, type: 'track', traits: '{}', timestamp: Date.now() - 10_000 + n, identifiers: ids });
  await resolver.resolve(t, [ev(1, [id('anonymous_id', 'tablet')])]);
  await resolver.resolve(t, [ev(2, [id('user_id', 'zoe')])]);
  const login = await resolver.resolve(t, [ev(3, [id('user_id', 'zoe'), id('anonymous_id', 'tablet')])]);
  const survivor = login.plan.events[0]!.profileId;
  const edge = { a: identifierKey({ type: 'anonymous_id', namespace: '', valueHash: sha('tablet') }), b: identifierKey({ type: 'user_id', namespace: '', valueHash: sha('zoe') }) };
  const result = await unmerge(db, t, { profileId: survivor, remove: { edge }, actor: 'ops@acme', reason: 'shared tablet' }, newProfileId);

  await createOutboxRelay({ db, send: (r) => sender.send(r) }).drainOnce();
  const audits = (await collectToEnd(stack, { topic: topics['identity.audit'], schema: 'identity.audit' })).map((r) => r.value!);
  expect(audits).toEqual([expect.objectContaining({ auditId: result.auditId, action: 'unmerge', profileId: survivor, provenance: expect.objectContaining({ actor: 'ops@acme', reason: 'shared tablet' }) })]);
  const changes = (await collectToEnd(stack, { topic: topics['profiles.changes'], schema: 'profiles.changes' })).filter((r) => r.key!.startsWith(`${t}:`));
  // The resolver's snapshots (created ×2, merged, and a tombstone), then the unmerge's: both parts, the split one naming its origin.
  const last = new Map(changes.map((r) => [r.key!, r.value]));
  const parts = [result.kept, ...result.split];
  expect(parts).toHaveLength(2);
  for (const part of parts) {
    const v = last.get(`${t}:${part.profileId}`)!;
    expect(v).toMatchObject({ change: 'unmerged', causedBy: result.auditId, version: part.version, splitFromProfileId: part.profileId === survivor ? null : survivor });
  }
});
