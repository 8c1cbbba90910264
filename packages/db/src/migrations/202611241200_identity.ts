/**
 * Identity (owned by services/identity-resolution; docs/identity.md): profiles (golden records),
 * the identifiers that point to them, the edges between identifiers with their provenance (the
 * graph every membership is recomputed from), the audit of every link, merge and unmerge,
 * per-trait values for survivorship, time-versioned consents, the review queue, per-tenant
 * identity settings, and the append-only event archive partitioned by month.
 *
 * Row-level security is the second wall between tenants: every table is keyed by tenant_id and
 * has a policy `tenant_id = current_setting('stratum.tenant_id')`, FORCEd so even the owner obeys
 * it. The services switch to the non-owner role `stratum_app` and set the tenant per transaction
 * (packages/identity, withTenant); a query that forgets the tenant sees nothing.
 */
import type { Migration } from './migration';
import { APP_ROLE, isolateByTenant } from './tenant-isolation';

export { APP_ROLE };

const TENANT_TABLES = [
  'profiles',
  'identifiers',
  'identity_edges',
  'identity_audit',
  'profile_traits',
  'consents',
  'identity_reviews',
  'identity_settings',
  'profile_events',
] as const;

export const identity: Migration = {
  name: '202611241200_identity',
  async up(db) {
    // Roles are cluster-wide: another database on the same server may have created it already.
    await db.raw(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN CREATE ROLE ${APP_ROLE} NOLOGIN; END IF;
    END $$`);
    // The connecting user must be able to SET ROLE to it.
    await db.raw(`GRANT ${APP_ROLE} TO CURRENT_USER`);

    await db.raw(`
      CREATE TABLE profiles (
        tenant_id      text        NOT NULL,
        id             text        NOT NULL,
        status         text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged')),
        merged_into    text,
        traits         jsonb       NOT NULL DEFAULT '{}',
        do_not_contact boolean     NOT NULL DEFAULT false,
        version        bigint      NOT NULL DEFAULT 1,
        first_seen_at  timestamptz NOT NULL,
        last_seen_at   timestamptz NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        CHECK ((status = 'merged') = (merged_into IS NOT NULL))
      )`);

    // "The profiles merged into this one" (the profile API, unmerge): one probe, since merged_into names the final survivor.
    await db.raw('CREATE INDEX profiles_merged_into ON profiles (tenant_id, merged_into) WHERE merged_into IS NOT NULL');

    await db.raw(`
      CREATE TABLE identifiers (
        tenant_id     text        NOT NULL,
        type          text        NOT NULL,
        namespace     text        NOT NULL DEFAULT '',
        value_hash    text        NOT NULL,
        value         text,
        profile_id    text        NOT NULL,
        -- The profile it was first attached to, never changed: an unmerge gives a split-off part its old id back.
        origin_profile_id text    NOT NULL,
        first_seen_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, type, namespace, value_hash),
        FOREIGN KEY (tenant_id, profile_id) REFERENCES profiles (tenant_id, id)
      )`);
    await db.raw('CREATE INDEX identifiers_profile ON identifiers (tenant_id, profile_id)');

    // One active edge per identifier pair (a < b), with the first event that linked them; removed edges stay as history.
    await db.raw(`
      CREATE TABLE identity_edges (
        tenant_id   text        NOT NULL,
        id          bigserial,
        a_key       text        NOT NULL,
        b_key       text        NOT NULL,
        message_id  text,
        source_id   text,
        rule        text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        removed_at  timestamptz,
        removed_by  text,
        PRIMARY KEY (tenant_id, id),
        CHECK (a_key < b_key)
      )`);
    await db.raw('CREATE UNIQUE INDEX identity_edges_active ON identity_edges (tenant_id, a_key, b_key) WHERE removed_at IS NULL');
    await db.raw('CREATE INDEX identity_edges_b ON identity_edges (tenant_id, b_key) WHERE removed_at IS NULL');

    await db.raw(`
      CREATE TABLE identity_audit (
        tenant_id         text        NOT NULL,
        id                text        NOT NULL,
        action            text        NOT NULL CHECK (action IN ('link', 'merge', 'unmerge', 'review', 'reject')),
        profile_id        text        NOT NULL,
        other_profile_ids text[]      NOT NULL DEFAULT '{}',
        identifiers       jsonb       NOT NULL DEFAULT '[]',
        message_id        text,
        source_id         text,
        event_ts          timestamptz,
        rule              text        NOT NULL,
        reason            text,
        actor             text,
        occurred_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
    await db.raw('CREATE INDEX identity_audit_profile ON identity_audit (tenant_id, profile_id, occurred_at)');
    await db.raw('CREATE INDEX identity_audit_others ON identity_audit USING gin (other_profile_ids)');
    // A replayed chunk finds its decisions by messageId; the anomaly guard counts recent merges.
    await db.raw('CREATE INDEX identity_audit_message ON identity_audit (tenant_id, message_id)');
    await db.raw("CREATE INDEX identity_audit_recent_merges ON identity_audit (tenant_id, occurred_at) WHERE action = 'merge'");

    // The surviving value of each trait, with where and when it came from (value null = removed by a later event).
    await db.raw(`
      CREATE TABLE profile_traits (
        tenant_id  text        NOT NULL,
        profile_id text        NOT NULL,
        name       text        NOT NULL,
        value      jsonb,
        event_ts   timestamptz NOT NULL,
        first_ts   timestamptz NOT NULL,
        source_id  text,
        message_id text,
        removed_ts timestamptz,
        removed_message_id text,
        stale      boolean     NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, profile_id, name)
      )`);

    // Time-versioned: every change is a row; the current state per purpose is the latest effective one.
    await db.raw(`
      CREATE TABLE consents (
        tenant_id    text        NOT NULL,
        profile_id   text        NOT NULL,
        purpose      text        NOT NULL,
        status       text        NOT NULL CHECK (status IN ('granted', 'denied', 'withdrawn')),
        source       text        NOT NULL,
        effective_at timestamptz NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        message_id   text,
        evidence     jsonb,
        id           bigserial,
        PRIMARY KEY (tenant_id, id)
      )`);
    await db.raw('CREATE INDEX consents_current ON consents (tenant_id, profile_id, purpose, effective_at DESC, recorded_at DESC)');

    await db.raw(`
      CREATE TABLE identity_reviews (
        tenant_id             text        NOT NULL,
        id                    text        NOT NULL,
        identifier_key        text        NOT NULL,
        candidate_profile_ids text[]      NOT NULL,
        message_id            text,
        reason                text        NOT NULL,
        status                text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected')),
        created_at            timestamptz NOT NULL DEFAULT now(),
        decided_at            timestamptz,
        decided_by            text,
        PRIMARY KEY (tenant_id, id)
      )`);
    await db.raw("CREATE INDEX identity_reviews_open ON identity_reviews (tenant_id, created_at) WHERE status = 'open'");

    await db.raw(`
      CREATE TABLE identity_settings (
        tenant_id text        NOT NULL PRIMARY KEY,
        settings  jsonb       NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Append-only: rows are never deleted and their content never changes; only profile_id moves (merge, unmerge).
    await db.raw(`
      CREATE TABLE profile_events (
        tenant_id       text        NOT NULL,
        message_id      text        NOT NULL,
        event_ts        timestamptz NOT NULL,
        profile_id      text        NOT NULL,
        received_at     timestamptz NOT NULL,
        type            text        NOT NULL,
        event_name      text,
        source_id       text        NOT NULL,
        identifier_keys text[]      NOT NULL,
        payload         jsonb       NOT NULL,
        PRIMARY KEY (tenant_id, message_id, event_ts)
      ) PARTITION BY RANGE (event_ts)`);
    await db.raw('CREATE INDEX profile_events_timeline ON profile_events (tenant_id, profile_id, event_ts DESC, message_id DESC)');
    await db.raw(`
      CREATE FUNCTION profile_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'profile_events is append-only: rows are never deleted' USING ERRCODE = 'insufficient_privilege'; END IF;
        IF (NEW.tenant_id, NEW.message_id, NEW.event_ts, NEW.received_at, NEW.type, NEW.event_name, NEW.source_id, NEW.identifier_keys, NEW.payload)
           IS DISTINCT FROM (OLD.tenant_id, OLD.message_id, OLD.event_ts, OLD.received_at, OLD.type, OLD.event_name, OLD.source_id, OLD.identifier_keys, OLD.payload)
        THEN RAISE EXCEPTION 'profile_events is append-only: only profile_id may change' USING ERRCODE = 'insufficient_privilege'; END IF;
        RETURN NEW;
      END $$`);
    await db.raw('CREATE TRIGGER profile_events_append_only BEFORE UPDATE OR DELETE ON profile_events FOR EACH ROW EXECUTE FUNCTION profile_events_append_only()');

    for (const table of TENANT_TABLES) {
      await isolateByTenant(db, table);
    }
    // Trait rows of a merged-away profile are folded into the survivor's and removed; nothing else is ever deleted.
    await db.raw(`GRANT DELETE ON profile_traits TO ${APP_ROLE}`);
    await db.raw(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
    // Partitions are created at run time (by the service, as the owner) and inherit the parent's policy for queries through it.
  },
  async down(db) {
    for (const table of [...TENANT_TABLES].reverse()) await db.raw(`DROP TABLE IF EXISTS ${table} CASCADE`);
    await db.raw('DROP FUNCTION IF EXISTS profile_events_append_only()');
    // The role stays: other databases on the server may use it.
  },
};
