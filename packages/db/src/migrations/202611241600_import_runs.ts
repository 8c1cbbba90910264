/**
 * Runs of `stratum import` (owned by packages/cli, docs/import.md): one row per tenant and file
 * (importId = SHA-256 of the file's bytes). The command advances `rows_produced` after the broker
 * acknowledged each batch, so a crashed run resumes after the last acknowledged row, and writes its
 * report when it finishes, so a re-run of a finished import prints that report and produces nothing.
 *
 * Row-level security as on the identity tables: FORCEd, keyed by `stratum.tenant_id`; the app
 * role may select, insert and update — never delete.
 */
import type { Migration } from './migration';
import { isolateByTenant } from './tenant-isolation';

// Created, and granted to the migrating user, by 202611241200_identity.

export const importRuns: Migration = {
  name: '202611241600_import_runs',
  async up(db) {
    await db.raw(`
      CREATE TABLE import_runs (
        tenant_id      text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        import_id      text        NOT NULL CHECK (import_id ~ '^[0-9a-f]{64}$'),
        source_id      text        NOT NULL,
        file_name      text        NOT NULL,
        file_bytes     bigint      NOT NULL CHECK (file_bytes >= 0),
        -- Data rows (1-based) up to which every row was read and, if accepted, acknowledged by Kafka.
        rows_produced  bigint      NOT NULL DEFAULT 0 CHECK (rows_produced >= 0),
        runs           integer     NOT NULL DEFAULT 1 CHECK (runs >= 1),
        started_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        finished_at    timestamptz,
        -- The final JSON report of the run that finished it.
        report         jsonb,
        PRIMARY KEY (tenant_id, import_id)
      )`);
    await db.raw('CREATE INDEX import_runs_recent ON import_runs (tenant_id, started_at)');
    await isolateByTenant(db, 'import_runs');
  },
  async down(db) {
    await db.raw('DROP TABLE IF EXISTS import_runs');
  },
};
