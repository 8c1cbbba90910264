/**
 * What makes a table a tenant table: forced row-level security on `stratum.tenant_id` (which
 * withTenant sets per transaction, with the role) and the app role's privileges on it. Shipped
 * migrations call this, so it must keep emitting exactly these statements.
 */
import type { Knex } from 'knex';

/** The role tenant-scoped transactions run as (created by the identity migration). */
export const APP_ROLE = 'stratum_app';

export async function isolateByTenant(db: Knex, table: string, privileges = 'SELECT, INSERT, UPDATE'): Promise<void> {
  await db.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await db.raw(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await db.raw(`CREATE POLICY tenant_isolation ON ${table} USING (tenant_id = current_setting('stratum.tenant_id', true)) WITH CHECK (tenant_id = current_setting('stratum.tenant_id', true))`);
  await db.raw(`GRANT ${privileges} ON ${table} TO ${APP_ROLE}`);
}
