/**
 * The transaction every read of the profile API runs in: the tenant's (withTenant: role
 * stratum_app, row-level security), read-only, and REPEATABLE READ — a profile answer is assembled
 * from several queries (the row, identifiers, consents, merged ids), and one snapshot means a
 * merge committing meanwhile is seen entirely or not at all.
 */
import type { Db } from '@stratum/db';
import { withTenant } from '@stratum/identity';
import type { Knex } from 'knex';

export function readAsTenant<T>(db: Db, tenantId: string, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return withTenant(db, tenantId, work, { mode: 'snapshot' });
}
