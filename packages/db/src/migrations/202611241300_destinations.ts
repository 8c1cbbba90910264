/**
 * Destinations (owned by @stratum/destinations; read by the delivery services): where each
 * tenant's events go. One row per destination: its adapter type, non-secret settings, event
 * filters, the retry stage's limits for it, and its credentials — only as an AES-256-GCM envelope
 * (credentials_ciphertext) with the id of the key that sealed it (credentials_key_id, so an
 * operator can see which keys are still in use without decrypting anything).
 *
 * Row-level security as on the identity tables: FORCEd, keyed by `stratum.tenant_id`, and the
 * app role `stratum_app` may select, insert and update — never delete (a destination is disabled,
 * keeping its history; a tenant's are removed with the tenant). The list of types is written out
 * here, not imported: a shipped migration must not change when code does; a new adapter adds a
 * migration that replaces the CHECK.
 */
import type { Migration } from './migration';
import { isolateByTenant } from './tenant-isolation';

// Created, and granted to the migrating user, by 202611241200_identity.
const TYPES = ['webhook', 'meta_capi', 'ga4', 'tiktok', 'twilio_sms', 'pipedrive'];

export const destinations: Migration = {
  name: '202611241300_destinations',
  async up(db) {
    await db.raw(`
      CREATE TABLE destinations (
        tenant_id              text        NOT NULL,
        destination_id         text        NOT NULL,
        name                   text        NOT NULL,
        type                   text        NOT NULL CONSTRAINT destinations_type_check CHECK (type IN (${TYPES.map((t) => `'${t}'`).join(', ')})),
        enabled                boolean     NOT NULL DEFAULT true,
        settings               jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
        filters                jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(filters) = 'object'),
        delivery_policy        jsonb                CHECK (delivery_policy IS NULL OR jsonb_typeof(delivery_policy) = 'object'),
        credentials_ciphertext bytea,
        credentials_key_id     text,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now(),
        disabled_at            timestamptz,
        PRIMARY KEY (tenant_id, destination_id),
        CONSTRAINT destinations_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
        CHECK ((credentials_ciphertext IS NULL) = (credentials_key_id IS NULL)),
        CHECK (enabled = (disabled_at IS NULL))
      )`);
    // Unique per tenant in any case, as source names are: "Meta" and "meta" would be one destination to a person.
    await db.raw('CREATE UNIQUE INDEX destinations_tenant_name_unique ON destinations (tenant_id, lower(name))');

    await isolateByTenant(db, 'destinations');
  },
  async down(db) {
    await db.raw('DROP TABLE IF EXISTS destinations');
  },
};
