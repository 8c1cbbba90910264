/** Checks shared by the PostgreSQL tests of both server sources. */
import type pg from 'pg';
import type { TestPostgres } from '../src';

/** Whether a database of this name exists on the server behind `pool`. */
export async function databaseExists(pool: pg.Pool, name: string): Promise<boolean> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM pg_database WHERE datname = $1', [name]);
  return rows[0]!.n === '1';
}

/** Two databases from `newDatabase` do not see each other's tables, and drop removes one for good. */
export async function expectIsolatedDatabases(postgres: TestPostgres): Promise<void> {
  const a = await postgres.newDatabase();
  const b = await postgres.newDatabase();
  expect(a.name).not.toBe(b.name);
  expect(a.name).toMatch(/^stratum_test_[0-9a-f]{12}$/);

  await a.pool.query('CREATE TABLE profiles (id text PRIMARY KEY, traits jsonb NOT NULL)');
  await a.pool.query(`INSERT INTO profiles VALUES ('p1', '{"plan":"pro"}')`);
  expect((await a.pool.query('SELECT id, traits FROM profiles')).rows).toEqual([{ id: 'p1', traits: { plan: 'pro' } }]);
  await expect(b.pool.query('SELECT * FROM profiles')).rejects.toMatchObject({ code: '42P01' }); // undefined_table
  expect((await b.pool.query('SELECT current_database() AS db')).rows[0].db).toBe(b.name);

  // A connection the test left open does not stop the drop.
  const straggler = await a.pool.connect();
  straggler.release();
  await a.drop();
  await a.drop(); // idempotent
  expect(await databaseExists(postgres.pool, a.name)).toBe(false);
  expect(await databaseExists(postgres.pool, b.name)).toBe(true);
  await b.drop();
}
