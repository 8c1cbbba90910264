/**
 * Delivery state (owned by @stratum/delivery; written by delivery-adapter, retry, the gateway's
 * Twilio callbacks and the CLI). Kafka carries the deliveries themselves; these tables hold what
 * must outlive a record's trip through a topic:
 *
 * - delivery_ledger: (tenant, destination, messageId) delivered once. Checked before every send
 *   and written right after each accepted request, so a replayed chunk, a duplicate retry or an
 *   operator's replay never sends an event a second time (the platforms' own idempotency keys
 *   cover the one gap left: a crash between the platform's answer and the insert).
 * - delivery_dead_letters: the index of delivery.dlq that `stratum dlq list|replay|purge` works
 *   on (the topic stays the record of truth; purge marks rows, so re-reading the topic cannot
 *   bring them back).
 * - delivery_order_queue: for destinations with per-key ordering, the events of a key held back
 *   behind its failed head, in arrival order (only that key waits, never the partition).
 * - sms_messages: each Twilio message's state, advanced by status callbacks.
 * - delivery_opt_outs: recipients who opted out (STOP, Twilio 21610) per channel, by value hash.
 *
 * Row-level security as on destinations: FORCEd, keyed by `stratum.tenant_id`.
 */
import type { Migration } from './migration';
import { isolateByTenant } from './tenant-isolation';

// Created, and granted to the migrating user, by 202611241200_identity.

const TABLES: Record<string, string> = {
  delivery_ledger: 'SELECT, INSERT, DELETE',
  delivery_dead_letters: 'SELECT, INSERT, UPDATE, DELETE',
  delivery_order_queue: 'SELECT, INSERT, UPDATE, DELETE',
  sms_messages: 'SELECT, INSERT, UPDATE',
  delivery_opt_outs: 'SELECT, INSERT, DELETE',
};

export const delivery: Migration = {
  name: '202611241400_delivery',
  async up(db) {
    await db.raw(`
      CREATE TABLE delivery_ledger (
        tenant_id      text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        destination_id text        NOT NULL,
        message_id     text        NOT NULL,
        profile_id     text        NOT NULL,
        attempt        integer     NOT NULL CHECK (attempt >= 1),
        external_id    text,
        delivered_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, destination_id, message_id)
      )`);
    // Retention sweeps by age.
    await db.raw('CREATE INDEX delivery_ledger_age ON delivery_ledger (tenant_id, delivered_at)');

    await db.raw(`
      CREATE TABLE delivery_dead_letters (
        tenant_id        text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        dlq_id           uuid        NOT NULL,
        destination_id   text        NOT NULL,
        destination_type text        NOT NULL,
        message_id       text        NOT NULL,
        profile_id       text        NOT NULL,
        attempts         integer     NOT NULL,
        first_attempt_at timestamptz NOT NULL,
        last_attempt_at  timestamptz NOT NULL,
        dead_lettered_at timestamptz NOT NULL,
        reason           text        NOT NULL,
        last_error       jsonb,
        origin_topic     text        NOT NULL,
        event            jsonb       NOT NULL CHECK (jsonb_typeof(event) = 'object'),
        replay_count     integer     NOT NULL DEFAULT 0,
        last_replayed_at timestamptz,
        purged_at        timestamptz,
        indexed_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, dlq_id)
      )`);
    await db.raw('CREATE INDEX delivery_dead_letters_time ON delivery_dead_letters (tenant_id, dead_lettered_at) WHERE purged_at IS NULL');
    await db.raw('CREATE INDEX delivery_dead_letters_destination ON delivery_dead_letters (tenant_id, destination_id, dead_lettered_at) WHERE purged_at IS NULL');

    await db.raw(`
      CREATE TABLE delivery_order_queue (
        tenant_id      text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        destination_id text        NOT NULL,
        order_key      text        NOT NULL,
        seq            bigint      GENERATED ALWAYS AS IDENTITY,
        message_id     text        NOT NULL,
        attempt        jsonb       NOT NULL CHECK (jsonb_typeof(attempt) = 'object'),
        enqueued_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, destination_id, order_key, seq),
        UNIQUE (tenant_id, destination_id, message_id)
      )`);
    // "This profile's queued events" (consent revoked): every destination's queue at once.
    await db.raw('CREATE INDEX delivery_order_queue_key ON delivery_order_queue (tenant_id, order_key)');

    await db.raw(`
      CREATE TABLE sms_messages (
        tenant_id       text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        message_sid     text        NOT NULL,
        destination_id  text        NOT NULL,
        idempotency_key text        NOT NULL,
        message_id      text        NOT NULL,
        profile_id      text        NOT NULL,
        status          text        NOT NULL,
        error_code      integer,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, message_sid)
      )`);
    await db.raw('CREATE INDEX sms_messages_key ON sms_messages (tenant_id, idempotency_key)');

    await db.raw(`
      CREATE TABLE delivery_opt_outs (
        tenant_id  text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        channel    text        NOT NULL CHECK (channel IN ('sms')),
        value_hash text        NOT NULL CHECK (value_hash ~ '^[0-9a-f]{64}$'),
        source     text        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, channel, value_hash)
      )`);

    for (const [table, privileges] of Object.entries(TABLES)) {
      await isolateByTenant(db, table, privileges);
    }
  },
  async down(db) {
    for (const table of Object.keys(TABLES).reverse()) await db.raw(`DROP TABLE IF EXISTS ${table}`);
  },
};
