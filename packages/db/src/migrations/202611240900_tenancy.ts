/**
 * Tenancy (owned by the control plane, read by the gateway and ingest): tenants, their sources
 * with per-source limits and tracking-plan settings, write keys and admin keys stored only as
 * SHA-256 hashes, and the planned events of each source's tracking plan.
 */
import type { Migration } from './migration';

export const tenancy: Migration = {
  name: '202611240900_tenancy',
  async up(db) {
    await db.schema.createTable('tenants', (t) => {
      t.text('id').primary();
      t.text('name').notNullable();
      t.text('pii_policy').notNullable().defaultTo('keep');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.check("pii_policy IN ('keep', 'drop')", [], 'tenants_pii_policy_check');
    });
    // Names are unique case-insensitively: `tenant create --name Acme` twice, or acme then ACME, is one tenant.
    await db.raw('CREATE UNIQUE INDEX tenants_name_unique ON tenants (lower(name))');

    await db.schema.createTable('sources', (t) => {
      t.text('id').primary();
      t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
      t.text('name').notNullable();
      t.boolean('enabled').notNullable().defaultTo(true);
      t.integer('max_event_bytes').notNullable();
      t.integer('max_batch_bytes').notNullable();
      t.integer('max_batch_events').notNullable();
      t.integer('rate_limit_per_second').notNullable();
      t.integer('rate_limit_burst').notNullable();
      t.text('default_phone_region');
      t.text('tracking_plan_mode').notNullable().defaultTo('allow');
      t.text('default_schema_version').notNullable().defaultTo('1.0.0');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.check("tracking_plan_mode IN ('allow', 'omit_unplanned_properties', 'block')", [], 'sources_plan_mode_check');
      t.check('max_event_bytes > 0 AND max_batch_bytes > 0 AND max_batch_events > 0', [], 'sources_limits_positive');
      t.check('rate_limit_per_second >= 0 AND rate_limit_burst >= 0', [], 'sources_rate_non_negative');
    });
    await db.raw('CREATE UNIQUE INDEX sources_tenant_name_unique ON sources (tenant_id, lower(name))');

    await db.schema.createTable('write_keys', (t) => {
      t.text('key_hash').primary();
      t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
      t.text('source_id').notNullable().references('sources.id').onDelete('CASCADE');
      t.text('hint').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      // Set by rotation: the old key keeps working until then (a grace period), then never again.
      t.timestamp('expires_at', { useTz: true });
      t.index(['source_id']);
    });

    await db.schema.createTable('admin_keys', (t) => {
      t.text('key_hash').primary();
      t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
      t.text('hint').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('expires_at', { useTz: true });
      t.index(['tenant_id']);
    });

    await db.schema.createTable('tracking_plan_events', (t) => {
      t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
      t.text('source_id').notNullable().references('sources.id').onDelete('CASCADE');
      t.text('event_type').notNullable();
      // '' for types planned as a whole (identify, group): part of the primary key, so not null.
      t.text('event_name').notNullable().defaultTo('');
      t.text('version').notNullable();
      t.jsonb('schema').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.primary(['source_id', 'event_type', 'event_name', 'version']);
      t.check("event_type IN ('track', 'identify', 'group', 'page', 'screen')", [], 'tracking_plan_events_type_check');
    });
  },
  async down(db) {
    for (const table of ['tracking_plan_events', 'admin_keys', 'write_keys', 'sources', 'tenants']) await db.schema.dropTableIfExists(table);
  },
};
