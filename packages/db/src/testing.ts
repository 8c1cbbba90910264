/**
 * For integration tests (`@stratum/db/testing`): a fresh database with every migration applied,
 * for one test file — the fixture most integration tests open with. Registers its own jest hooks:
 * created and migrated in beforeAll, closed and dropped in afterAll. It lives here rather than in
 * @stratum/testing because @stratum/db's own tests depend on that package.
 */
import { useTestPostgres, type TestDatabase } from '@stratum/testing';
import { createDb, type CreateDbOptions, type Db } from './connection';
import { migrateToLatest } from './migrate';

export interface MigratedDatabase {
  /** A knex for the database (valid from the file's beforeAll hooks on). */
  readonly db: Db;
  /** The database itself (name, url, a pg pool). */
  readonly database: TestDatabase;
}

export function useMigratedDatabase(options: CreateDbOptions = {}): MigratedDatabase {
  const postgres = useTestPostgres();
  const state: { db?: Db; database?: TestDatabase } = {};
  beforeAll(async () => {
    state.database = await postgres.newDatabase();
    state.db = createDb(state.database.url, options);
    await migrateToLatest(state.db);
  });
  afterAll(async () => {
    await state.db?.destroy();
    await state.database?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useMigratedDatabase(): read it inside tests and hooks, after beforeAll');
    return value;
  };
  return {
    get db() {
      return ready(state.db);
    },
    get database() {
      return ready(state.database);
    },
  };
}
