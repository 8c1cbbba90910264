/**
 * One tenant-wide lock between the lists and identity resolution, so no profile slips past both.
 *
 * Without it, a chunk creating a profile with an email while an import lists that email can miss
 * both ways: the chunk's mark does not see the uncommitted entry and the import's mark does not
 * see the uncommitted identifier (READ COMMITTED), and the profile stays unmarked. So a list
 * change holds the lock exclusively and a chunk holds it shared: chunks never wait for each other,
 * and each side's later statements see what the other committed.
 *
 * Both take it before any row lock of the transaction, so it cannot close a deadlock cycle with
 * the profile row locks a chunk or a list change takes later. Transaction-scoped: released at
 * commit or rollback.
 */
import type { Knex } from 'knex';

// An arbitrary seed, so these keys do not meet other advisory locks hashed from similar text.
const SEED = 4_118_310_529;

const lockSql = (mode: 'shared' | 'exclusive') => `SELECT ${mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(hashtextextended(?, ${SEED}))`;

/** For identity resolution: call first in the chunk's transaction, before lockState, then markListedProfiles after the writes. */
export async function lockDoNotContactShared(trx: Knex.Transaction, tenantId: string): Promise<void> {
  await trx.raw(lockSql('shared'), [`do_not_contact/${tenantId}`]);
}

/** For list changes (add, remove): waits for the tenant's chunks in flight; chunks starting meanwhile wait for this transaction. */
export async function lockDoNotContactExclusive(trx: Knex.Transaction, tenantId: string): Promise<void> {
  await trx.raw(lockSql('exclusive'), [`do_not_contact/${tenantId}`]);
}
