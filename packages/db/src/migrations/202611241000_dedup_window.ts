/**
 * The dedup window (how long dedup remembers a (tenantId, messageId) to drop its repeats), as an
 * optional override per tenant and per source. Null means "inherit": a source without one uses its
 * tenant's, a tenant without one the dedup service's default (7 days). The bounds are written out
 * here, not imported from @stratum/tenancy: a shipped migration must not change when code does.
 */
import type { Migration } from './migration';

const TABLES = ['tenants', 'sources'] as const;
// 1 minute to 90 days (7,776,000 s): MIN_/MAX_DEDUP_WINDOW_SECONDS of @stratum/tenancy, which checks
// them first with a readable message; the constraint keeps writes that bypass it out too.
const RULE = 'dedup_window_seconds IS NULL OR dedup_window_seconds BETWEEN 60 AND 7776000';

const checkName = (table: string) => `${table}_dedup_window_check`;

export const dedupWindow: Migration = {
  name: '202611241000_dedup_window',
  async up(db) {
    for (const table of TABLES) {
      await db.schema.alterTable(table, (t) => {
        t.integer('dedup_window_seconds').nullable();
        t.check(RULE, [], checkName(table));
      });
    }
  },
  async down(db) {
    for (const table of TABLES) {
      await db.schema.alterTable(table, (t) => {
        t.dropChecks([checkName(table)]);
        t.dropColumn('dedup_window_seconds');
      });
    }
  },
};
