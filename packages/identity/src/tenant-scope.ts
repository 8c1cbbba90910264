/**
 * Every read and write of identity tables runs in a tenant-scoped transaction: as the non-owner
 * role `stratum_app`, with `stratum.tenant_id` set for this transaction only. Row-level security
 * then shows and accepts only that tenant's rows, whatever the query says: the second wall behind
 * the code's own `WHERE tenant_id = ?` (docs/identity.md).
 */
import type { Db } from '@stratum/db';
import type { Knex } from 'knex';

export const APP_ROLE = 'stratum_app';

export interface TenantTransactionOptions {
  /**
   * `'snapshot'`: REPEATABLE READ, READ ONLY — every statement of `work` sees one snapshot (a
   * reader assembling an answer from several queries cannot see half of a concurrent merge) and
   * nothing can be written. Default: READ COMMITTED, read-write.
   */
  readonly mode?: 'snapshot';
}

export async function withTenant<T>(db: Db, tenantId: string, work: (trx: Knex.Transaction) => Promise<T>, options: TenantTransactionOptions = {}): Promise<T> {
  const scoped = async (trx: Knex.Transaction) => {
    // One round trip for both: set_config('role', …, true) is SET LOCAL ROLE (every chunk and look-up pays this).
    await trx.raw("SELECT set_config('role', ?, true), set_config('stratum.tenant_id', ?, true)", [APP_ROLE, tenantId]);
    return work(trx);
  };
  return options.mode === 'snapshot' ? db.transaction(scoped, { isolationLevel: 'repeatable read', readOnly: true }) : db.transaction(scoped);
}
