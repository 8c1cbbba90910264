/**
 * The outbox holds each record as the JSON text it is published from: nothing queries into it,
 * and as jsonb every snapshot (~1.5 KB) was parsed into the binary form on the way in and printed
 * back to text for the relay — 11 s of 68 s of PostgreSQL statement time on a 200k-row import went
 * to the outbox's COPY, insert, read and delete (BENCHMARKS.md, Import).
 */
import type { Migration } from './migration';

export const outboxJson: Migration = {
  name: '202611250100_outbox_json',
  async up(db) {
    await db.raw('ALTER TABLE identity_outbox ALTER COLUMN value TYPE json USING value::json');
  },
  async down(db) {
    await db.raw('ALTER TABLE identity_outbox ALTER COLUMN value TYPE jsonb USING value::jsonb');
  },
};
