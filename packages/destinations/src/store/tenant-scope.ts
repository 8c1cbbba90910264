/**
 * Destinations are read and written under row-level security, as identity tables are
 * (docs/identity.md): as the non-owner role `stratum_app`, with `stratum.tenant_id` set for the
 * transaction, so a query sees and writes only that tenant's rows whatever its WHERE says.
 *
 * The table FORCEs RLS, so not even its owner sees rows without a tenant set. Work across tenants
 * (the delivery cache, key rotation) therefore walks the tenants and scopes each in turn, rather
 * than relying on a role that bypasses RLS — which a managed PostgreSQL may not let us create, and
 * which would make "forgot the tenant" silently mean "every tenant".
 */
import type { Db } from '@stratum/db';
import type { Knex } from 'knex';

export { withTenant, scopeToTenant } from '@stratum/db';

/** Every tenant id, in id order. `tenants` has no RLS: the connecting role reads it before any scoping. */
export async function tenantIds(db: Db | Knex.Transaction): Promise<string[]> {
  return db('tenants').orderBy('id').pluck<string[]>('id');
}
