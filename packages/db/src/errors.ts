import { defineErrorCodes } from '@stratum/errors';

/** Errors of @stratum/db. */
export const dbErrors = defineErrorCodes({
  database_unavailable: { retriable: true, description: 'PostgreSQL refused the connection or did not answer' },
  migration_failed: { retriable: false, description: 'a migration failed; the transaction was rolled back and later migrations were not run' },
  unknown_migration: { retriable: false, description: 'the database has a migration this code does not know (it was migrated by a newer version)' },
});
