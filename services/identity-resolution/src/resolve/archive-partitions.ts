/**
 * The event archive's monthly partitions (`profile_events_YYYYMM`). Events carry their own time,
 * so a chunk can need any month, backfills included: before a chunk's transaction, the months it
 * needs are created if missing (as the connecting owner role; the app role cannot create tables).
 * Months already known to exist are remembered, so this is a set lookup per chunk once warm.
 */
import type { Db } from '@stratum/db';

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7); // YYYY-MM
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

export function archivePartitions(db: Db) {
  const known = new Set<string>();
  return {
    /** Creates the partitions for the months of `eventTimes` that may be missing. */
    async ensure(eventTimes: readonly number[]): Promise<void> {
      const missing = [...new Set(eventTimes.map(monthOf))].filter((m) => !known.has(m)).sort();
      for (const month of missing) {
        if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`not a month: ${month}`);
        // DDL takes no bind parameters; the month was formatted here. Concurrent creators: IF NOT EXISTS plus a retry on the rare duplicate.
        const sql = `CREATE TABLE IF NOT EXISTS profile_events_${month.replace('-', '')} PARTITION OF profile_events FOR VALUES FROM ('${month}-01') TO ('${nextMonth(month)}-01')`;
        try {
          await db.raw(sql);
        } catch (err) {
          if ((err as { code?: string }).code !== '42P07' && (err as { code?: string }).code !== '23505') throw err;
        }
        known.add(month);
      }
    },
  };
}

export type ArchivePartitions = ReturnType<typeof archivePartitions>;
