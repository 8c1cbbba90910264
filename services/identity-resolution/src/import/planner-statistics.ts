/**
 * Planner statistics while a bulk import grows the identity tables. PostgreSQL plans each chunk's
 * statements from the tables' statistics; during a first import they describe tables a fraction of
 * their size (autovacuum analyses after 10 % of a table changed, and some deployments run it
 * rarely or not at all), and the planner then hashes a tenant's whole identifier, trait or profile
 * table for a chunk's few thousand keys. Measured on a 200k-record tenant with no statistics: 331
 * rows/s, and 2,401 rows/s after one ANALYZE (BENCHMARKS.md, Import).
 *
 * So the stage analyses the tables the import writes each time a tenant's record count has grown
 * by `factor` since the last time (from `firstAt` on): about eight times on the way to a million
 * records. ANALYZE samples a fixed number of rows (seconds at any size) and takes a lock that does
 * not block writes, so it runs beside the stage, one at a time, never delaying a chunk. A role
 * that does not own the tables gets a warning from PostgreSQL and nothing analysed, not an error.
 */
import type { Db } from '@stratum/db';

const IMPORT_TABLES = ['person_records', 'profiles', 'identifiers', 'profile_traits', 'identity_edges', 'identity_audit', 'identity_reviews', 'profile_events'] as const;

export interface StatisticsRefresher {
  /** After a committed chunk: the tenant now holds `records` person records. */
  grown(tenantId: string, records: number): void;
  /** Resolves when no ANALYZE is running (tests, shutdown). */
  idle(): Promise<void>;
}

export function statisticsRefresher(db: Db, options: { firstAt?: number; factor?: number; onError?: (err: unknown) => void } = {}): StatisticsRefresher {
  const firstAt = options.firstAt ?? 5_000;
  const factor = options.factor ?? 2;
  const analysedAt = new Map<string, number>();
  let running: Promise<void> | null = null;
  return {
    grown(tenantId, records) {
      if (running || records < Math.max(firstAt, (analysedAt.get(tenantId) ?? 0) * factor)) return;
      analysedAt.set(tenantId, records);
      running = db
        .raw(`ANALYZE ${IMPORT_TABLES.join(', ')}`)
        .then(() => undefined, options.onError ?? (() => undefined))
        .finally(() => {
          running = null;
        });
    },
    idle: () => running ?? Promise.resolve(),
  };
}
