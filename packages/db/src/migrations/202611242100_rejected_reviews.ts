/**
 * Rejected review entries are rules the import's matcher reads on every sub-chunk
 * (`@stratum/identity` readRejectedPairs): the partial index keeps that read to the rejected few
 * instead of every entry of the tenant (a 200,000-row import leaves tens of thousands open).
 */
import type { Migration } from './migration';

export const rejectedReviews: Migration = {
  name: '202611242100_rejected_reviews',
  async up(db) {
    await db.raw("CREATE INDEX identity_reviews_rejected ON identity_reviews (tenant_id) WHERE status = 'rejected'");
  },
  async down(db) {
    await db.raw('DROP INDEX identity_reviews_rejected');
  },
};
