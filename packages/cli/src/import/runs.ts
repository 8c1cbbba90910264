/**
 * The import_runs table (migration 202611241600_import_runs): where a run of one file for one
 * tenant got to. `rows_produced` only advances after Kafka acknowledged every accepted row up to
 * it, so a crashed run resumes after it; a finished run keeps its report.
 */
import { withTenant, type Db } from '@stratum/db';
import type { ImportReport } from './report';

export interface ImportRun {
  readonly rowsProduced: number;
  readonly finishedAt: string | null;
  readonly report: ImportReport | null;
  readonly runs: number;
}

interface RunRow {
  rows_produced: string | number;
  finished_at: Date | null;
  report: ImportReport | null;
  runs: number;
}

export async function findRun(db: Db, tenantId: string, importId: string): Promise<ImportRun | null> {
  const row = (await withTenant(db, tenantId, (trx) => trx('import_runs').where({ tenant_id: tenantId, import_id: importId }).first('rows_produced', 'finished_at', 'report', 'runs'), {
    mode: 'snapshot',
  })) as RunRow | undefined;
  return row ? { rowsProduced: Number(row.rows_produced), finishedAt: row.finished_at?.toISOString() ?? null, report: row.report, runs: row.runs } : null;
}

/**
 * Starts (or restarts) the run: a new row, or for an existing one another run — from the start
 * with `fromScratch` (--force), else resuming after its rows_produced. Returns where to resume.
 */
export async function startRun(db: Db, run: { tenantId: string; importId: string; sourceId: string; fileName: string; fileBytes: number; fromScratch: boolean }): Promise<number> {
  return withTenant(db, run.tenantId, async (trx) => {
    const rows = await trx.raw<{ rows: Array<{ rows_produced: string }> }>(
      `INSERT INTO import_runs (tenant_id, import_id, source_id, file_name, file_bytes)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, import_id) DO UPDATE SET
         runs = import_runs.runs + 1,
         source_id = EXCLUDED.source_id,
         file_name = EXCLUDED.file_name,
         rows_produced = CASE WHEN ? THEN 0 ELSE import_runs.rows_produced END,
         finished_at = NULL,
         report = NULL,
         updated_at = now()
       RETURNING rows_produced`,
      [run.tenantId, run.importId, run.sourceId, run.fileName, run.fileBytes, run.fromScratch],
    );
    return Number(rows.rows[0]!.rows_produced);
  });
}

/** Every row up to `rowNumber` is acknowledged (or needed nothing). */
export async function recordProgress(db: Db, tenantId: string, importId: string, rowNumber: number): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    trx('import_runs').where({ tenant_id: tenantId, import_id: importId }).andWhere('rows_produced', '<', rowNumber).update({ rows_produced: rowNumber, updated_at: trx.fn.now() }),
  );
}

export async function finishRun(db: Db, tenantId: string, importId: string, rowNumber: number, report: ImportReport): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    trx('import_runs')
      .where({ tenant_id: tenantId, import_id: importId })
      .update({ rows_produced: rowNumber, finished_at: trx.fn.now(), updated_at: trx.fn.now(), report: JSON.stringify(report) }),
  );
}
