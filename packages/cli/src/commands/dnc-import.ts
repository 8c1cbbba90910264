/**
 * The body of `stratum dnc import|remove`: stream the file, canonicalise each value exactly as
 * ingest does (@stratum/identifiers: email trimmed and lower-cased, phone E.164 in `--region`,
 * user_id as given; placeholders refused), and write the valid ones in batches, one transaction
 * each. A committed batch stays when a later one fails, and a re-run skips what is listed, so an
 * interrupted import is finished by running it again.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { withTenant, type Db } from '@stratum/db';
import { canonicalIdentifier } from '@stratum/identifiers';
import type { DoNotContactRef, DoNotContactType } from '@stratum/identity';
import { detectFormat, inputLines, parseLine, type InputFormat } from './dnc-input';
import { asDatabaseUnavailable } from './command-failure';
import { dncCommandErrors } from './dnc-run';

export const BATCH_SIZE = 1000;
/** Invalid values listed in the report; the rest are only counted by reason. */
export const INVALID_SHOWN = 20;

export interface InvalidValue {
  readonly line: number;
  /** The column or key (null for one value per line). */
  readonly column: string | null;
  readonly reason: string;
}

export interface ReadReport {
  /** csv, ndjson or values (one per line). */
  format: InputFormat['kind'];
  /** Columns read (CSV, NDJSON) or the --type of one value per line. */
  columns: DoNotContactType[];
  /** Header columns not read. */
  ignoredColumns: string[];
  /** Data lines read (not blank lines, not the header). */
  read: number;
  /** Values that are identifiers. */
  valid: number;
  /** Values refused, and lines without a value. */
  invalid: number;
  invalidByReason: Record<string, number>;
  /** The first INVALID_SHOWN of them, in file order. */
  invalidLines: InvalidValue[];
}

export interface ValidValue extends DoNotContactRef {
  readonly value: string | null;
}

export interface ReadOptions {
  readonly type?: DoNotContactType;
  /** ISO 3166-1 alpha-2, for phones without a country code. */
  readonly region: string | null;
}

/** The file, or standard input for `-`; a path that is not a readable file is a usage error. */
export async function openInput(path: string): Promise<Readable> {
  if (path === '-') return process.stdin;
  const info = await stat(path).catch((err: Error) => {
    throw dncCommandErrors.error('usage', `cannot read ${path}: ${err.message}`);
  });
  if (!info.isFile()) throw dncCommandErrors.error('usage', `cannot read ${path}: not a file`);
  return createReadStream(path);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The identifier a raw value is, or why it is none. */
function canonical(type: DoNotContactType, raw: string, region: string | null): ValidValue | { rejected: string } {
  // PostgreSQL text cannot hold NUL, json no lone surrogate; neither is in a real identifier.
  if (raw.includes('\u0000') || LONE_SURROGATE.test(raw)) return { rejected: 'invalid_characters' };
  const c = canonicalIdentifier(type, raw, { defaultPhoneRegion: region });
  return 'rejected' in c ? c : { type, valueHash: c.valueHash, value: c.value };
}

/**
 * The file's valid values in batches of BATCH_SIZE, filling `report` as it reads. Throws usage
 * (before the first batch) when the file's shape cannot be told.
 */
export async function* validBatches(input: Readable, name: string, options: ReadOptions, report: ReadReport): AsyncGenerator<ValidValue[]> {
  let format: InputFormat | null = null;
  let batch: ValidValue[] = [];
  const refuse = (line: number, column: string | null, reason: string) => {
    report.invalid++;
    report.invalidByReason[reason] = (report.invalidByReason[reason] ?? 0) + 1;
    if (report.invalidLines.length < INVALID_SHOWN) report.invalidLines.push({ line, column, reason });
  };
  for await (const { line, text } of inputLines(input)) {
    if (text !== null && text.trim() === '') continue;
    if (format === null) {
      if (text === null) throw dncCommandErrors.error('usage', `line ${line} is longer than any identifier: is ${name} a CSV, NDJSON or one-value-per-line file?`);
      const detected = detectFormat(name, text, options.type);
      if (typeof detected === 'string') throw dncCommandErrors.error('usage', `${name}: ${detected}`);
      format = detected;
      report.format = format.kind;
      report.columns = format.kind === 'csv' ? format.columns.map((c) => c.type) : format.kind === 'ndjson' ? [...format.types] : [format.type];
      if (format.kind === 'csv') {
        report.ignoredColumns = [...format.ignored];
        continue; // the header
      }
    }
    report.read++;
    const parsed = text === null ? ({ problem: 'line_too_long' } as const) : parseLine(format, text);
    if ('problem' in parsed) {
      refuse(line, parsed.column ?? null, parsed.problem);
      continue;
    }
    for (const v of parsed.values) {
      const c = canonical(v.type, v.raw, options.region);
      if ('rejected' in c) {
        refuse(line, v.column, c.rejected);
        continue;
      }
      report.valid++;
      batch.push(c);
      if (batch.length === BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
  }
  if (format === null) throw dncCommandErrors.error('usage', `${name} is empty: nothing to read`);
  if (batch.length > 0) yield batch;
}

export const emptyReport = (): ReadReport => ({ format: 'csv', columns: [], ignoredColumns: [], read: 0, valid: 0, invalid: 0, invalidByReason: {}, invalidLines: [] });

/** Thrown to roll a dry run's batch back, carrying what the batch would have done. */
class DryRun<T> {
  constructor(readonly result: T) {}
}

const DEADLOCK = ['40P01', '40001'];

/** The tenant-scoped transaction withTenant hands its work (knex's, without depending on knex here). */
type Transaction = Parameters<Parameters<typeof withTenant>[2]>[0];

/**
 * One batch in its own tenant-scoped transaction, rolled back for a dry run (same statements, so
 * the counts are exact for the batch). A deadlock with an operator's unmerge or a consent change
 * on the same profile is redone, a few times.
 */
export async function writeBatch<T>(db: Db, tenantId: string, dryRun: boolean, work: (trx: Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTenant(db, tenantId, async (trx) => {
        const result = await work(trx);
        if (dryRun) throw new DryRun(result);
        return result;
      });
    } catch (err) {
      if (err instanceof DryRun) return err.result as T;
      if (attempt < 3 && DEADLOCK.includes(String((err as { code?: unknown }).code))) continue;
      throw err;
    }
  }
}

/**
 * Runs every batch of the file through `write`, adding its counts up. A failure after some
 * batches committed says how far it got (stopped_part_way); one before any is passed on as it is
 * (unreachable PostgreSQL stays exit 3).
 */
export async function writeAll<C extends { [K in keyof C]: number }>(
  batches: AsyncIterable<ValidValue[]>,
  zero: C,
  write: (batch: ValidValue[]) => Promise<C>,
  progress: (totals: C) => void,
  report: ReadReport,
): Promise<C> {
  const totals: C = { ...zero };
  let written = 0;
  try {
    for await (const batch of batches) {
      const counts = await write(batch);
      for (const key of Object.keys(totals) as Array<keyof C>) totals[key] = (totals[key] + counts[key]) as C[keyof C];
      written++;
      progress(totals);
    }
  } catch (err) {
    const cause = asDatabaseUnavailable(err);
    if (written === 0 || dncCommandErrors.is(cause, 'usage')) throw cause;
    const done = Object.entries(totals as Record<string, number>).map(([k, v]) => `${k} ${v}`).join(', ');
    throw dncCommandErrors.error(
      'stopped_part_way',
      `${(cause as Error).message}; stopped after ${written} batch(es) of ${BATCH_SIZE} (${report.read} lines read; ${done}). Run the same command again to finish: listed values are skipped`,
      { cause, details: { batchesWritten: written, linesRead: report.read, ...(totals as Record<string, number>) } },
    );
  }
  return totals;
}
