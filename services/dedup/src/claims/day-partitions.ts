/**
 * The day partitions of dedup_claims: `dedup_claims_YYYYMMDD`, one per UTC day. Created a few
 * days ahead (so midnight never finds a missing partition) and dropped whole once no window can
 * reach them — expiry costs a DROP TABLE, not a DELETE and a vacuum. Several dedup instances run
 * this; a transaction-scoped advisory lock makes them take turns, and a lock timeout keeps a
 * busy table from stalling maintenance (it is simply tried again next time).
 */
import type { Db } from '@stratum/db';

const PARENT = 'dedup_claims';
const NAME = /^dedup_claims_(\d{4})(\d{2})(\d{2})$/;
const DAY_MS = 86_400_000;

export interface DayPartition {
  name: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
}

function isoDay(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a YYYY-MM-DD day: ${JSON.stringify(day)}`);
  return day;
}

const partitionName = (day: string) => `${PARENT}_${day.replaceAll('-', '')}`;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

async function underLock<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx.raw("SET LOCAL lock_timeout = '5s'");
    await trx.raw("SELECT pg_advisory_xact_lock(hashtext('stratum.dedup.day_partitions'))");
    return fn(trx);
  });
}

/** The existing day partitions, oldest first. */
export async function listDayPartitions(db: Db): Promise<DayPartition[]> {
  const { rows } = await db.raw<{ rows: { name: string }[] }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = ?::regclass ORDER BY c.relname`,
    [PARENT],
  );
  return rows.flatMap(({ name }) => {
    const m = NAME.exec(name);
    return m ? [{ name, day: `${m[1]}-${m[2]}-${m[3]}` }] : [];
  });
}

/** Creates the partitions of `today` and the `daysAhead` days after it that are missing; returns their names. */
export async function ensureDayPartitions(db: Db, options: { today: string; daysAhead?: number }): Promise<string[]> {
  const wanted = Array.from({ length: (options.daysAhead ?? 2) + 1 }, (_, i) => addDays(options.today, i));
  const existing = new Set((await listDayPartitions(db)).map((p) => p.day));
  const missing = wanted.filter((d) => !existing.has(d));
  if (missing.length === 0) return [];
  return underLock(db, async (trx) => {
    for (const day of missing) {
      // DDL takes no bind parameters: the bounds are inlined, from dates this module formatted itself.
      await trx.raw(`CREATE TABLE IF NOT EXISTS ?? PARTITION OF ${PARENT} FOR VALUES FROM ('${isoDay(day)}') TO ('${isoDay(addDays(day, 1))}')`, [partitionName(day)]);
    }
    return missing.map(partitionName);
  });
}

/**
 * Drops the partitions no window can reach: days before `today - keepDays`. keepDays covers the
 * longest window in force plus the day in progress.
 */
export async function dropExpiredDayPartitions(db: Db, options: { today: string; keepDays: number }): Promise<string[]> {
  const oldestKept = addDays(options.today, -options.keepDays);
  const expired = (await listDayPartitions(db)).filter((p) => p.day < oldestKept);
  if (expired.length === 0) return [];
  return underLock(db, async (trx) => {
    for (const p of expired) await trx.raw('DROP TABLE IF EXISTS ??', [p.name]);
    return expired.map((p) => p.name);
  });
}

/** Days a window of `seconds` needs kept, counting the day in progress. */
export const daysToKeep = (seconds: number): number => Math.ceil(seconds / 86_400) + 1;

export interface ClaimStateSize {
  partitions: number;
  /** PostgreSQL's estimate (pg_class.reltuples, kept by autovacuum/analyze): counting would scan the table. */
  rows: number;
  bytes: number;
}

export async function claimStateSize(db: Db): Promise<ClaimStateSize> {
  const { rows } = await db.raw<{ rows: { partitions: string; rows: string | null; bytes: string | null }[] }>(
    `SELECT count(*) AS partitions, sum(greatest(c.reltuples, 0)) AS rows, sum(pg_total_relation_size(c.oid)) AS bytes
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = ?::regclass`,
    [PARENT],
  );
  const r = rows[0]!;
  return { partitions: Number(r.partitions), rows: Number(r.rows ?? 0), bytes: Number(r.bytes ?? 0) };
}
