/**
 * Destinations are read and written under row-level security, as identity tables are
 * (docs/identity.md): as the non-owner role `stratum_app`, with `stratum.tenant_id` set for the
 * transaction, so a query sees and writes only that tenant's rows whatever its WHERE says.
 *
 * The table FORCEs RLS, so not even its owner sees rows without a tenant set. Work across tenants
 * (the delivery cache, key rotation) therefore walks the tenants and scopes each in turn, rather
 * than relying on a role that bypasses RLS — which a managed PostgreSQL may not let us create, and
 * which would make "forgot the tenant" silently mean "every tenant".
 *
 * This repeats @stratum/identity's withTenant (a few lines) instead of depending on the identity
 * package for it; both belong in @stratum/db once a third user appears.
 */
import type { Db } from '@stratum/db';
import type { Knex } from 'knex';

/** Written out as in the migration: the role a shipped migration created does not follow code. */
export const APP_ROLE = 'stratum_app';

/** Makes the rest of `trx` run as the app role, which sees no rows until a tenant is set. */
export async function actAsApp(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`SET LOCAL ROLE ${APP_ROLE}`);
}

/** Points the rest of `trx` at `tenantId`'s rows; may be called again to move to another tenant. */
export async function setTenant(trx: Knex.Transaction, tenantId: string): Promise<void> {
  await trx.raw("SELECT set_config('stratum.tenant_id', ?, true)", [tenantId]);
}

export interface ScopeOptions {
  /** REPEATABLE READ, READ ONLY: one snapshot for every statement, and nothing written. */
  readonly snapshot?: boolean;
}

/** Runs `work` in a transaction scoped to one tenant. */
export async function inTenant<T>(db: Db, tenantId: string, work: (trx: Knex.Transaction) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
  const scoped = async (trx: Knex.Transaction) => {
    await actAsApp(trx);
    await setTenant(trx, tenantId);
    return work(trx);
  };
  return options.snapshot === true ? db.transaction(scoped, { isolationLevel: 'repeatable read', readOnly: true }) : db.transaction(scoped);
}

/** Every tenant id, in id order. `tenants` has no RLS: the connecting role reads it before any scoping. */
export async function tenantIds(db: Db | Knex.Transaction): Promise<string[]> {
  return db('tenants').orderBy('id').pluck<string[]>('id');
}
