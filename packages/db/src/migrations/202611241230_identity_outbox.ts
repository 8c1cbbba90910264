/**
 * The identity outbox: records identity-resolution and the profile API must publish on Kafka
 * (profiles.changes snapshots and tombstones, identity.audit records of operator actions,
 * consents.changes), written in the same transaction as the change they describe, then
 * published and deleted by the outbox relay (services/identity-resolution, docs/identity.md).
 *
 * Why a table and not the chunk's Kafka transaction: two instances may change one profile one
 * after the other (the second waits on the first's row lock), but their Kafka transactions can
 * commit in either order, and a compacted topic keeps whichever came last. Here the second
 * writer's row gets the higher id (it inserts after the first committed), and one relay at a time
 * publishes in id order — per profile, the topic gets the changes in commit order.
 *
 * Tenant rows like every identity table: the app role inserts under row-level security; the relay
 * reads and deletes across tenants as the owner (RLS enabled, not forced).
 */
import type { Migration } from './migration';
import { APP_ROLE } from './202611241200_identity';

export const identityOutbox: Migration = {
  name: '202611241230_identity_outbox',
  async up(db) {
    await db.raw(`
      CREATE TABLE identity_outbox (
        id          bigserial   PRIMARY KEY,
        tenant_id   text        NOT NULL,
        topic       text        NOT NULL CHECK (topic IN ('profiles.changes', 'identity.audit', 'consents.changes')),
        record_key  text        NOT NULL,
        -- The record as the topic's Avro type in JSON; null is a tombstone (profiles.changes).
        value       jsonb,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.raw('ALTER TABLE identity_outbox ENABLE ROW LEVEL SECURITY');
    await db.raw(`CREATE POLICY tenant_isolation ON identity_outbox USING (tenant_id = current_setting('stratum.tenant_id', true)) WITH CHECK (tenant_id = current_setting('stratum.tenant_id', true))`);
    await db.raw(`GRANT INSERT ON identity_outbox TO ${APP_ROLE}`);
    await db.raw(`GRANT USAGE ON SEQUENCE identity_outbox_id_seq TO ${APP_ROLE}`);
  },
  async down(db) {
    await db.raw('DROP TABLE IF EXISTS identity_outbox');
  },
};
