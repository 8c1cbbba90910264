/**
 * The claim store against a real PostgreSQL: first claims, repeats, a first copy read again,
 * windows that expire (within today's partition and across days), concurrent writers racing on
 * the same keys, and the day partitions' upkeep.
 */
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import { useTestPostgres, type TestDatabase } from '@stratum/testing';
import type { ClaimRequest, InputPosition } from '../src/claims/claim';
import { createClaimStore, utcDay } from '../src/claims/claim-store';
import { claimStateSize, daysToKeep, dropExpiredDayPartitions, ensureDayPartitions, listDayPartitions } from '../src/claims/day-partitions';

const postgres = useTestPostgres();
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url, { maxConnections: 12 });
  await migrateToLatest(db);
  await ensureDayPartitions(db, { today: utcDay(Date.now()) });
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const at = (partition: number, offset: number, topic = 'events.valid'): InputPosition => ({ topic, partition, offset: String(offset) });
const request = (messageId: string, position: InputPosition, windowSeconds = 3600, tenantId = 't1'): ClaimRequest => ({ tenantId, messageId, windowSeconds, position });

test('the first record of a key owns it; a repeat finds the owner; the owner read again finds itself', async () => {
  const store = createClaimStore(db);
  const [first] = await store.claim([request('a-1', at(0, 10))]);
  expect(first).toMatchObject({ owner: at(0, 10), created: true });
  const [repeat, sameRecordAgain] = await Promise.all([store.claim([request('a-1', at(3, 99))]), store.claim([request('a-1', at(0, 10))])]);
  expect(repeat![0]).toMatchObject({ owner: at(0, 10), created: false });
  expect(sameRecordAgain![0]).toMatchObject({ owner: at(0, 10), created: false });
  expect(repeat![0]!.firstSeenMs).toBe(first!.firstSeenMs);
});

test('keys are per tenant, and a chunk mixes new keys, repeats and its own claims in one call', async () => {
  const store = createClaimStore(db);
  await store.claim([request('b-1', at(1, 1)), request('b-2', at(1, 2))]);
  const claims = await store.claim([request('b-1', at(2, 7)), request('b-2', at(1, 2)), request('b-3', at(2, 8)), request('b-1', at(2, 9), 3600, 't2')]);
  expect(claims.map((c) => [c.owner.partition, c.owner.offset, c.created])).toEqual([
    [1, '1', false],
    [1, '2', false],
    [2, '8', true],
    [2, '9', true],
  ]);
});

test('a claim older than the window no longer holds: the next record takes the key over (in today\'s partition)', async () => {
  const store = createClaimStore(db);
  await store.claim([request('c-1', at(0, 1), 1)]);
  expect((await store.claim([request('c-1', at(0, 2), 1)]))[0]).toMatchObject({ owner: at(0, 1) });
  await new Promise((r) => setTimeout(r, 1_100));
  expect((await store.claim([request('c-1', at(0, 3), 1)]))[0]).toMatchObject({ owner: at(0, 3), created: true });
  // ...and a longer window sees the claim just taken over, not the expired one.
  expect((await store.claim([request('c-1', at(5, 5), 3600)]))[0]).toMatchObject({ owner: at(0, 3) });
});

test('a claim from an earlier day holds while the window covers it and not after', async () => {
  const yesterday = utcDay(Date.now() - 86_400_000);
  await ensureDayPartitions(db, { today: yesterday, daysAhead: 0 });
  await db.raw(`INSERT INTO dedup_claims (tenant_id, message_id, day, first_seen, topic, "partition", "offset") VALUES ('t1', 'd-1', ?, now() - interval '20 hours', 'events.valid', 4, 40)`, [yesterday]);
  const store = createClaimStore(db);
  expect((await store.claim([request('d-1', at(0, 1), 86_400)]))[0]).toMatchObject({ owner: at(4, 40), created: false });
  // With a 1-hour window the old claim has expired: the key is claimed again, today.
  expect((await store.claim([request('d-1', at(0, 2), 3600)]))[0]).toMatchObject({ owner: at(0, 2), created: true });
});

test('concurrent writers racing on the same new keys agree on one owner per key', async () => {
  const store = createClaimStore(db);
  const keys = Array.from({ length: 300 }, (_, i) => `race-${i}`);
  // Ten "instances", each with the same keys at its own positions (as if from ten partitions), all at once.
  const results = await Promise.all(Array.from({ length: 10 }, (_, writer) => store.claim(keys.map((k, i) => request(k, at(writer, i))))));
  for (let i = 0; i < keys.length; i++) {
    const owners = new Set(results.map((claims) => `${claims[i]!.owner.partition}/${claims[i]!.owner.offset}`));
    expect(owners.size).toBe(1);
    // Exactly one writer created it, and that writer's position is the owner.
    const creators = results.map((claims, writer) => (claims[i]!.created ? writer : -1)).filter((w) => w >= 0);
    expect(creators).toHaveLength(1);
    expect(results[0]![i]!.owner.partition).toBe(creators[0]);
  }
});

test('day partitions: created ahead, expired days dropped whole, state size reported', async () => {
  const today = utcDay(Date.now());
  const created = await ensureDayPartitions(db, { today, daysAhead: 3 });
  expect(created.every((n) => /^dedup_claims_\d{8}$/.test(n))).toBe(true);
  expect(await ensureDayPartitions(db, { today, daysAhead: 3 })).toEqual([]);
  const old = utcDay(Date.now() - 10 * 86_400_000);
  await ensureDayPartitions(db, { today: old, daysAhead: 0 });
  await db.raw(`INSERT INTO dedup_claims (tenant_id, message_id, day, first_seen, topic, "partition", "offset") VALUES ('t1', 'old-1', ?, now() - interval '10 days', 't', 0, 0)`, [old]);
  expect(daysToKeep(7 * 86_400)).toBe(8);
  const dropped = await dropExpiredDayPartitions(db, { today, keepDays: daysToKeep(7 * 86_400) });
  expect(dropped).toEqual([`dedup_claims_${old.replaceAll('-', '')}`]);
  const days = (await listDayPartitions(db)).map((p) => p.day);
  expect(days).not.toContain(old);
  expect(days).toContain(today);
  const size = await claimStateSize(db);
  expect(size.partitions).toBe(days.length);
  expect(size.bytes).toBeGreaterThan(0);
});

test('a missing day partition is created on the spot instead of failing the chunk', async () => {
  const tomorrow = utcDay(Date.now() + 86_400_000);
  await db.raw(`DROP TABLE IF EXISTS dedup_claims_${utcDay(Date.now()).replaceAll('-', '')}`);
  const store = createClaimStore(db);
  expect((await store.claim([request('e-1', at(0, 1))]))[0]).toMatchObject({ owner: at(0, 1), created: true });
  expect((await listDayPartitions(db)).map((p) => p.day)).toContain(tomorrow);
});
