/**
 * Dedup's state (services/dedup, docs/dedup.md): one claim per (tenant, messageId) — who saw it
 * first, where (the input record's topic, partition and offset), and when. Range-partitioned by
 * UTC day so expiry is `DROP TABLE` of whole days, never a DELETE that bloats the table. The
 * primary key holds within a day's partition (PostgreSQL requires the partition key in it);
 * docs/dedup.md explains why that is enough. dedup creates the days ahead and drops expired ones.
 */
import type { Migration } from './migration';

export const dedupClaims: Migration = {
  name: '202611241100_dedup_claims',
  async up(db) {
    await db.raw(`
      CREATE TABLE dedup_claims (
        tenant_id   text        NOT NULL,
        message_id  text        NOT NULL,
        day         date        NOT NULL,
        first_seen  timestamptz NOT NULL,
        topic       text        NOT NULL,
        "partition" integer     NOT NULL,
        "offset"    bigint      NOT NULL,
        PRIMARY KEY (tenant_id, message_id, day)
      ) PARTITION BY RANGE (day)`);
  },
  async down(db) {
    // Drops every day partition with it.
    await db.raw('DROP TABLE IF EXISTS dedup_claims');
  },
};
