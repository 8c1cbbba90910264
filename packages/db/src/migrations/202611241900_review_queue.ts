/**
 * The review queue as a work list (profile API `GET /v1/reviews`): entries of one status, newest
 * first, in keyset pages. Without an index the page sorted every entry of the tenant — a
 * 200,000-row import leaves tens of thousands.
 */
import type { Migration } from './migration';

export const reviewQueue: Migration = {
  name: '202611241900_review_queue',
  async up(db) {
    await db.raw('CREATE INDEX identity_reviews_queue ON identity_reviews (tenant_id, status, created_at DESC, id DESC)');
  },
  async down(db) {
    await db.raw('DROP INDEX identity_reviews_queue');
  },
};
