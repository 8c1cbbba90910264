/**
 * @stratum/db: the PostgreSQL connection (knex over pg) and the project's one migration history.
 * `pnpm stratum db migrate` runs it; services check `migrationStatus` is current at start.
 */
export { createDb, isConnectionError, type Db, type CreateDbOptions } from './connection';
export { migrateToLatest, migrationStatus, rollbackLast, MIGRATIONS_TABLE, type MigrationStatus } from './migrate';
export { MIGRATIONS, type Migration } from './migrations';
export { openMigratedDbOrExit } from './open-migrated';
export { dbErrors } from './errors';
export { withTenant, scopeToTenant, APP_ROLE, type TenantTransactionOptions } from './tenant-scope';
export { epochMs, exactTimestampSql, fromEpochMs, TENANT_ID } from './sql';
export { writeThroughStage, type CopyColumn, type CopyValue } from './copy';
