/**
 * The person-import stage matches against an in-memory index of the tenant's person records
 * (services/identity-resolution/src/import/record-index.ts) instead of a blocking-key table:
 *
 * - `person_records.seq`: an identity column, indexed per tenant. The stage serialises a tenant's
 *   chunks (a transaction-scoped advisory lock), so the records of committed chunks carry
 *   increasing `seq`, and an index that has read up to `seq` N catches up with `seq > N` alone —
 *   also after another replica or a restart wrote the tenant's rows.
 * - `person_records.outcome`: how the row was resolved — `exact` (a known identifier), `strong` (an
 *   automatic fuzzy link), `fuzzy` (a new profile and a review entry), `new` — for the import's
 *   report (matched, new profiles) without reading the audit.
 * - `person_blocking_keys` is dropped: nine rows per record written for a read the index now does,
 *   and the keys are derived from the stored comparison fields whenever they are needed.
 */
import type { Migration } from './migration';
import { PERSON_BLOCKING_KEYS_TABLE } from './202611241700_person_matching';
import { isolateByTenant } from './tenant-isolation';

export const personRecordIndex: Migration = {
  name: '202611241800_person_record_index',
  async up(db) {
    await db.raw('ALTER TABLE person_records ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY');
    await db.raw('CREATE UNIQUE INDEX person_records_tenant_seq ON person_records (tenant_id, seq)');
    await db.raw("ALTER TABLE person_records ADD COLUMN outcome text CHECK (outcome IN ('exact', 'strong', 'fuzzy', 'new'))");
    await db.raw('DROP TABLE person_blocking_keys');
  },
  async down(db) {
    await db.raw(PERSON_BLOCKING_KEYS_TABLE);
    await isolateByTenant(db, 'person_blocking_keys');
    await db.raw('DROP INDEX person_records_tenant_seq');
    await db.raw('ALTER TABLE person_records DROP COLUMN seq, DROP COLUMN outcome');
  },
};
