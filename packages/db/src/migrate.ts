/**
 * Running the migration history with knex's migrator, from the static list in migrations/index.ts
 * (not a folder scan: the same code runs under tsx, jest and a bundled image). Two processes
 * migrating at once (two replicas starting) wait for each other on a PostgreSQL advisory lock:
 * knex's own lock table is created by the first migration run, and two first runs race creating it.
 */
import type { Knex } from 'knex';
import type { Db } from './connection';
import { isConnectionError } from './connection';
import { dbErrors } from './errors';
import { MIGRATIONS, type Migration } from './migrations';

export const MIGRATIONS_TABLE = 'stratum_migrations';

class StaticSource implements Knex.MigrationSource<Migration> {
  constructor(private readonly migrations: readonly Migration[]) {}
  async getMigrations(): Promise<Migration[]> {
    return [...this.migrations];
  }
  getMigrationName(migration: Migration): string {
    return migration.name;
  }
  async getMigration(migration: Migration): Promise<Knex.Migration> {
    return { up: (db) => migration.up(db), down: (db) => migration.down(db) };
  }
}

function config(migrations: readonly Migration[]): Knex.MigratorConfig {
  return { migrationSource: new StaticSource(migrations), tableName: MIGRATIONS_TABLE, disableMigrationsListValidation: false };
}

export interface MigrationStatus {
  readonly applied: readonly string[];
  readonly pending: readonly string[];
}

function wrap(err: unknown, what: string): Error {
  if (isConnectionError(err)) return dbErrors.error('database_unavailable', `cannot ${what}: PostgreSQL is unreachable (${(err as Error).message})`, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  if (/corrupt|missing/i.test(message) && /migration/i.test(message)) {
    return dbErrors.error('unknown_migration', `cannot ${what}: ${message} (was this database migrated by a newer Stratum?)`, { cause: err });
  }
  return dbErrors.error('migration_failed', `cannot ${what}: ${message}`, { cause: err });
}

/** An arbitrary constant shared by every Stratum process: the key of the migration advisory lock. */
const MIGRATION_LOCK_KEY = 7_370_116_001;

/**
 * Runs `work` while holding the migration advisory lock. The lock belongs to an open transaction on
 * one pooled connection and is released when it ends, even if this process dies; `work` runs on others.
 */
async function withMigrationLock<T>(db: Db, work: () => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    return work();
  });
}

/** Applies every pending migration in order; returns the names applied now (empty when up to date). */
export async function migrateToLatest(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
  try {
    return await withMigrationLock(db, async () => {
      const [, applied] = (await db.migrate.latest(config(migrations))) as [number, string[]];
      return applied;
    });
  } catch (err) {
    throw wrap(err, 'migrate');
  }
}

/** What is applied and what is pending, without changing anything. */
export async function migrationStatus(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationStatus> {
  try {
    const [done, pending] = (await db.migrate.list(config(migrations))) as [Array<{ name: string } | string>, Migration[]];
    return { applied: done.map((m) => (typeof m === 'string' ? m : m.name)), pending: pending.map((m) => m.name) };
  } catch (err) {
    throw wrap(err, 'read the migration status');
  }
}

/** Rolls back the last batch of migrations (operators: only with a restore plan). */
export async function rollbackLast(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
  try {
    return await withMigrationLock(db, async () => {
      const [, rolledBack] = (await db.migrate.rollback(config(migrations))) as [number, string[]];
      return rolledBack;
    });
  } catch (err) {
    throw wrap(err, 'roll back');
  }
}
