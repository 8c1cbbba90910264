/**
 * Fuzzy matching of imported persons (owned by services/identity-resolution, the person-import
 * stage; docs/identity.md "Fuzzy matching of imported persons"):
 *
 * - `person_records`: one row per imported row, unique by (tenant, import, row number) — a row
 *   delivered again is skipped — with the comparison form the Fellegi–Sunter model reads
 *   (@stratum/matching MatchRecord; email and phone as their SHA-256 hashes, never in clear) and
 *   the profile it was first put on (the current one follows merges through its record
 *   identifier, `external_id` in namespace `stratum.person_record`).
 * - `person_blocking_keys`: the record's key per blocking pass, indexed (tenant, pass, key), so a
 *   chunk fetches its candidates in one set-based query.
 * - the review queue is the existing `identity_reviews` (the anomaly guard's): a borderline pair
 *   adds a row with reason `fuzzy_match` and its score, tier and evidence (new nullable columns);
 *   `identity_audit` gets the same three columns for the provenance of fuzzy decisions.
 *
 * Row-level security as the identity tables: FORCEd tenant policy, the app role granted.
 */
import type { Migration } from './migration';
import { isolateByTenant } from './tenant-isolation';

const TABLES = ['person_records', 'person_blocking_keys'] as const;

/** Also what 202611241800_person_record_index's down migration puts back. */
export const PERSON_BLOCKING_KEYS_TABLE = `
  CREATE TABLE person_blocking_keys (
    tenant_id  text NOT NULL,
    pass       text NOT NULL,
    key        text NOT NULL,
    record_id  text NOT NULL,
    PRIMARY KEY (tenant_id, pass, key, record_id)
  )`;

export const personMatching: Migration = {
  name: '202611241700_person_matching',
  async up(db) {
    await db.raw(`
      CREATE TABLE person_records (
        tenant_id        text        NOT NULL,
        id               text        NOT NULL,
        import_id        text        NOT NULL,
        row_number       bigint      NOT NULL,
        source_id        text        NOT NULL,
        source_record_id text,
        profile_id       text        NOT NULL,
        given            text,
        middle           text,
        family           text,
        given_phonetic   text,
        family_phonetic  text,
        birth_digits     text,
        national_id      text,
        email_hash       text,
        phone_hash       text,
        street_number    text,
        street           text,
        address_line2    text,
        locality         text,
        postcode         text,
        region           text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, import_id, row_number)
      )`);
    await db.raw(PERSON_BLOCKING_KEYS_TABLE);
    await db.raw('ALTER TABLE identity_audit ADD COLUMN match_score double precision, ADD COLUMN match_tier text, ADD COLUMN match_fields jsonb');
    await db.raw('ALTER TABLE identity_reviews ADD COLUMN match_score double precision, ADD COLUMN match_tier text, ADD COLUMN match_fields jsonb');
    for (const table of TABLES) {
      await isolateByTenant(db, table);
    }
  },
  async down(db) {
    for (const table of [...TABLES].reverse()) await db.raw(`DROP TABLE IF EXISTS ${table} CASCADE`);
    await db.raw('ALTER TABLE identity_audit DROP COLUMN IF EXISTS match_score, DROP COLUMN IF EXISTS match_tier, DROP COLUMN IF EXISTS match_fields');
    await db.raw('ALTER TABLE identity_reviews DROP COLUMN IF EXISTS match_score, DROP COLUMN IF EXISTS match_tier, DROP COLUMN IF EXISTS match_fields');
  },
};
