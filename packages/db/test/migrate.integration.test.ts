import { closedPort, useTestPostgres, type TestDatabase } from '@stratum/testing';
import { createDb, dbErrors, migrateToLatest, migrationStatus, MIGRATIONS, rollbackLast, type Db } from '../src';

const postgres = useTestPostgres();
let database: TestDatabase;
let db: Db;

beforeEach(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url);
});
afterEach(async () => {
  await db.destroy();
  await database.drop();
});

const names = MIGRATIONS.map((m) => m.name);

test('a fresh database gets every migration, in order, and a second run applies nothing', async () => {
  expect(await migrationStatus(db)).toEqual({ applied: [], pending: names });
  expect(await migrateToLatest(db)).toEqual(names);
  expect(await migrateToLatest(db)).toEqual([]);
  expect(await migrationStatus(db)).toEqual({ applied: names, pending: [] });
  const tables = await db('pg_tables').where({ schemaname: 'public' }).pluck('tablename');
  expect(tables).toEqual(expect.arrayContaining(['tenants', 'sources', 'write_keys', 'admin_keys', 'tracking_plan_events']));
});

test('two processes migrating at once apply each migration once (knex lock table)', async () => {
  const other = createDb(database.url);
  try {
    const [a, b] = await Promise.all([migrateToLatest(db), migrateToLatest(other)]);
    // One applied everything, the other waited for it and found nothing left to do.
    expect([a, b].sort((x, y) => y.length - x.length)).toEqual([names, []]);
    expect(await migrationStatus(db)).toEqual({ applied: names, pending: [] });
  } finally {
    await other.destroy();
  }
});

test('rollback undoes the last batch and migrating again restores it', async () => {
  await migrateToLatest(db);
  expect(await rollbackLast(db)).toEqual([...names].reverse());
  expect(await db.schema.hasTable('tenants')).toBe(false);
  expect(await migrateToLatest(db)).toEqual(names);
});

test('an unreachable server is database_unavailable (retriable), not a migration failure', async () => {
  const port = await closedPort();
  const dead = createDb(`postgres://postgres@127.0.0.1:${port}/none`);
  try {
    const err = await migrateToLatest(dead).catch((e: unknown) => e);
    expect(dbErrors.is(err, 'database_unavailable')).toBe(true);
    expect((err as { retriable: boolean }).retriable).toBe(true);
  } finally {
    await dead.destroy();
  }
});

test('a database migrated by a newer version (an unknown migration applied) is refused with a clear error', async () => {
  await migrateToLatest(db);
  await db('stratum_migrations').insert({ name: '209912312359_from_the_future', batch: 99, migration_time: new Date() });
  const err = await migrateToLatest(db).catch((e: unknown) => e);
  expect(dbErrors.is(err, 'unknown_migration')).toBe(true);
  expect((err as Error).message).toMatch(/209912312359_from_the_future/);
});

describe('202611241000_dedup_window', () => {
  const columns = async () => {
    const rows: Array<{ table_name: string }> = await db('information_schema.columns').where({ table_schema: 'public', column_name: 'dedup_window_seconds' }).select('table_name');
    return rows.map((r) => r.table_name).sort();
  };

  test('adds a nullable dedup_window_seconds to tenants and sources, checked to 60 s – 90 days', async () => {
    await migrateToLatest(db);
    expect(await columns()).toEqual(['sources', 'tenants']);
    const insertTenant = (id: string, window: number | null) => db('tenants').insert({ id, name: id, dedup_window_seconds: window });
    await insertTenant('t_null', null);
    await insertTenant('t_min', 60);
    await insertTenant('t_max', 7_776_000);
    await expect(insertTenant('t_short', 59)).rejects.toThrow(/tenants_dedup_window_check/);
    await expect(insertTenant('t_long', 7_776_001)).rejects.toThrow(/tenants_dedup_window_check/);
    const source = (id: string, window: number | null) =>
      db('sources').insert({ id, tenant_id: 't_null', name: id, max_event_bytes: 1, max_batch_bytes: 1, max_batch_events: 1, rate_limit_per_second: 0, rate_limit_burst: 0, dedup_window_seconds: window });
    await source('s_null', null);
    await source('s_day', 86_400);
    await expect(source('s_zero', 0)).rejects.toThrow(/sources_dedup_window_check/);
  });

  test('down removes the columns and their checks, and only them', async () => {
    const at = MIGRATIONS.findIndex((m) => m.name === '202611241000_dedup_window');
    await migrateToLatest(db, MIGRATIONS.slice(0, at));
    await migrateToLatest(db, MIGRATIONS.slice(0, at + 1)); // a batch of its own, so rollbackLast undoes only it
    expect(await rollbackLast(db)).toEqual(['202611241000_dedup_window']);
    expect(await columns()).toEqual([]);
    const checks: Array<{ conname: string }> = await db('pg_constraint').where('conname', 'like', '%dedup_window%').select('conname');
    expect(checks).toEqual([]);
    expect(await db.schema.hasTable('tenants')).toBe(true);
    expect(await migrateToLatest(db, MIGRATIONS.slice(0, at + 1))).toEqual(['202611241000_dedup_window']);
  });
});
