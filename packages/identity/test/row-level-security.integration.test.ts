/**
 * Row-level security as the second wall: inside withTenant a query sees and writes only its
 * tenant's rows even when it names another tenant, and without a tenant it sees nothing.
 */
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import { useTestPostgres, type TestDatabase } from '@stratum/testing';
import { withTenant } from '../src';

const postgres = useTestPostgres();
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url);
  await migrateToLatest(db);
  for (const tenant of ['ten_a', 'ten_b']) {
    await withTenant(db, tenant, (trx) => trx.raw("INSERT INTO profiles (tenant_id, id, first_seen_at, last_seen_at) VALUES (?, ?, now(), now())", [tenant, `prf_${tenant}`]));
  }
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

test('a tenant sees only its own rows, even when the query asks for another tenant', async () => {
  const rows = await withTenant(db, 'ten_a', (trx) => trx('profiles').select('tenant_id', 'id'));
  expect(rows).toEqual([{ tenant_id: 'ten_a', id: 'prf_ten_a' }]);
  expect(await withTenant(db, 'ten_a', (trx) => trx('profiles').where({ tenant_id: 'ten_b' }).select('id'))).toEqual([]);
  const updated = await withTenant(db, 'ten_a', (trx) => trx('profiles').where({ id: 'prf_ten_b' }).update({ do_not_contact: true }));
  expect(updated).toBe(0);
});

test("a write of another tenant's row is refused", async () => {
  const attempt = withTenant(db, 'ten_a', (trx) => trx.raw("INSERT INTO profiles (tenant_id, id, first_seen_at, last_seen_at) VALUES ('ten_b', 'prf_x', now(), now())"));
  await expect(attempt).rejects.toThrow(/row-level security/);
});

test('the app role without a tenant set sees nothing', async () => {
  const rows = await db.transaction(async (trx) => {
    await trx.raw('SET LOCAL ROLE stratum_app');
    return trx('profiles').select('id');
  });
  expect(rows).toEqual([]);
});

test('the event archive is append-only: no delete, no change but the profile it points to', async () => {
  await db.raw("CREATE TABLE IF NOT EXISTS profile_events_202611 PARTITION OF profile_events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')");
  await withTenant(db, 'ten_a', (trx) =>
    trx.raw(
      `INSERT INTO profile_events (tenant_id, message_id, event_ts, profile_id, received_at, type, source_id, identifier_keys, payload)
       VALUES ('ten_a', 'm1', '2026-11-24T00:00:00Z', 'prf_ten_a', now(), 'track', 'src', '{}', '{}')`,
    ),
  );
  await withTenant(db, 'ten_a', (trx) => trx('profile_events').where({ message_id: 'm1' }).update({ profile_id: 'prf_other' }));
  await expect(withTenant(db, 'ten_a', (trx) => trx('profile_events').where({ message_id: 'm1' }).update({ type: 'page' }))).rejects.toThrow(/append-only/);
  await expect(withTenant(db, 'ten_a', (trx) => trx('profile_events').where({ message_id: 'm1' }).delete())).rejects.toThrow(/permission denied|append-only/);
});

test("mode 'snapshot': one snapshot for the whole transaction, still tenant-scoped, and read-only", async () => {
  const seen = await withTenant(
    db,
    'ten_a',
    async (trx) => {
      const before = await trx('profiles').pluck<string[]>('id');
      // Committed by another transaction meanwhile: a READ COMMITTED reader would see it now.
      await withTenant(db, 'ten_a', (other) => other.raw("INSERT INTO profiles (tenant_id, id, first_seen_at, last_seen_at) VALUES ('ten_a', 'prf_later', now(), now())"));
      const after = await trx('profiles').pluck<string[]>('id');
      const { rows } = await trx.raw<{ rows: Array<{ transaction_isolation: string }> }>('SHOW transaction_isolation');
      return { before, after, isolation: rows[0]!.transaction_isolation };
    },
    { mode: 'snapshot' },
  );
  expect(seen.isolation).toBe('repeatable read');
  expect(seen.after).toEqual(seen.before);
  expect(seen.before).not.toContain('prf_ten_b');
  await expect(withTenant(db, 'ten_a', (trx) => trx('profiles').where({ id: 'prf_ten_a' }).update({ do_not_contact: true }), { mode: 'snapshot' })).rejects.toThrow(/read-only transaction/);
  expect(await withTenant(db, 'ten_a', (trx) => trx('profiles').pluck<string[]>('id'))).toContain('prf_later');
});
