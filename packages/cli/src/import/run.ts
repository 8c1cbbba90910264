/**
 * One run of `stratum import`: read the file row by row, clean each row, produce the accepted
 * ones to persons.import in batches, and keep import_runs up to date so the run can be resumed
 * (after the last acknowledged row) or recognised as done (a finished import prints its report
 * again and produces nothing, unless forced). One batch is in flight while the next is read.
 */
import type { Db } from '@stratum/db';
import type { CalendarDate, DateOrder } from '@stratum/matching';
import type { PersonImport } from '@stratum/schemas';
import { importErrors } from './errors';
import { planColumns, type ColumnPlan } from './fields';
import type { PersonSender } from './produce';
import { readRows, type InputFile } from './read';
import { rejectFile } from './reject-file';
import { finalReport, progress, Tally, type ImportReport } from './report';
import { personOfRow, type RowContext } from './row';
import { findRun, finishRun, recordProgress, startRun } from './runs';

export interface ImportOptions {
  readonly db: Db;
  readonly file: InputFile;
  readonly tenantId: string;
  readonly sourceId: string;
  readonly map: Readonly<Record<string, string>>;
  readonly region: string | null;
  readonly dateOrder: DateOrder;
  readonly rejectPath: string | null;
  readonly topic: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly batchSize: number;
  readonly openSender: () => Promise<PersonSender>;
  /** Redraw a progress line on stderr (a terminal). */
  readonly showProgress?: boolean;
}

/** A report; `alreadyImported` when the file was imported before and nothing was done now. */
export type ImportOutcome = ImportReport & { readonly alreadyImported?: true };

const todayUtc = (): CalendarDate => {
  const d = new Date();
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};

export async function runImport(o: ImportOptions): Promise<ImportOutcome> {
  const startedAt = Date.now();
  const { file } = o;
  if (!o.dryRun && !o.force) {
    const previous = await findRun(o.db, o.tenantId, file.sha256);
    if (previous?.finishedAt && previous.report) return { ...previous.report, produced: 0, alreadyImported: true };
  }
  const source = readRows(file);
  const ctx: RowContext = { tenantId: o.tenantId, sourceId: o.sourceId, importId: file.sha256, region: o.region, dateOrder: o.dateOrder, today: todayUtc() };
  const tally = new Tally();
  const rejects = rejectFile(o.rejectPath);
  const bar = progress(file.bytes, () => source.bytesRead(), o.showProgress);
  const resumeAfter = o.dryRun ? 0 : await startRun(o.db, { tenantId: o.tenantId, importId: file.sha256, sourceId: o.sourceId, fileName: file.name, fileBytes: file.bytes, fromScratch: o.force });
  let sender: PersonSender | null = null;
  let plan: ColumnPlan | null = null;
  let plannedColumns = -1;
  let batch: PersonImport[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  let lastRow = 0;

  const flush = async (upToRow: number) => {
    await inFlight;
    const records = batch;
    batch = [];
    if (o.dryRun || upToRow <= resumeAfter) return;
    sender ??= await o.openSender();
    const s = sender;
    inFlight = (async () => {
      await s.send(records);
      tally.produced += records.length;
      await recordProgress(o.db, o.tenantId, file.sha256, upToRow);
    })();
    // Surface a failure at the next await, but never leave it unhandled meanwhile.
    inFlight.catch(() => undefined);
  };

  try {
    for await (const row of source.rows()) {
      tally.rowsRead += 1;
      lastRow = row.rowNumber;
      if (row.kind === 'malformed') {
        tally.reject(row.reason);
        await rejects.write(row.line, row.reason, row.raw);
      } else {
        if (plan === null || plannedColumns !== source.header.length) {
          plan = planColumns(source.header, o.map, { strict: file.format === 'csv' });
          plannedColumns = source.header.length;
        }
        const result = personOfRow(row.cells, plan, row.rowNumber, ctx, Date.now());
        tally.warn(result.warnings);
        if (result.accepted) {
          tally.accepted += 1;
          tally.phone(result.phoneGiven, result.record.phone !== null);
          if (row.rowNumber > resumeAfter) batch.push(result.record);
        } else {
          tally.phone(result.phoneGiven, false);
          tally.reject(result.reason);
          await rejects.write(row.line, result.reason, row.raw);
        }
      }
      if (batch.length >= o.batchSize) await flush(row.rowNumber);
      bar.update(tally);
    }
    await flush(lastRow);
    await inFlight;
  } catch (err) {
    bar.end();
    await rejects.close().catch(() => null);
    await (sender as PersonSender | null)?.close().catch(() => undefined);
    if (importErrors.is(err, 'kafka_unavailable') || importErrors.is(err, 'usage')) throw err;
    throw importErrors.error('stopped_part_way', `stopped after reading ${tally.rowsRead} row(s) and producing ${tally.produced} in this run: ${(err as Error).message}; run the same command again to resume`, {
      cause: err,
      details: { rowsRead: tally.rowsRead, produced: tally.produced, resumedAfterRow: resumeAfter },
    });
  }
  bar.update(tally, true);
  bar.end();
  await (sender as PersonSender | null)?.close();
  const rejectPath = await rejects.close();
  const report = finalReport(
    {
      importId: file.sha256,
      tenantId: o.tenantId,
      sourceId: o.sourceId,
      file: file.name,
      fileBytes: file.bytes,
      format: file.format,
      mapping: plan?.mapping ?? {},
      resumedAfterRow: resumeAfter,
      rejectFile: rejectPath,
      topic: o.topic,
      dryRun: o.dryRun,
    },
    tally,
    startedAt,
  );
  if (!o.dryRun) await finishRun(o.db, o.tenantId, file.sha256, lastRow, report);
  return report;
}
