/**
 * Tenant-scoped transactions: every read and write of a tenant table (identity, destinations)
 * runs as the non-owner role `stratum_app` with `stratum.tenant_id` set for this transaction only.
 * Row-level security then shows and accepts only that tenant's rows, whatever the query says: the
 * second wall behind the code's own `WHERE tenant_id = ?` (docs/identity.md).
 */
import type { Knex } from 'knex';
import type { Db } from './connection';
import { APP_ROLE } from './migrations/202611241200_identity';

export { APP_ROLE };

export interface TenantTransactionOptions {
  /**
   * `'snapshot'`: REPEATABLE READ, READ ONLY — every statement of `work` sees one snapshot (a
   * reader assembling an answer from several queries cannot see half of a concurrent change) and
   * nothing can be written. Default: READ COMMITTED, read-write.
   */
  readonly mode?: 'snapshot';
}

/**
 * Points the rest of `trx` at `tenantId`'s rows, as the app role. One round trip for both:
 * set_config('role', …, true) is SET LOCAL ROLE. May be called again to move to another tenant.
 */
export async function scopeToTenant(trx: Knex.Transaction, tenantId: string): Promise<void> {
  await trx.raw("SELECT set_config('role', ?, true), set_config('stratum.tenant_id', ?, true)", [APP_ROLE, tenantId]);
}

export async function withTenant<T>(db: Db, tenantId: string, work: (trx: Knex.Transaction) => Promise<T>, options: TenantTransactionOptions = {}): Promise<T> {
  const scoped = async (trx: Knex.Transaction) => {
    await scopeToTenant(trx, tenantId);
    return work(trx);
  };
  return options.mode === 'snapshot' ? db.transaction(scoped, { isolationLevel: 'repeatable read', readOnly: true }) : db.transaction(scoped);
}
