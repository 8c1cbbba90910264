/**
 * Do-not-contact lists (owned by @stratum/identity; written by `stratum dnc import|remove`, read by
 * identity resolution; docs/identity.md): the identifiers an operator listed, by value hash — the
 * same SHA-256 of the canonical value that `identifiers` keeps, so a listed email or phone finds
 * every profile holding it, and a profile that gains it later. A profile holding a listed
 * identifier has `profiles.do_not_contact` set; delivery reads that flag (docs/delivery.md).
 *
 * One listed row per (tenant, type, hash); removal marks the row (removed_at) instead of deleting
 * it, so who was listed, when, why and until when stays answerable. Listing the value again adds
 * a new row. Only email, phone and user_id (all namespace-less identifiers): the types a person
 * asks to be left alone by. `value` keeps user_id cleartext only, as `identifiers` does.
 *
 * Row-level security as on the identity tables: FORCEd, keyed by `stratum.tenant_id`; the app
 * role may select, insert and update — never delete.
 */
import type { Migration } from './migration';
import { isolateByTenant } from './tenant-isolation';

// Created, and granted to the migrating user, by 202611241200_identity.

export const doNotContact: Migration = {
  name: '202611241500_do_not_contact',
  async up(db) {
    await db.raw(`
      CREATE TABLE do_not_contact_entries (
        tenant_id      text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        -- An identity column needs no sequence grant for the app role (a bigserial would).
        id             bigint      GENERATED ALWAYS AS IDENTITY,
        type           text        NOT NULL CHECK (type IN ('email', 'phone', 'user_id')),
        value_hash     text        NOT NULL CHECK (value_hash ~ '^[0-9a-f]{64}$'),
        value          text        CHECK (value IS NULL OR type = 'user_id'),
        list           text        NOT NULL CHECK (list <> ''),
        reason         text,
        added_at       timestamptz NOT NULL DEFAULT now(),
        removed_at     timestamptz,
        removed_reason text,
        PRIMARY KEY (tenant_id, id)
      )`);
    // One listed row per identifier; also the index every "is it listed?" probe uses.
    await db.raw('CREATE UNIQUE INDEX do_not_contact_entries_listed ON do_not_contact_entries (tenant_id, type, value_hash) WHERE removed_at IS NULL');
    // `stratum dnc list`: a list's newest entries.
    await db.raw('CREATE INDEX do_not_contact_entries_list ON do_not_contact_entries (tenant_id, list, added_at) WHERE removed_at IS NULL');

    await isolateByTenant(db, 'do_not_contact_entries');
  },
  async down(db) {
    await db.raw('DROP TABLE IF EXISTS do_not_contact_entries');
  },
};
